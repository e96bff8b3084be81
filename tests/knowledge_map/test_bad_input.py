"""Bad input that used to end in a server error, and the mirrored organisations' links."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, User
from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import Item, ItemChange, Relation

GOOD = {"key": "goed", "kind": "method", "title": "Goed", "summary": "Klopt.", "theme": "work", "status": "published"}


def _json(*items, **top) -> bytes:
    return json.dumps({"items": list(items)} | top).encode()


@translation.override("en")
def test_json_values_of_the_wrong_type_are_reported_not_a_crash(region, editor):
    content = _json(
        GOOD,
        GOOD | {"key": "a", "title": 5},                                    # Item 2: a number as title
        GOOD | {"key": "b", "tags": 5, "audience": {"ggz": True}},          # Item 3: no lists
        GOOD | {"key": "c", "relations": [{"kind": "see_also", "target": ["goed"]}]},  # Item 4
        GOOD | {"key": "d", "links": [{"url": "https://www.uwv.nl/", "label": 3}]},   # Item 5
        GOOD | {"key": "e", "status": ["published"], "source_type": 1},     # Item 6
        GOOD | {"key": ["f"]},                                              # Item 7
    )
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="json")
    messages = exc.value.messages
    for n, word in [(2, "title"), (3, "tags"), (3, "audience"), (4, "relations"), (5, "links"),
                    (6, "status"), (6, "source_type"), (7, "key")]:
        assert any(m.startswith(f"Item {n}:") and word in m for m in messages), (n, word, messages)
    assert not any(m.startswith("Item 1:") for m in messages)
    assert not Item.objects.exists()


def test_the_service_refuses_a_number_as_title(region, editor):
    with pytest.raises(ValidationError) as exc:
        services.item_create(region=region, actor=editor, key="x", kind="method", title=5, summary="s", theme="work")
    assert exc.value.error_dict["title"][0].code == "type"


def test_a_link_label_that_is_too_long_is_refused_not_cut(region, editor):
    with pytest.raises(ValidationError) as exc:
        services.item_create(region=region, actor=editor, key="x", kind="method", title="X", summary="s",
                             theme="work", links=[{"url": "https://www.uwv.nl/", "label": "x" * 121}])
    assert "links" in exc.value.message_dict


@pytest.mark.parametrize(
    ("content", "fmt", "code"),
    [
        # a cell larger than the csv module reads
        ((",".join(services.EXPORT_COLUMNS) + "\nx,method,X," + "a" * 200_000 + ",,,work,,,,,,,,\n").encode(), "csv", "csv"),
        (b"[" * 100_000 + b"]" * 100_000, "json", "json"),                  # nested too deeply
        (_json(GOOD, format="something-else"), "json", "version"),
        (_json(GOOD, format="werkbrug-knowledge-map", version=2), "json", "version"),
    ],
)
def test_unreadable_files_are_refused_as_a_whole(region, editor, content, fmt, code):
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt=fmt)
    assert exc.value.code == code
    assert not Item.objects.exists()


@translation.override("en")
def test_one_item_per_mirrored_source(region, editor, make_item):
    services.item_upsert_from_source(source_type="organisation", source_id=7, title="UWV Oost", summary="s", region=region)
    content = _json(
        GOOD | {"key": "a", "source_type": "ambassador_qa", "source_id": "3"},
        GOOD | {"key": "b", "source_type": "ambassador_qa", "source_id": "3"},   # Item 2: the same source twice
        GOOD | {"key": "c", "source_type": "organisation", "source_id": "7"},    # Item 3: already mirrored
        GOOD | {"key": "d", "source_type": "organisation", "source_id": ""},     # Item 4: half a source
    )
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="json")
    messages = exc.value.messages
    assert any(m.startswith("Item 2:") and "twice" in m for m in messages), messages
    assert any(m.startswith("Item 3:") and "already mirrors" in m for m in messages), messages
    assert any(m.startswith("Item 4:") and "both or neither" in m for m in messages), messages
    assert not any(m.startswith("Item 1:") for m in messages)
    assert Item.objects.count() == 1


def test_import_counts_real_changes_and_records_relation_changes(make_item, editor, region):
    a, b, _ = make_item("a"), make_item("b"), make_item("c")
    services.relation_add(source=a, target=b, kind="see_also", actor=editor)
    exported = json.loads(services.knowledge_export(region=region, fmt="json"))
    again = services.knowledge_import(region=region, actor=editor, content=json.dumps(exported), fmt="json")
    assert (again.created, again.updated, again.relations, again.relations_removed) == (0, 0, 0, 0)
    row = next(r for r in exported["items"] if r["key"] == "a")
    row["relations"] = [{"kind": "requires", "target": "c"}]
    result = services.knowledge_import(region=region, actor=editor, content=json.dumps(exported), fmt="json")
    assert (result.updated, result.relations, result.relations_removed) == (0, 1, 1)
    actions = list(a.changes.filter(action__startswith="relation").values_list("action", "changes"))
    assert ("relation_removed", {"relation": ["see_also:b", None]}) in actions
    assert ("relation_added", {"relation": [None, "requires:c"]}) in actions


def test_upsert_refuses_part_of_an_item_of_another_region(region, other_region, make_org, make_person):
    foreign_editor = make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.EDITOR)
    foreign = services.item_create(region=other_region, actor=foreign_editor, key="f", kind="organisation",
                                   title="F", summary="f", theme="care")
    with pytest.raises(ValidationError) as exc:
        services.item_upsert_from_source(source_type="ambassador", source_id=1, title="A", summary="a",
                                         region=region, part_of=foreign)
    assert exc.value.error_dict["part_of"][0].code == "target_missing"
    assert not Item.objects.filter(region=region).exists()


def test_an_ambassador_who_changes_organisation_moves_on_the_map(region, ggz, uwv, make_person):
    ambassador = make_person(uwv, Role.AMBASSADOR, first_name="Anna", last_name="Ambassadeur")
    services.region_sync(region=region)
    person_item = Item.objects.get(source_type="ambassador", source_id=str(ambassador.pk))
    assert list(person_item.relations_out.values_list("target__title", flat=True)) == [uwv.name]
    User.objects.filter(pk=ambassador.pk).update(organisation=ggz)
    services.region_sync(region=region)
    assert list(person_item.relations_out.values_list("target__title", flat=True)) == [ggz.name]
    assert person_item.changes.filter(action="relation_removed").exists()


def test_organisations_are_connected_to_the_national_item_of_their_kind(starter, uwv, editor):
    Organisation.objects.filter(pk=uwv.pk).update(website="ftp://files.example.org/")  # not a web address
    services.region_sync(region=starter, actor=editor)
    org_item = Item.objects.get(region=starter, source_type="organisation", source_id=str(uwv.pk))
    assert org_item.links == []
    national = Item.objects.get(region=starter, key="uwv")
    relation = Relation.objects.get(source=org_item, target=national)
    assert relation.kind == "part_of"
    services.region_sync(region=starter, actor=editor)
    assert Relation.objects.filter(source=org_item, target=national).count() == 1
    # an editor who removes the connection is not overruled by the next sync
    services.relation_remove(relation=relation, actor=editor)
    services.region_sync(region=starter, actor=editor)
    assert not Relation.objects.filter(source=org_item, target=national).exists()
    assert ItemChange.objects.filter(item=org_item, action="linked_national").count() == 1
