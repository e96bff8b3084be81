"""The API: read for every signed-in professional, write for editors; errors as problem+json."""

from __future__ import annotations

import pytest

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.knowledge_map.models import Item, Relation

ITEMS = "/api/v1/knowledge-items/"
RELATIONS = "/api/v1/knowledge-relations/"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_professionals_read_published_items_with_filters(client, pro, starter, django_assert_max_num_queries):
    client.force_login(pro)
    with django_assert_max_num_queries(8):
        body = client.get(ITEMS + "?page_size=500").json()
    assert body["count"] == Item.objects.filter(region=starter, status="published").count()
    regulations = client.get(ITEMS + "?kind=regulation&page_size=500").json()["results"]
    assert regulations and {r["kind"] for r in regulations} == {"regulation"}
    found = client.get(ITEMS + "?q=schuld&page_size=500").json()["results"]
    assert "schuldhulpverlening" in {r["key"] for r in found}
    assert all("schuld" in (r["title"] + r["summary"] + ",".join(r["tags"])).lower() for r in found)
    ips = Item.objects.get(region=starter, key="ips")
    detail = client.get(f"{ITEMS}{ips.pk}/").json()
    assert detail["audience"] == ["ggz", "wi", "clients", "employers"]
    assert detail["links"][0]["url"].startswith("https://")
    rels = client.get(f"{RELATIONS}?item={ips.pk}&page_size=500").json()["results"]
    assert any(r["source"] == ips.pk and r["kind"] == "part_of" for r in rels)


def test_anonymous_and_clients_are_refused(client, client_user, starter):
    anonymous = client.get(ITEMS)
    _problem(anonymous, anonymous.status_code if anonymous.status_code in (401, 403) else 403)
    client.force_login(client_user)
    _problem(client.get(ITEMS), 403)


def test_other_region_sees_nothing(client, starter, other_region, make_org, make_person):
    outsider = make_person(make_org(OrganisationType.UWV, "Elders", in_region=other_region), Role.LABOUR_EXPERT)
    client.force_login(outsider)
    assert client.get(ITEMS).json()["count"] == 0
    _problem(client.get(f"{ITEMS}{Item.objects.filter(region=starter).first().pk}/"), 404)


def test_editor_creates_changes_and_publishes(client, editor, pro):
    client.force_login(editor)
    response = client.post(ITEMS, {
        "key": "api-item", "kind": "instrument", "title": "Via de API", "summary": "Gemaakt via de API.",
        "theme": "work", "audience": ["wi"], "links": [{"url": "https://www.werk.nl/", "label": "werk.nl"}],
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["status"] == "draft"
    assert client.patch(f"{ITEMS}{pk}/", {"title": "Nieuwe titel"}, content_type="application/json").json()["title"] == "Nieuwe titel"
    assert client.post(f"{ITEMS}{pk}/transition/", {"to": "published"}, content_type="application/json").json()["status"] == "published"
    client.force_login(pro)
    assert client.get(f"{ITEMS}{pk}/").status_code == 200
    assert _problem(client.patch(f"{ITEMS}{pk}/", {"title": "x"}, content_type="application/json"), 404)["code"] == "not_found"
    assert _problem(client.post(ITEMS, {"key": "y"}, content_type="application/json"), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({"links": [{"url": "uwv.nl"}]}, "links", "link_malformed"),
        ({"kind": "spell"}, "kind", "invalid"),
        ({"key": "Met Spaties"}, "key", "invalid"),
        ({"review_on": "morgen"}, "review_on", "invalid"),
    ],
)
def test_bad_item_input_is_a_problem(client, editor, payload, field, code):
    client.force_login(editor)
    base = {"key": "k", "kind": "method", "title": "T", "summary": "S", "theme": "work"}
    body = _problem(client.post(ITEMS, base | payload, content_type="application/json"), 400)
    assert any(e["field"] == field and e["code"] == code for e in body["errors"]), body
    assert not Item.objects.exists()


def test_relations_through_the_api(client, editor, make_item):
    a, b = make_item("a"), make_item("b")
    client.force_login(editor)
    created = client.post(RELATIONS, {"source": a.pk, "target": b.pk, "kind": "part_of"}, content_type="application/json")
    assert created.status_code == 201
    cases = [
        ({"source": b.pk, "target": a.pk, "kind": "part_of"}, "cycle"),
        ({"source": a.pk, "target": a.pk, "kind": "see_also"}, "self_relation"),
        ({"source": a.pk, "target": 999999, "kind": "see_also"}, "target_missing"),
        ({"source": a.pk, "target": b.pk, "kind": "loves"}, "kind"),
    ]
    for payload, code in cases:
        body = _problem(client.post(RELATIONS, payload, content_type="application/json"), 400)
        assert body["errors"][0]["code"] == code, (payload, body)
    _problem(client.post(RELATIONS, {"source": 999999, "target": a.pk, "kind": "see_also"}, content_type="application/json"), 404)
    assert client.delete(f"{RELATIONS}{created.json()['id']}/").status_code == 204
    assert not Relation.objects.exists()


def test_transition_errors(client, editor, make_item):
    item = make_item("x")
    client.force_login(editor)
    body = _problem(client.post(f"{ITEMS}{item.pk}/transition/", {"to": "published"}, content_type="application/json"), 400)
    assert body["errors"][0]["code"] == "transition"
