"""The API's filters (audience, theme, status) and the editors-only writes on relations."""

from __future__ import annotations

from tests.support.api import assert_problem
from werkbrug.knowledge_map.models import Item, Relation

ITEMS = "/api/v1/knowledge-items/"
RELATIONS = "/api/v1/knowledge-relations/"


def _keys(client, query: str) -> set[str]:
    body = client.get(f"{ITEMS}?page_size=500&{query}").json()
    assert body["count"] == len(body["results"])
    return {r["key"] for r in body["results"]}


def test_audience_and_theme_filters_match_the_database(client, pro, starter):
    client.force_login(pro)
    published = Item.objects.filter(region=starter, status="published")
    for_clients = _keys(client, "audience=clients")
    expected = {i.key for i in published if "clients" in i.audience_list}
    assert for_clients == expected
    # The filter narrows: some published items are not meant for clients.
    assert 0 < len(for_clients) < published.count()
    debts = _keys(client, "theme=debts")
    assert debts == set(published.filter(theme="debts").values_list("key", flat=True))
    assert debts and "schuldhulpverlening" in debts
    both = _keys(client, "theme=debts&audience=clients")
    assert both == debts & for_clients
    # An unknown value is ignored rather than matching nothing or failing.
    assert _keys(client, "theme=astrology") == set(published.values_list("key", flat=True))


def test_status_filter_shows_drafts_to_editors_only(client, editor, pro, make_item):
    make_item("published-one")
    make_item("draft-one", status="draft")
    client.force_login(editor)
    assert _keys(client, "status=draft") == {"draft-one"}
    assert _keys(client, "") == {"published-one"}
    client.force_login(pro)
    assert _keys(client, "status=draft") == set()
    assert _keys(client, "") == {"published-one"}
    draft = Item.objects.get(key="draft-one")
    assert_problem(client.get(f"{ITEMS}{draft.pk}/"), 404)


def test_non_editors_cannot_add_or_remove_relations(client, editor, pro, make_item):
    a, b, c = make_item("a"), make_item("b"), make_item("c")
    client.force_login(editor)
    kept = client.post(RELATIONS, {"source": a.pk, "target": b.pk, "kind": "part_of"}, content_type="application/json")
    assert kept.status_code == 201, kept.content
    client.force_login(pro)
    assert_problem(
        client.post(RELATIONS, {"source": a.pk, "target": c.pk, "kind": "see_also"}, content_type="application/json"), 404, code="not_found"
    )
    assert_problem(client.delete(f"{RELATIONS}{kept.json()['id']}/"), 404, code="not_found")
    assert list(Relation.objects.values_list("source__key", "target__key", "kind")) == [("a", "b", "part_of")]
    # Reading the relation is still allowed.
    assert [r["id"] for r in client.get(f"{RELATIONS}?item={a.pk}").json()["results"]] == [kept.json()["id"]]
