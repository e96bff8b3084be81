"""Export → import changes nothing, for any valid map, in both export formats (CSV and JSON);
and the CSV a Dutch spreadsheet saves (semicolons, BOM, 31-01-2027) comes back in as well."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import (
    Audience,
    Item,
    ItemChange,
    ItemKind,
    ItemStatus,
    Relation,
    RelationKind,
    Scope,
    Theme,
)


def _semicolons(text: str, *, bom: bool = True) -> bytes:
    """What Dutch Excel saves as "CSV UTF-8": semicolons, CRLF line ends, a BOM."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for row in csv.reader(io.StringIO(text, newline="")):
        writer.writerow(row)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


# --- any valid map ---

# Any text except surrogates and control characters, often starting with what a spreadsheet
# takes for a formula (exports escape it; imports undo that) or with an apostrophe.
_chars = st.characters(blacklist_categories=("Cs", "Cc"))
_starts = st.sampled_from(["", "", "=", "+", "-", "@", "'", "'=", "''", "=HYPERLINK(\"x\")", " "])


def _text(max_size: int, *, lines: bool = False):
    alphabet = st.one_of(_chars, st.sampled_from("\n\r;,\"'")) if lines else _chars
    return st.builds(lambda start, body: (start + body).strip()[:max_size].strip(), _starts,
                     st.text(alphabet=alphabet, min_size=1, max_size=max_size)).filter(bool)


_label_chars = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\x1c\x1d\x1e\x85")
_links = st.lists(st.fixed_dictionaries({
    "url": st.sampled_from(["https://www.uwv.nl/", "https://www.werk.nl/a?b=c&d=e", "http://example.org/x,y"]),
    "label": st.text(alphabet=st.one_of(_label_chars, st.sampled_from("\n\r\u2028\x85 ")), max_size=40),
}), max_size=2)
_tags = st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                                                blacklist_characters=",\x1c\x1d\x1e\x85"),
                         min_size=1, max_size=12), max_size=3)

_item = st.fixed_dictionaries({
    "kind": st.sampled_from(ItemKind.values),
    "title": _text(160),
    "summary": _text(400, lines=True),
    "theme": st.sampled_from(Theme.values),
    "scope": st.sampled_from(Scope.values),
    "audience": st.lists(st.sampled_from(Audience.values), unique=True),
    "tags": _tags,
    "links": _links,
    "review_on": st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2099, 12, 31))),
    "owned": st.booleans(),
    "status": st.sampled_from(ItemStatus.values),
})
_key = st.from_regex(r"[a-z0-9]{1,12}(-[a-z0-9]{1,10}){0,3}", fullmatch=True)


@st.composite
def maps(draw):
    keys = draw(st.lists(_key, min_size=1, max_size=6, unique=True))
    items = [draw(_item) | {"key": key} for key in keys]
    relations = draw(st.lists(st.tuples(st.integers(0, len(keys) - 1), st.integers(0, len(keys) - 1),
                                        st.sampled_from(RelationKind.values)), max_size=8))
    # "part of" only from a later item to an earlier one, so it never goes round in a circle
    relations = {(s, t, k) for s, t, k in relations if s != t and (k != RelationKind.PART_OF or s > t)}
    return items, sorted(relations)


def _build(region, editor, items, relations) -> list[Item]:
    made = []
    for spec in items:
        spec = dict(spec)
        status, owned = spec.pop("status"), spec.pop("owned")
        item = services.item_create(region=region, actor=editor, owner=editor if owned else None, **spec)
        if status != ItemStatus.DRAFT:
            item = services.item_transition(item=item, actor=editor, to=status)
        made.append(item)
    for s, t, kind in relations:
        services.relation_add(source=made[s], target=made[t], kind=kind, actor=editor)
    return made


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(a_map=maps())
def test_export_then_import_changes_nothing(region, editor, a_map):
    Item.objects.filter(region=region).delete()
    items, relations = a_map
    _build(region, editor, items, relations)
    for fmt in ("csv", "json"):
        exported = services.knowledge_export(region=region, fmt=fmt, actor=editor)
        history = ItemChange.objects.filter(item__region=region).count()

        # into the same map: nothing is created, changed or linked, and the history stays as it is
        result = services.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt=fmt)
        assert result == services.ImportResult()
        assert ItemChange.objects.filter(item__region=region).count() == history
        assert services.knowledge_export(region=region, fmt=fmt) == exported

        # into an empty map: the same map comes back
        Item.objects.filter(region=region).delete()
        result = services.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt=fmt)
        assert result.created == len(items) and result.relations == len(relations)
        assert services.knowledge_export(region=region, fmt=fmt) == exported

    # the same CSV after a round through Dutch Excel (semicolons, CRLF, BOM)
    exported = services.knowledge_export(region=region, fmt="csv")
    Item.objects.filter(region=region).delete()
    services.knowledge_import(region=region, actor=editor, content=_semicolons(exported), fmt="csv")
    assert services.knowledge_export(region=region, fmt="csv") == exported


def test_texts_that_lost_characters_before_come_back_whole(region, editor, make_item):
    """Found by the test above: "'=…" lost its apostrophe in CSV, a lone carriage return split
    a CSV line, and a link label over two lines became two links."""
    make_item("a", title="'=niet een formule", summary="een\rtwee",
              links=[{"url": "https://www.uwv.nl/", "label": "regel 1\nregel 2"}])
    exported = services.knowledge_export(region=region, fmt="csv")
    Item.objects.filter(region=region).delete()
    services.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt="csv")
    item = Item.objects.get(key="a")
    assert item.title == "'=niet een formule" and item.summary == "een\ntwee"
    assert item.links == [{"url": "https://www.uwv.nl/", "label": "regel 1 regel 2"}]


def test_every_item_kind_and_relation_type_survives_both_formats(region, editor):
    items = [{"key": f"k-{kind}", "kind": kind, "title": f"{sign}{kind}", "summary": "Regel 1\nRegel 2; ja",
              "theme": "work", "scope": "regional", "audience": [], "tags": [], "links": [], "review_on": None,
              "owned": False, "status": "published"}
             for kind, sign in zip(ItemKind.values, "=+-@'==+-@", strict=False)]
    relations = [(i + 1, 0, kind) for i, kind in enumerate(RelationKind.values)]
    _build(region, editor, items, relations)
    for fmt in ("csv", "json"):
        exported = services.knowledge_export(region=region, fmt=fmt)
        Item.objects.filter(region=region).delete()
        services.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt=fmt)
        assert services.knowledge_export(region=region, fmt=fmt) == exported
    assert set(Relation.objects.values_list("kind", flat=True)) == set(RelationKind.values)
    assert Item.objects.get(key="k-method").title == "=method"


# --- the CSV dialect, dates and the dry run ---

HEADER = ",".join(services.EXPORT_COLUMNS)


def test_a_semicolon_csv_with_bom_and_dutch_dates_is_read(region, editor):
    text = f"{HEADER}\nips,method,IPS; werk eerst,\"Eerst werk, dan\nstudie\",,ggz,work,,,,31-1-2027,,,,\n"
    result = services.knowledge_import(region=region, actor=editor, content=_semicolons(text), fmt="csv")
    assert result.created == 1
    item = Item.objects.get(key="ips")
    assert item.title == "IPS; werk eerst" and item.summary == "Eerst werk, dan\nstudie"
    assert item.review_on == date(2027, 1, 31) and item.audience == "ggz"


def test_a_bom_is_accepted_on_text_as_well_as_on_bytes(region, editor):
    text = f"\ufeff{HEADER}\nips,method,IPS,s,,,work,,,,,,,,\n"
    assert services.knowledge_import(region=region, actor=editor, content=text, fmt="csv").created == 1


def test_a_semicolon_csv_with_wrong_columns_names_them(region, editor):
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=b"key;title\nips;IPS\n", fmt="csv")
    assert exc.value.code == "columns"
    # the columns are read as columns, not as one column called "key;title"
    assert "key;title" not in exc.value.messages[0] and "kind" in exc.value.messages[0]


@pytest.mark.parametrize("sep", [",", ";"])
def test_an_impossible_date_is_named_with_its_line(region, editor, sep):
    rows = [HEADER, "a,method,A,s,,,work,,,,2026-02-28,,,,", "b,method,B,s,,,work,,,,,,,,",
            "c,method,C,s,,,work,,,,2026-02-30,,,,", "d,method,D,s,,,work,,,,31-04-2027,,,,"]
    text = "\n".join(rows) + "\n"
    content = _semicolons(text, bom=False) if sep == ";" else text.encode()
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="csv")
    assert "Regel 4: review_on: 30-02-2026 bestaat niet." in exc.value.messages
    assert "Regel 5: review_on: 31-04-2027 bestaat niet." in exc.value.messages
    assert len(exc.value.messages) == 2
    assert not Item.objects.exists()


def test_a_dry_run_counts_and_writes_nothing(region, editor, make_item):
    make_item("ips")
    exported = services.knowledge_export(region=region, fmt="csv")
    changed = exported.replace(",Ips,", ",IPS nieuw,") + "nieuw,method,Nieuw,s,,,work,,,,,,,,see_also:ips\n"
    history = ItemChange.objects.count()
    result = services.knowledge_import(region=region, actor=editor, content=changed.encode(), fmt="csv", dry_run=True)
    assert (result.created, result.updated, result.relations) == (1, 1, 1)
    assert services.knowledge_export(region=region, fmt="csv") == exported
    assert ItemChange.objects.count() == history
    # and the real import does what the dry run said
    assert services.knowledge_import(region=region, actor=editor, content=changed.encode(), fmt="csv") == result


@given(text=st.text(max_size=20, alphabet=st.one_of(st.sampled_from("'=+-@\t\rx"), st.characters())))
def test_formula_escaping_is_undone_exactly(text):
    """`spreadsheet_text` gives back what `spreadsheet_cell` got, also for "'=…" and "''…"."""
    from werkbrug.core.spreadsheets import FORMULA_STARTS, spreadsheet_cell, spreadsheet_text

    written = spreadsheet_cell(text)
    assert spreadsheet_text(written) == text
    assert not written.startswith(FORMULA_STARTS)
