"""The codebook as CSV and as REFI-QDA codebook (`.qdc`, the QDA-XML codebook exchange format).
The code system's writer and reader are shared with the REFI-QDA project (`refiqda.py`).

REFI-QDA Codebook 1.0 (https://www.qdasoftware.org): `<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`
with nested `<Code guid name isCodable color>` elements and an optional `<Description>`. Codes
keep their GUID across tools, so an export imported elsewhere and back matches code for code.
CSV columns: guid, name, parent_guid, description, color (parents before children).
"""

from __future__ import annotations

import csv
import io
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 — only to build XML; parsing goes through defusedxml
from typing import Any

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from werkbrug.core.spreadsheets import spreadsheet_row, spreadsheet_text

NS = "urn:QDA-XML:codebook:1.0"
CSV_COLUMNS = ["guid", "name", "parent_guid", "description", "color"]
MAX_IMPORT_BYTES = 2_000_000
MAX_DEPTH = 20  # levels of codes; REFI-QDA tools nest a handful


def _ordered(codes: list[Any]) -> list[Any]:
    children: dict[Any, list[Any]] = {}
    for code in codes:
        children.setdefault(code.parent_id, []).append(code)
    out: list[Any] = []

    def walk(parent_id):
        for code in sorted(children.get(parent_id, []), key=lambda c: c.name.lower()):
            out.append(code)
            walk(code.pk)

    walk(None)
    return out


def to_csv(codes: list[Any]) -> str:
    by_pk = {c.pk: c for c in codes}
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for code in _ordered(codes):
        parent = by_pk.get(code.parent_id)
        writer.writerow(spreadsheet_row([str(code.guid), code.name, str(parent.guid) if parent else "", code.description, code.color]))
    return buffer.getvalue()


def write_codes(parent: ET.Element, codes: list[Any], *, ns: str = NS,
                note_refs: dict[Any, list[str]] | None = None) -> None:
    """The code system as nested `<Code>` elements under `parent` (a codebook's or a project's
    `<Codes>`): the one writer for `.qdc` codebooks and `.qdpx` projects. `note_refs`: per code pk,
    the GUIDs of notes (memos) on that code, written as `<NoteRef>` after the description."""
    elements: dict[Any, ET.Element] = {}
    for code in _ordered(codes):
        parent_el = elements.get(code.parent_id, parent)
        attrs = {"guid": str(code.guid), "name": code.name, "isCodable": "true"}
        if code.color:
            attrs["color"] = code.color
        el = ET.SubElement(parent_el, f"{{{ns}}}Code", attrs)
        if code.description:
            ET.SubElement(el, f"{{{ns}}}Description").text = code.description
        for guid in (note_refs or {}).get(code.pk, []):
            ET.SubElement(el, f"{{{ns}}}NoteRef", {"targetGUID": guid})
        elements[code.pk] = el


def to_qdc(codes: list[Any]) -> bytes:
    ET.register_namespace("", NS)
    root = ET.Element(f"{{{NS}}}CodeBook", {"origin": "Werkbrug"})
    write_codes(ET.SubElement(root, f"{{{NS}}}Codes"), codes)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


def _guid(value: str) -> str:
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        raise ValidationError(_("“%(value)s” is not a valid code GUID.") % {"value": value}, code="guid") from None


def from_csv(data: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    if not reader.fieldnames or "name" not in reader.fieldnames:
        raise ValidationError(_("The CSV file needs at least a “name” column."), code="columns")
    rows = []
    for row in reader:
        name = spreadsheet_text((row.get("name") or "").strip())
        if not name:
            continue
        rows.append({
            "guid": _guid(row["guid"]) if (row.get("guid") or "").strip() else str(uuid.uuid4()),
            "name": name,
            "parent": _guid(row["parent_guid"]) if (row.get("parent_guid") or "").strip() else "",
            "description": spreadsheet_text((row.get("description") or "").strip()),
            "color": (row.get("color") or "").strip(),
        })
    return rows


def from_qdc(data: bytes) -> list[dict[str, Any]]:
    """The codes of a REFI-QDA codebook. Hostile files are refused with a ValidationError (a 400):
    DTDs and entities (entity expansion, external entities) through defusedxml, whatever the
    file's encoding, and nesting deeper than `MAX_DEPTH` levels of codes."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ValidationError(_("The file is too large."), code="too_large")
    try:
        root = DefusedET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        # No DTDs or entities in a codebook: refuse them instead of expanding them.
        raise ValidationError(_("This is not a REFI-QDA codebook."), code="format") from None
    except ET.ParseError:
        raise ValidationError(_("This is not a REFI-QDA codebook."), code="format") from None
    if root.tag != f"{{{NS}}}CodeBook":
        raise ValidationError(_("This is not a REFI-QDA codebook."), code="format")
    return read_codes(root.find(f"{{{NS}}}Codes"))


def read_codes(codes: ET.Element | None, *, ns: str = NS) -> list[dict[str, Any]]:
    """The codes under a `<Codes>` element as rows (parents before children), each with the GUIDs
    of the notes it refers to (`notes`); shared by the codebook and the project import."""
    rows: list[dict[str, Any]] = []
    # Walked with a stack, not recursion: a file nested thousands deep cannot exhaust Python's stack.
    stack: list[tuple[ET.Element, str, int]] = [(codes, "", 0)] if codes is not None else []
    while stack:
        element, parent, depth = stack.pop()
        children = element.findall(f"{{{ns}}}Code")
        if children and depth >= MAX_DEPTH:
            raise ValidationError(
                _("The codebook nests codes more than %(n)s levels deep.") % {"n": MAX_DEPTH}, code="too_deep"
            )
        found = []
        for code in children:
            guid = _guid(code.get("guid", ""))
            description = code.find(f"{{{ns}}}Description")
            rows.append({
                "guid": guid, "name": (code.get("name") or "").strip(), "parent": parent,
                "description": (description.text or "").strip() if description is not None else "",
                "color": (code.get("color") or "").strip(),
                "notes": [ref.get("targetGUID", "") for ref in code.findall(f"{{{ns}}}NoteRef")],
            })
            found.append((code, guid, depth + 1))
        stack.extend(reversed(found))
    return rows


def from_upload(upload: Any) -> list[dict[str, Any]]:
    """The codes of an uploaded file: REFI-QDA when its name ends in `.qdc`, else CSV (UTF-8).
    Reads at most one byte past the limit, so that `from_qdc` can refuse a larger file."""
    data = upload.read(MAX_IMPORT_BYTES + 1)
    if upload.name.lower().endswith(".qdc"):
        return from_qdc(data)
    try:
        return from_csv(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(_("Save the CSV file as UTF-8."), code="encoding") from None
