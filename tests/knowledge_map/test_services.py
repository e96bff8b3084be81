"""Items, relations, the review flow, history, and items mirrored from the rest of Werkbrug."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import RoleAssignment
from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import Item, ItemChange, Relation


def _code(exc_info) -> str:
    exc = exc_info.value
    if hasattr(exc, "error_dict"):
        return next(iter(exc.error_dict.values()))[0].code
    return exc.error_list[0].code if hasattr(exc, "error_list") else exc.code


def test_starter_content_has_at_least_40_national_published_items_with_relations(starter):
    items = Item.objects.filter(region=starter)
    assert items.count() >= 40
    assert set(items.values_list("scope", flat=True)) == {"national"}
    assert set(items.values_list("status", flat=True)) == {"published"}
    for key in ("ips", "motiverende-gespreksvoering", "srh", "wrap", "participatiewet", "wia", "wga", "wajong",
                "ww", "jobcoaching", "loonkostensubsidie", "no-riskpolis", "proefplaatsing",
                "schuldhulpverlening", "ervaringsdeskundigheid-opleiding", "convenant-uwv-ggz", "werkgerichte-cgt"):
        assert items.filter(key=key).exists(), key
    assert Relation.objects.filter(source__region=starter).count() >= 40
    for item in items:
        assert item.summary and item.links is not None
        for link in item.links:
            assert link["url"].startswith("https://")


def test_starter_load_twice_adds_nothing_and_keeps_editor_changes(starter, editor):
    ips = Item.objects.get(region=starter, key="ips")
    services.item_update(item=ips, actor=editor, title="IPS in onze regio")
    result = services.starter_load(region=starter)
    assert result.created == 0
    assert Item.objects.get(pk=ips.pk).title == "IPS in onze regio"


def test_load_knowledge_starter_command(region):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_knowledge_starter", region=region.slug, stdout=out)
    assert "items" in out.getvalue()
    assert Item.objects.filter(region=region, scope="national").count() >= 40


def test_create_is_a_draft_with_history(region, editor):
    item = services.item_create(region=region, actor=editor, key="test", kind="method", title="Test",
                                summary="Uitleg.", theme="care", audience=["wi", "ggz"], tags="A, b, a")
    assert item.status == "draft"
    assert item.audience == "ggz,wi"
    assert item.tags == "a, b"
    assert item.changes.get().action == "created"


def test_only_editors_create_and_change(region, pro, make_item):
    with pytest.raises(PermissionDenied):
        services.item_create(region=region, actor=pro, key="x", kind="method", title="X", summary="x", theme="care")
    item = make_item("ips")
    with pytest.raises(PermissionDenied):
        services.item_update(item=item, actor=pro, title="Anders")


def test_editor_of_another_region_cannot_change(make_item, other_region, make_org, make_person):
    item = make_item("ips")
    foreign_editor = make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.EDITOR)
    with pytest.raises(Http404):
        services.item_update(item=item, actor=foreign_editor, title="Overgenomen")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://www.uwv.nl/", True),
        ("http://example.org/pad?x=1", True),
        ("www.uwv.nl", False),              # no scheme
        ("javascript:alert(1)", False),     # not a web address
        ("https://", False),                # no host
        ("ftp://files.example.org/", False),  # not http(s)
        ("https://uwv nl", False),          # a space
    ],
)
def test_link_validation(region, editor, url, ok):
    def create():
        return services.item_create(region=region, actor=editor, key="l", kind="document", title="L",
                                    summary="s", theme="work", links=[{"url": url, "label": "x"}])

    if ok:
        assert create().links == [{"url": url, "label": "x"}]
    else:
        with pytest.raises(ValidationError) as exc:
            create()
        assert _code(exc) == "link_malformed"
        assert "links" in exc.value.message_dict
        assert not Item.objects.exists()


def test_bad_fields_are_all_reported(region, editor):
    with pytest.raises(ValidationError) as exc:
        services.item_create(region=region, actor=editor, key="Not A Key", kind="spell", title="",
                             summary="", theme="sport", audience=["aliens"], review_on="morgen")
    assert set(exc.value.message_dict) == {"key", "kind", "title", "summary", "theme", "audience", "review_on"}


def test_duplicate_key_refused(make_item, region, editor):
    make_item("ips")
    with pytest.raises(ValidationError) as exc:
        services.item_create(region=region, actor=editor, key="ips", kind="method", title="x", summary="x", theme="work")
    assert exc.value.error_dict["key"][0].code == "key_taken"


@pytest.mark.parametrize(
    ("start", "to", "ok"),
    [
        ("draft", "published", True),
        ("published", "draft", True),
        ("published", "archived", True),
        ("archived", "draft", True),
        ("draft", "draft", False),
        ("archived", "published", False),  # an archived item goes back to draft first
        ("published", "gone", False),
    ],
)
def test_review_flow(make_item, editor, start, to, ok):
    item = make_item("x", status="draft")
    path = {"draft": [], "published": ["published"], "archived": ["archived"]}[start]
    for step in path:
        item = services.item_transition(item=item, actor=editor, to=step)
    if ok:
        assert services.item_transition(item=item, actor=editor, to=to).status == to
    else:
        with pytest.raises(ValidationError):
            services.item_transition(item=item, actor=editor, to=to)
        assert Item.objects.get(pk=item.pk).status == start


def test_history_is_append_only(make_item, editor):
    item = make_item("x", status="draft")
    first = list(item.changes.order_by("id").values("id", "action", "changes"))
    services.item_update(item=item, actor=editor, title="Nieuw", summary="Andere uitleg.")
    services.item_update(item=item, actor=editor, title="Nieuw")  # no change: no row
    services.item_transition(item=item, actor=editor, to="published")
    rows = list(item.changes.order_by("id").values("id", "action", "changes"))
    assert rows[: len(first)] == first
    assert [r["action"] for r in rows[len(first):]] == ["updated", "published"]
    assert rows[len(first)]["changes"]["title"] == ["X", "Nieuw"]


def test_relation_rules(make_item, editor, region, other_region, make_org, make_person):
    a, b, c = make_item("a"), make_item("b"), make_item("c")
    services.relation_add(source=a, target=b, kind="part_of", actor=editor)
    services.relation_add(source=b, target=c, kind="part_of", actor=editor)
    cases = [
        (c, a, "part_of", "cycle"),          # c ⊂ a would close a ⊂ b ⊂ c ⊂ a
        (b, a, "part_of", "cycle"),          # the short circle
        (a, a, "see_also", "self_relation"),
        (a, None, "see_also", "target_missing"),
        (a, b, "part_of", "duplicate"),
        (a, b, "is_friend_of", "kind"),
    ]
    for source, target, kind, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.relation_add(source=source, target=target, kind=kind, actor=editor)
        assert _code(exc) == code, (source, target, kind)
    # a circle of other kinds is fine
    services.relation_add(source=c, target=a, kind="see_also", actor=editor)
    # an item of another region is treated as missing
    foreign_org = make_org(OrganisationType.GGZ, "Elders", in_region=other_region)
    foreign_editor = make_person(foreign_org, Role.EDITOR)
    foreign = services.item_create(region=other_region, actor=foreign_editor, key="f", kind="method", title="F", summary="f", theme="care")
    with pytest.raises(ValidationError) as exc:
        services.relation_add(source=a, target=foreign, kind="see_also", actor=editor)
    assert _code(exc) == "target_missing"
    assert Relation.objects.count() == 3
    assert ItemChange.objects.filter(item=a, action="relation_added").count() == 1


def test_relation_remove_records_history(make_item, editor):
    a, b = make_item("a"), make_item("b")
    relation = services.relation_add(source=a, target=b, kind="requires", actor=editor)
    services.relation_remove(relation=relation, actor=editor)
    assert not Relation.objects.exists()
    assert a.changes.filter(action="relation_removed").exists()


def test_upsert_from_source_is_idempotent_and_can_withdraw(region):
    kwargs = dict(source_type="ambassador_qa", source_id=17, title="Mag een cliënt met WGA op proef werken?",
                  summary="Ja, met behoud van uitkering.", url="https://www.uwv.nl/", region=region, theme="income")
    item = services.item_upsert_from_source(**kwargs)
    assert item.kind == "qa" and item.status == "published" and item.source_id == "17"
    again = services.item_upsert_from_source(**kwargs)
    assert again.pk == item.pk
    assert item.changes.count() == 1
    services.item_upsert_from_source(**kwargs | {"summary": "Ja. Overleg eerst met UWV."})
    services.item_upsert_from_source(**kwargs | {"summary": "Ja. Overleg eerst met UWV.", "published": False})
    item.refresh_from_db()
    assert item.status == "archived" and item.summary == "Ja. Overleg eerst met UWV."
    assert item.changes.count() == 3
    with pytest.raises(ValidationError):
        services.item_upsert_from_source(**kwargs | {"url": "niet-een-adres"})


def test_region_sync_mirrors_organisations_and_ambassadors(region, ggz, uwv, make_person):
    ambassador = make_person(uwv, Role.LABOUR_EXPERT, Role.AMBASSADOR, first_name="Anna", last_name="Ambassadeur")
    counts = services.region_sync(region=region)
    assert counts == {"organisations": 2, "ambassadors": 1, "archived": 0, "qas": 0}
    org_item = Item.objects.get(source_type="organisation", source_id=str(uwv.pk))
    person_item = Item.objects.get(source_type="ambassador", source_id=str(ambassador.pk))
    assert person_item.kind == "contact" and "Anna" in person_item.title
    assert Relation.objects.filter(source=person_item, target=org_item, kind="part_of").exists()
    # runs again without duplicates; a former ambassador is archived
    RoleAssignment.objects.filter(person=ambassador, role=Role.AMBASSADOR).delete()
    counts = services.region_sync(region=region)
    assert counts["archived"] == 1
    assert Item.objects.filter(region=region).count() == 3
    person_item.refresh_from_db()
    assert person_item.status == "archived"


def test_region_sync_for_editors_only(region, pro):
    with pytest.raises(PermissionDenied):
        services.region_sync(region=region, actor=pro)


def test_mirrored_items_get_the_owner_of_their_source_and_a_review_date(region, ggz, uwv, make_person, editor):
    """An ambassador's item is the ambassador's to keep up; an organisation's falls to the region's
    editor; each gets a review date a year on. What an editor chose afterwards is kept."""
    from datetime import timedelta

    from django.utils import timezone

    ambassador = make_person(uwv, Role.LABOUR_EXPERT, Role.AMBASSADOR, first_name="Anna", last_name="Ambassadeur")
    services.region_sync(region=region)
    person_item = Item.objects.get(source_type="ambassador", source_id=str(ambassador.pk))
    org_item = Item.objects.get(source_type="organisation", source_id=str(uwv.pk))
    assert person_item.owner == ambassador and org_item.owner == editor
    a_year = timezone.localdate() + timedelta(days=365)
    assert person_item.review_on == org_item.review_on == a_year
    assert not Item.objects.filter(region=region, source_type__in=["organisation", "ambassador"],
                                   owner__isnull=True).exists()
    services.item_update(item=org_item, actor=editor, review_on=a_year + timedelta(days=30), owner=ambassador)
    services.region_sync(region=region)
    org_item.refresh_from_db()
    assert org_item.owner == ambassador and org_item.review_on == a_year + timedelta(days=30)
