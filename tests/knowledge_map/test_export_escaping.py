"""The knowledge map's CSV export writes text that starts like a formula as text (CSV injection)."""

from __future__ import annotations

import csv
import io


def test_knowledge_map_csv_export_escapes_formulas_and_round_trips(make_item, editor, region):
    from werkbrug.knowledge_map import services as km

    make_item("formule", title="=Titel", summary="-Samenvatting", tags=["@tag"])
    exported = km.knowledge_export(region=region, fmt="csv", actor=editor)
    rows = list(csv.DictReader(io.StringIO(exported)))
    row = next(r for r in rows if r["key"] == "formule")
    assert (row["title"], row["summary"], row["tags"]) == ("'=Titel", "'-Samenvatting", "'@tag")
    result = km.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt="csv")
    assert result.created == 0
    assert km.knowledge_export(region=region, fmt="csv") == exported
