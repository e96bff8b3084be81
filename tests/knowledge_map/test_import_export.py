"""Import and export: round trips without loss; bad files refused with every problem listed."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import Item, Relation


@pytest.fixture
def foreign(other_region, make_org, make_person):
    """An editor in another region, to import into an empty map."""
    return make_person(make_org(OrganisationType.GGZ, "Elders", in_region=other_region), Role.EDITOR)


@pytest.fixture
def rich(starter, editor, make_item):
    """The starter set plus a draft with an owner, a review date, odd characters and multi-line text."""
    item = make_item("eigen-item", status="draft", title='Komma, "quote" en ë', owner=editor,
                     summary="Regel 1\nRegel 2; met ; en ,", review_on="2027-01-31", tags=["één", "twee"],
                     links=[{"url": "https://www.uwv.nl/a?b=c&d=e", "label": "UWV, met komma"}, {"url": "https://www.werk.nl/", "label": ""}],
                     audience=["clients"], scope="regional")
    services.relation_add(source=item, target=Item.objects.get(region=starter, key="ips"), kind="see_also", actor=editor)
    return starter


def _strip_owner(text: str, fmt: str) -> str:
    """Owners are usernames of the region; another region has other people."""
    if fmt == "json":
        data = json.loads(text)
        for row in data["items"]:
            row["owner"] = ""
        return json.dumps(data, ensure_ascii=False, indent=2)
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=services.EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(row | {"owner": ""})
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_round_trip_into_an_empty_region(rich, editor, foreign, fmt):
    exported = services.knowledge_export(region=rich, fmt=fmt, actor=editor)
    portable = _strip_owner(exported, fmt)
    result = services.knowledge_import(region=foreign.region, actor=foreign, content=portable.encode("utf-8"), fmt=fmt)
    assert result.created == Item.objects.filter(region=rich).count()
    assert result.relations == Relation.objects.filter(source__region=rich).count()
    assert services.knowledge_export(region=foreign.region, fmt=fmt) == portable
    copy = Item.objects.get(region=foreign.region, key="eigen-item")
    assert copy.summary == "Regel 1\nRegel 2; met ; en ,"
    assert copy.links[0] == {"url": "https://www.uwv.nl/a?b=c&d=e", "label": "UWV, met komma"}
    assert copy.status == "draft" and copy.review_on.isoformat() == "2027-01-31"


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_reimport_into_the_same_region_changes_nothing(rich, editor, fmt):
    exported = services.knowledge_export(region=rich, fmt=fmt, actor=editor)
    history = sum(i.changes.count() for i in Item.objects.filter(region=rich))
    result = services.knowledge_import(region=rich, actor=editor, content=exported.encode("utf-8"), fmt=fmt)
    assert result.created == 0 and result.relations == 0
    assert services.knowledge_export(region=rich, fmt=fmt) == exported
    assert sum(i.changes.count() for i in Item.objects.filter(region=rich)) == history
    assert Item.objects.get(region=rich, key="eigen-item").owner == editor


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=services.EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: "" for c in services.EXPORT_COLUMNS} | row)
    return out.getvalue().encode("utf-8")


GOOD = {"key": "goed", "kind": "method", "title": "Goed", "summary": "Klopt.", "theme": "work", "status": "published"}


@translation.override("en")
def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written(region, editor):
    content = _csv([
        GOOD,                                                              # line 2: fine
        GOOD | {"key": "a", "summary": "twee\nregels", "kind": "spell"},   # line 3-4: bad kind
        GOOD | {"key": "b", "links": "www.zonder-schema.nl"},              # line 5: malformed link
        GOOD | {"key": "c", "relations": "see_also:bestaat-niet"},         # line 6: missing target
        GOOD | {"key": "d", "relations": "see_also:d"},                    # line 7: itself
        GOOD | {"key": "goed"},                                            # line 8: key twice
    ])
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="csv")
    messages = exc.value.messages
    assert any(m.startswith("Line 3:") and "kind" in m for m in messages), messages
    assert any(m.startswith("Line 5:") and "links" in m for m in messages), messages
    assert any(m.startswith("Line 6:") and "bestaat-niet" in m for m in messages), messages
    assert any(m.startswith("Line 7:") and "itself" in m for m in messages), messages
    assert any(m.startswith("Line 8:") and "twice" in m for m in messages), messages
    assert not any(m.startswith("Line 2:") for m in messages)
    assert not Item.objects.exists()


@translation.override("en")
def test_a_cycle_in_part_of_is_refused(region, editor):
    content = _csv([
        GOOD | {"key": "a", "relations": "part_of:b"},
        GOOD | {"key": "b", "relations": "part_of:c"},
        GOOD | {"key": "c", "relations": "part_of:a\nsee_also:b"},
    ])
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="csv")
    assert "circle" in " ".join(exc.value.messages)
    assert not Item.objects.exists()


def test_a_cycle_through_existing_items_is_refused(make_item, editor, region):
    a, b = make_item("a"), make_item("b")
    services.relation_add(source=a, target=b, kind="part_of", actor=editor)
    content = json.dumps({"items": [GOOD | {"key": "b", "relations": [{"kind": "part_of", "target": "a"}]}]})
    with pytest.raises(ValidationError):
        services.knowledge_import(region=region, actor=editor, content=content.encode(), fmt="json")
    assert Item.objects.get(key="b").title == "B"


@pytest.mark.parametrize(
    ("content", "fmt", "code"),
    [
        (b"key;title\nips;IPS\n", "csv", "columns"),                       # semicolons: one wrong column
        (_csv([GOOD]).replace(b"source_id,", b"bron,"), "csv", "columns"),         # a renamed column
        ("key,kind,title,summary,links,audience,theme,scope,tags,owner,review_on,status,source_type,source_id,relations\n"
         "x,method,Cliënt,s,,,work,,,,,,,,\n".encode("latin-1"), "csv", "encoding"),  # not UTF-8
        (b'{"items": [', "json", "json"),                                           # broken JSON
        (b'[{"key": "x"}]', "json", "columns"),                                     # no items list
        (b'{"items": []}', "json", "empty"),
        (b"x", "xml", "format"),
    ],
)
def test_wrong_files_are_refused_clearly(region, editor, content, fmt, code):
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt=fmt)
    assert exc.value.code == code
    assert exc.value.messages[0]
    assert not Item.objects.exists()


@translation.override("en")
def test_json_rows_with_wrong_fields_are_reported(region, editor):
    content = json.dumps({"items": [GOOD, {"key": "x", "colour": "red"}, "text"]}).encode()
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="json")
    messages = exc.value.messages
    assert any(m.startswith("Item 2:") and "colour" in m for m in messages)
    assert any(m.startswith("Item 3:") for m in messages)


def test_import_replaces_the_relations_of_the_items_in_the_file(make_item, editor, region):
    a, b, _c = make_item("a"), make_item("b"), make_item("c")
    services.relation_add(source=a, target=b, kind="see_also", actor=editor)
    row = GOOD | {"key": "a", "title": "A", "summary": a.summary, "relations": [{"kind": "requires", "target": "c"}]}
    services.knowledge_import(region=region, actor=editor, content=json.dumps({"items": [row]}).encode(), fmt="json")
    assert list(Relation.objects.values_list("source__key", "kind", "target__key")) == [("a", "requires", "c")]


def test_import_and_export_for_editors_only(region, pro):
    with pytest.raises(PermissionDenied):
        services.knowledge_import(region=region, actor=pro, content=_csv([GOOD]), fmt="csv")
    with pytest.raises(PermissionDenied):
        services.knowledge_export(region=region, actor=pro, fmt="json")
