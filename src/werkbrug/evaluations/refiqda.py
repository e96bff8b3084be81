"""A study's qualitative work as a REFI-QDA project (`.qdpx`), to and from ATLAS.ti, NVivo,
MAXQDA, QualCoder and other QDA software.

A `.qdpx` file is a zip with `project.qde` (QDA-XML, namespace `urn:QDA-XML:project:1.0`, the
REFI-QDA Project schema of March 2019) and the text sources under `sources/`:

- `<Users>`: the coders and memo authors (name only; a GUID derived from the account);
- `<CodeBook>`: the code system, written by the same writer as the `.qdc` codebook
  (`codebook.write_codes`), memos on a code as `<NoteRef>`;
- `<Sources>`: one `<TextSource>` per interview (name: its neutral label) whose plain text is
  `sources/<guid>.txt`, the passages joined by an empty line; every coded span is a
  `<PlainTextSelection startPosition endPosition>` (character offsets into that text) with one
  `<Coding>` per coder; memos on a passage hang as `<NoteRef>` on the selection of the whole passage;
- `<Notes>`: the memos as `<Note>` with their text.

Import (`project_import`) adds to a study: the codes (GUIDs kept; known GUIDs reused), one
interview per text source in a new round (split into passages at empty lines, checked for names
like any transcript), the codings (a selection across passages is coded on each passage it
covers) and the memos. A coder is matched to the study's researcher of the same name, otherwise
the importing researcher becomes the coder. The file's level of analysis is not part of REFI-QDA:
the importer chooses the level for every imported coding. Hostile files answer 400: DTDs and
entities are refused, sizes and counts are bounded, and nothing is extracted to disk.
"""

from __future__ import annotations

import bisect
import io
import uuid
import xml.etree.ElementTree as ET  # noqa: S405 — only to build XML; parsing goes through defusedxml
import zipfile
from collections import defaultdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import defusedxml.ElementTree as DefusedET
from defusedxml import DefusedXmlException
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy

from . import codebook, services, workflow
from .models import (
    Code,
    Coding,
    Interview,
    InterviewRound,
    Level,
    Memo,
    Passage,
    RespondentRole,
    Study,
)
from .qualitative import memo_text_checked, resolve_span

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = ["NS", "project_export", "project_import"]

NS = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("5b0c7e54-1f7e-4f3e-9a51-9d7c5e0d2c17")  # Werkbrug's: derived GUIDs stay stable
MAX_UPLOAD = 20_000_000
MAX_UNPACKED = 50_000_000
MAX_MEMBERS = 2_000
MAX_SOURCES = 500
MAX_SELECTIONS = 50_000
SEPARATOR = "\n\n"


def _derived(kind: str, pk: Any) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{pk}"))


def _when(moment: datetime | None) -> str:
    return (moment or timezone.now()).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


# --- export -----------------------------------------------------------------------------------


def project_export(*, study: Study) -> bytes:
    """The study's interviews, codes, codings and memos as a `.qdpx` file (zip bytes). The caller
    has authorised the export (`study.export`)."""
    codes = list(study.codes.all())
    code_guid = {c.pk: str(c.guid) for c in codes}
    interviews = list(Interview.objects.filter(round__study=study).select_related("round")
                      .order_by("round__number", "label", "pk"))
    passages: dict[int, list[Passage]] = defaultdict(list)
    for passage in Passage.objects.filter(interview__round__study=study).order_by("interview_id", "number"):
        passages[passage.interview_id].append(passage)
    codings: dict[int, list[Coding]] = defaultdict(list)
    for coding in Coding.objects.filter(code__study=study).select_related("coder").order_by("passage_id", "start", "end", "pk"):
        codings[coding.passage_id].append(coding)
    memos = list(Memo.objects.filter(study=study).select_related("author").order_by("created_at", "pk"))
    users: dict[int, Any] = {}
    for items in codings.values():
        for coding in items:
            users[coding.coder_id] = coding.coder
    for memo in memos:
        users[memo.author_id] = memo.author

    ET.register_namespace("", NS)
    root = ET.Element(_q("Project"), {"name": study.title, "origin": "Werkbrug", "creationDateTime": _when(None)})
    if users:
        users_el = ET.SubElement(root, _q("Users"))
        for pk, person in sorted(users.items()):
            ET.SubElement(users_el, _q("User"), {"guid": _derived("user", pk), "name": person.get_full_name() or str(pk)})
    code_notes: dict[int, list[str]] = defaultdict(list)
    passage_notes: dict[int, list[str]] = defaultdict(list)
    for memo in memos:
        if memo.code_id:
            code_notes[memo.code_id].append(str(memo.guid))
        else:
            passage_notes[memo.passage_id].append(str(memo.guid))
    if codes:
        codes_el = ET.SubElement(ET.SubElement(root, _q("CodeBook")), _q("Codes"))
        codebook.write_codes(codes_el, codes, ns=NS, note_refs=code_notes)
    texts: dict[str, str] = {}
    if interviews:
        sources_el = ET.SubElement(root, _q("Sources"))
        for interview in interviews:
            guid = _derived("interview", interview.pk)
            source = ET.SubElement(sources_el, _q("TextSource"), {
                "guid": guid, "name": interview.label, "plainTextPath": f"internal://{guid}.txt",
            })
            base = 0
            parts = []
            for passage in passages[interview.pk]:
                spans: dict[tuple[int, int], list[Coding]] = defaultdict(list)
                for coding in codings[passage.pk]:
                    start, end = (coding.start, coding.end) if coding.start is not None else (0, len(passage.text))
                    spans[(start, end)].append(coding)
                if passage_notes[passage.pk]:
                    spans.setdefault((0, len(passage.text)), [])
                for (start, end), items in sorted(spans.items()):
                    whole = (start, end) == (0, len(passage.text))
                    selection = ET.SubElement(source, _q("PlainTextSelection"), {
                        "guid": _derived("selection", f"{passage.pk}:{start}:{end}"),
                        "name": passage.text[start:end][:60], "startPosition": str(base + start),
                        "endPosition": str(base + end),
                    })
                    for coding in items:
                        coding_el = ET.SubElement(selection, _q("Coding"), {
                            "guid": _derived("coding", coding.pk), "creatingUser": _derived("user", coding.coder_id),
                            "creationDateTime": _when(coding.coded_at),
                        })
                        ET.SubElement(coding_el, _q("CodeRef"), {"targetGUID": code_guid[coding.code_id]})
                    if whole:
                        for note in passage_notes[passage.pk]:
                            ET.SubElement(selection, _q("NoteRef"), {"targetGUID": note})
                parts.append(passage.text)
                base += len(passage.text) + len(SEPARATOR)
            texts[guid] = SEPARATOR.join(parts)
    if memos:
        notes_el = ET.SubElement(root, _q("Notes"))
        for memo in memos:
            note = ET.SubElement(notes_el, _q("Note"), {
                "guid": str(memo.guid), "name": memo.text.splitlines()[0][:60],
                "creatingUser": _derived("user", memo.author_id), "creationDateTime": _when(memo.created_at),
            })
            ET.SubElement(note, _q("PlainTextContent")).text = memo.text
    ET.indent(root)
    qde = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        for guid, text in texts.items():
            archive.writestr(f"sources/{guid}.txt", text.encode("utf-8"))
    return buffer.getvalue()


# --- import -----------------------------------------------------------------------------------


def _refuse(message: str, code: str = "format") -> ValidationError:
    return ValidationError(message, code=code)


def _not_a_project() -> ValidationError:
    return _refuse(_("This is not a REFI-QDA project (.qdpx)."))


def _read_member(archive: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise _refuse(_("The project names a source file “%(name)s” that is not in it.") % {"name": name[:80]}) from None
    with archive.open(info) as handle:
        data = handle.read(MAX_UNPACKED + 1)
    if len(data) > MAX_UNPACKED:
        raise _refuse(_("The file is too large."), "too_large")
    return data


def parse_project(data: bytes) -> dict[str, Any]:
    """The parts of a `.qdpx` file Werkbrug imports, or a ValidationError (400)."""
    if len(data) > MAX_UPLOAD:
        raise _refuse(_("The file is too large."), "too_large")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a_project() from None
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
        raise _refuse(_("The file is too large."), "too_large")
    try:
        root = DefusedET.fromstring(_read_member(archive, "project.qde"), forbid_dtd=True)
    except ValidationError:
        raise _not_a_project() from None
    except (DefusedXmlException, ET.ParseError, zipfile.BadZipFile, OSError, EOFError):
        raise _not_a_project() from None
    if root.tag != _q("Project"):
        raise _not_a_project()
    users = {(u.get("guid") or "").strip("{}").lower(): (u.get("name") or "").strip()
             for u in root.iter(_q("User"))}
    code_book = root.find(_q("CodeBook"))
    codes = codebook.read_codes(code_book.find(_q("Codes")) if code_book is not None else None, ns=NS)
    notes = {}
    for note in root.iter(_q("Note")):
        content = note.find(_q("PlainTextContent"))
        notes[(note.get("guid") or "").strip("{}").lower()] = {
            "text": (content.text or "") if content is not None else "", "user": (note.get("creatingUser") or "").strip("{}").lower(),
            "at": note.get("creationDateTime"),
        }
    sources = []
    selections = 0
    for source in root.iter(_q("TextSource")):
        if len(sources) >= MAX_SOURCES:
            raise _refuse(_("The project has more than %(n)s sources.") % {"n": MAX_SOURCES}, "too_large")
        content = source.find(_q("PlainTextContent"))
        path = source.get("plainTextPath") or ""
        if content is not None:
            text = content.text or ""
        elif path.startswith("internal://"):
            try:
                text = _read_member(archive, "sources/" + path.removeprefix("internal://")).decode("utf-8-sig")
            except UnicodeDecodeError:
                raise _refuse(_("Save the sources as UTF-8."), "encoding") from None
        else:
            raise _refuse(_("Source “%(name)s” has no text in the project.") % {"name": (source.get("name") or "")[:80]})
        picked = []
        for selection in source.findall(_q("PlainTextSelection")):
            selections += 1
            if selections > MAX_SELECTIONS:
                raise _refuse(_("The project has more than %(n)s selections.") % {"n": MAX_SELECTIONS}, "too_large")
            try:
                start, end = int(selection.get("startPosition", "")), int(selection.get("endPosition", ""))
            except ValueError:
                raise _not_a_project() from None
            picked.append({
                "start": start, "end": end,
                "codings": [{
                    "code": (c.find(_q("CodeRef")).get("targetGUID") or "").strip("{}").lower(),  # type: ignore[union-attr]
                    "user": (c.get("creatingUser") or selection.get("creatingUser") or "").strip("{}").lower(),
                    "at": c.get("creationDateTime"),
                } for c in selection.findall(_q("Coding")) if c.find(_q("CodeRef")) is not None],
                "notes": [(n.get("targetGUID") or "").strip("{}").lower() for n in selection.iter(_q("NoteRef"))],
            })
        sources.append({"name": (source.get("name") or "").strip(), "text": text, "selections": picked,
                        "notes": [(n.get("targetGUID") or "").strip("{}").lower() for n in source.findall(_q("NoteRef"))]})
    return {"users": users, "codes": codes, "notes": notes, "sources": sources}


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else timezone.make_aware(moment, UTC)


class _Text:
    """A source's text split into passages the way transcripts are, with each passage's place in
    the text, so a selection's offsets land on the right passages."""

    def __init__(self, text: str):
        # Offsets count characters of the text as sent; CR LF line ends are one character less
        # in the stored passages, so offsets past a CR are shifted back.
        self.returns = [i for i, ch in enumerate(text) if ch == "\r" and text[i + 1:i + 2] == "\n"]
        normal = text.replace("\r\n", "\n")
        self.passages: list[tuple[int, str]] = []
        cursor = 0
        for part in services.split_passages(text):
            at = normal.find(part, cursor)
            self.passages.append((at, part))
            cursor = at + len(part)

    def offset(self, position: int) -> int:
        return position - bisect.bisect_left(self.returns, position)

    def spans(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(passage index, start, end) of every passage the selection covers."""
        start, end = self.offset(start), self.offset(end)
        found = []
        for index, (at, part) in enumerate(self.passages):
            lo, hi = max(start, at), min(end, at + len(part))
            if lo < hi:
                found.append((index, lo - at, hi - at))
        return found


def _color(value: str) -> str:
    value = (value or "").strip()
    if len(value) == 4 and value.startswith("#"):
        return "#" + "".join(ch * 2 for ch in value[1:])
    return value


@transaction.atomic
def project_import(
    *, study: Study, data: bytes, imported_by: User, respondent_role: str, level: str,
    held_on=None,
) -> dict[str, int]:
    """Add a `.qdpx` project's sources, codes, codings and memos to the study (see the module
    docstring). Returns counts per kind; skipped: selections outside every passage or with a
    code the file does not define."""
    study = Study.objects.select_for_update().select_related("region").get(pk=study.pk)
    policy.authorize(imported_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    errors = {}
    if respondent_role not in RespondentRole.values:
        errors["respondent_role"] = ValidationError(_("Choose the respondent's role."), code="invalid")
    if level not in Level.values:
        errors["level"] = ValidationError(_("Choose a level."), code="level")
    if errors:
        raise ValidationError(errors)
    project = parse_project(data)
    for row in project["codes"]:
        row["color"] = _color(row["color"])
    services.codebook_import(study=study, codes=project["codes"], imported_by=imported_by)
    codes = {str(c.guid): c for c in study.codes.all()}
    researchers = {p.get_full_name().strip().lower(): p for p in study.researchers.all() if p.get_full_name().strip()}

    def person(user_guid: str):
        return researchers.get(project["users"].get(user_guid, "").lower(), imported_by)

    counts = {"sources": 0, "codes": len(project["codes"]), "codings": 0, "memos": 0, "skipped": 0}
    notes_done: set[str] = set()
    round_ = None
    if project["sources"]:
        number = (study.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        round_ = InterviewRound.objects.create(study=study, number=number, title=_("Imported from REFI-QDA"))

    def memo(guid: str, *, code: Code | None = None, passage: Passage | None = None) -> None:
        note = project["notes"].get(guid)
        if note is None or guid in notes_done or not note["text"].strip():
            return
        notes_done.add(guid)
        created = Memo.objects.create(study=study, author=person(note["user"]), text=memo_text_checked(study, note["text"]),
                                      code=code, passage=passage, **({"guid": guid} if _is_guid(guid) and not
                                      Memo.objects.filter(study=study, guid=guid).exists() else {}))
        moment = _moment(note["at"])
        if moment:
            Memo.objects.filter(pk=created.pk).update(created_at=moment)
        counts["memos"] += 1

    for row in project["codes"]:
        for guid in row["notes"]:
            memo(guid.strip("{}").lower(), code=codes[row["guid"]])
    used_labels = set(Interview.objects.filter(round__study=study).values_list("label", flat=True))
    for index, source in enumerate(project["sources"]):
        label = (source["name"] or f"QDA-{index + 1}")[:40]
        if label in used_labels:
            label = f"{label[:34]}-{index + 1}"
        used_labels.add(label)
        interview = services.interview_add(
            round=round_, label=label, respondent_role=respondent_role, held_on=held_on or timezone.localdate(),
            transcript=source["text"], added_by=imported_by,
        )
        counts["sources"] += 1
        text = _Text(source["text"])
        passages = list(interview.passages.order_by("number"))
        have: set[tuple[int, int, int, Any, Any]] = set()
        for selection in source["selections"]:
            if selection["start"] < 0 or selection["end"] <= selection["start"]:
                counts["skipped"] += 1
                continue
            covered = text.spans(selection["start"], selection["end"])
            if not covered:
                counts["skipped"] += 1
                continue
            for coding in selection["codings"]:
                code = codes.get(coding["code"])
                if code is None:
                    counts["skipped"] += 1
                    continue
                coder = person(coding["user"])
                for number, start, end in covered:
                    passage = passages[number]
                    s, e = resolve_span(passage.text, start, end)
                    key = (passage.pk, code.pk, coder.pk, s, e)
                    if key in have:
                        continue
                    have.add(key)
                    created = Coding.objects.create(passage=passage, code=code, coder=coder, level=level, start=s, end=e)
                    moment = _moment(coding["at"])
                    if moment:
                        Coding.objects.filter(pk=created.pk).update(coded_at=moment)
                    counts["codings"] += 1
            for guid in selection["notes"]:
                memo(guid, passage=passages[covered[0][0]])
        for guid in source["notes"]:
            if passages:
                memo(guid, passage=passages[0])
    return counts


def _is_guid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
