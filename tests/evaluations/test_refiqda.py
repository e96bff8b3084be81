"""The REFI-QDA project (.qdpx): export valid against the REFI-QDA Project schema, import, round trip."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from werkbrug.core.choices import Role
from werkbrug.evaluations import qualitative as q
from werkbrug.evaluations import refiqda
from werkbrug.evaluations.models import Code, Coding, Interview, Memo

XSD = Path(__file__).parent / "data" / "Project-mrt2019.xsd"
NS = {"q": refiqda.NS}


@pytest.fixture(scope="module")
def schema():
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture
def worked(populated, research):
    """The populated study with spans, memos on a code and a passage, and a colour."""
    barriers, time_code, support = populated.codes
    Code.objects.filter(pk=support.pk).update(color="#22AA44")
    q.coding_span_add(passage=populated.passages[1], code=support, level="professional", coder=research.researcher,
                      quote="tijd")
    q.coding_span_add(passage=populated.passages[2], code=time_code, level="management", coder=research.second,
                      start=4, end=14)
    q.memo_add(study=populated.study, author=research.researcher, code=barriers, text="Knelpunten: breed.\nTweede regel.")
    q.memo_add(study=populated.study, author=research.second, passage=populated.passages[0], text="Hoge verwachting.")
    return populated


def _qde(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("project.qde")


def _normalised(data: bytes) -> tuple[str, dict[str, str]]:
    """project.qde with every GUID replaced by its order of appearance and the export moment
    dropped, plus the sources by their normalised name: equal projects give equal results."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        qde = archive.read("project.qde").decode()
        sources = {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("sources/")}
    guids: dict[str, str] = {}

    def name(match):
        return guids.setdefault(match.group(0), f"G{len(guids)}")

    pattern = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    qde = re.sub(r'(<Project [^>]*)creationDateTime="[^"]*"', r"\1", qde)
    qde = pattern.sub(name, qde)
    return qde, {pattern.sub(name, k): v for k, v in sources.items()}


def test_export_validates_against_the_refi_qda_project_schema(api, worked, schema):
    r = api.get(f"/api/v1/research/studies/{worked.study.pk}/project.qdpx")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    document = etree.fromstring(_qde(r.content))
    assert schema.validate(document), schema.error_log
    # Sources with their text in the zip, selections with positions, codings, codes, notes, users.
    sources = document.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == ["R1-01", "R2-01"]
    with zipfile.ZipFile(io.BytesIO(r.content)) as archive:
        text = archive.read("sources/" + sources[0].get("plainTextPath").removeprefix("internal://")).decode()
    assert text == "Ik verwacht veel van de ervaringsdeskundige.\n\nDe tijd is krap.\n\nHet management steunt het project."
    selections = sources[0].findall("q:PlainTextSelection", NS)
    spans = [(int(x.get("startPosition")), int(x.get("endPosition"))) for x in selections]
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert text[spans[2][0]:spans[2][1]] == "tijd"  # passage 2 starts at 46
    assert "management" in [text[a:b] for a, b in spans]
    assert len(document.findall(".//q:Coding", NS)) == Coding.objects.filter(code__study=worked.study).count()
    assert [c.get("name") for c in document.findall("q:CodeBook/q:Codes/q:Code", NS)] == ["Knelpunten", "Steun"]
    assert document.find(".//q:Code[@name='Steun']", NS).get("color") == "#22AA44"
    assert len(document.findall("q:Notes/q:Note", NS)) == 2
    assert {u.get("name") for u in document.findall("q:Users/q:User", NS)} == {"Rosa Onderzoeker", "Ravi Tweede"}
    # The code memo hangs on its code, the passage memo on the passage's selection.
    assert document.find(".//q:Code[@name='Knelpunten']/q:NoteRef", NS) is not None
    assert any(s.find("q:NoteRef", NS) is not None for s in selections)


def test_web_export_matches_the_api(api, worked):
    web = api.get(f"/research/studies/{worked.study.pk}/project.qdpx")
    assert web.status_code == 200
    assert _normalised(web.content) == _normalised(api.get(f"/api/v1/research/studies/{worked.study.pk}/project.qdpx").content)


def test_round_trip_export_import_export_is_equal(api, worked, research, make_study, schema):
    first = api.get(f"/api/v1/research/studies/{worked.study.pk}/project.qdpx").content
    target = make_study(title="Kopie")
    target.researchers.add(research.second)
    r = api.post(f"/api/v1/research/studies/{target.pk}/project.qdpx", {
        "file": _upload(first), "respondent_role": "professional", "level": "professional"})
    assert r.status_code == 201, r.content
    assert r.json() == {"sources": 2, "codes": 3, "codings": Coding.objects.filter(code__study=worked.study).count(),
                        "memos": 2, "skipped": 0}
    # Coders keep their codings (matched by name), codes their GUIDs.
    assert set(Coding.objects.filter(code__study=target).values_list("coder_id", flat=True)) == {
        research.researcher.pk, research.second.pk}
    assert set(target.codes.values_list("guid", flat=True)) == set(worked.study.codes.values_list("guid", flat=True))
    assert Interview.objects.filter(round__study=target).count() == 2
    assert Memo.objects.filter(study=target, code__name="Knelpunten").exists()
    second = api.get(f"/api/v1/research/studies/{target.pk}/project.qdpx").content
    assert schema.validate(etree.fromstring(_qde(second)))
    title_free = [_normalised(x) for x in (first, second)]
    title_free = [(re.sub(r'name="[^"]*" origin', "origin", qde, count=1), sources) for qde, sources in title_free]
    assert title_free[0] == title_free[1]


def _upload(data: bytes, name: str = "project.qdpx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/zip")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


# A source text with Windows line ends, as a file in the zip: positions count the CR characters.
FOREIGN_TEXT = b"Eerste alinea over hoop.\r\nNog een regel.\r\n\r\nTweede alinea over werk."
FOREIGN = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Van elders" origin="QDA">
  <Users><User guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="Iemand Anders"/></Users>
  <CodeBook><Codes><Code guid="{BBBBBBBB-0000-4000-8000-000000000001}" name="Hoop" isCodable="true" color="#F80">
    <NoteRef targetGUID="CCCCCCCC-0000-4000-8000-000000000001"/></Code></Codes></CodeBook>
  <Sources>
    <TextSource guid="DDDDDDDD-0000-4000-8000-000000000001" name="Gesprek A" plainTextPath="internal://DDDDDDDD.txt">
      <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000001" startPosition="19" endPosition="62">
        <Coding guid="FFFFFFFF-0000-4000-8000-000000000001" creatingUser="AAAAAAAA-0000-4000-8000-000000000001">
          <CodeRef targetGUID="BBBBBBBB-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="EEEEEEEE-0000-4000-8000-000000000002" startPosition="0" endPosition="5">
        <Coding guid="FFFFFFFF-0000-4000-8000-000000000002"><CodeRef targetGUID="99999999-0000-4000-8000-000000000001"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Notes><Note guid="CCCCCCCC-0000-4000-8000-000000000001" name="n"><PlainTextContent>Over hoop.</PlainTextContent></Note></Notes>
</Project>"""


def test_import_of_a_foreign_project_splits_selections_over_passages(api, populated, research):
    r = api.post(f"/api/v1/research/studies/{populated.study.pk}/project.qdpx", {
        "file": _upload(_zip({"project.qde": FOREIGN.encode(), "sources/DDDDDDDD.txt": FOREIGN_TEXT})),
        "respondent_role": "client", "level": "client"})
    assert r.status_code == 201, r.content
    assert r.json() == {"sources": 1, "codes": 1, "codings": 2, "memos": 1, "skipped": 1}
    interview = Interview.objects.get(round__study=populated.study, label="Gesprek A")
    first, second = interview.passages.order_by("number")
    hope = Code.objects.get(study=populated.study, name="Hoop")
    assert hope.color == "#FF8800"
    # Positions 18–62 of the CR LF text: "hoop.\r\nNog een regel." (to the end of passage 1) and
    # "Tweede alinea over" in passage 2; the unknown coder's codings are the importer's.
    spans = {c.passage_id: c.quote for c in Coding.objects.filter(code=hope)}
    assert spans == {first.pk: "hoop.\nNog een regel.", second.pk: "Tweede alinea over"}
    assert set(Coding.objects.filter(code=hope).values_list("coder_id", flat=True)) == {research.researcher.pk}
    assert Memo.objects.get(code=hope).text == "Over hoop."


@pytest.mark.parametrize(("payload", "code"), [
    (b"geen zip", "format"),
    (_zip({"other.xml": b"<x/>"}), "format"),
    (_zip({"project.qde": b"<Project xmlns='urn:QDA-XML:codebook:1.0' name='x'/>"}), "format"),
    (_zip({"project.qde": b'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaa">]><Project xmlns="urn:QDA-XML:project:1.0" name="&a;"/>'}), "format"),
    (_zip({"project.qde": b'<Project xmlns="urn:QDA-XML:project:1.0" name="x"><Sources><TextSource guid="DDDDDDDD-0000-4000-8000-000000000001" '
                          b'plainTextPath="internal://../../etc/passwd"/></Sources></Project>'}), "format"),
    (_zip({"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0' name='x'/>", "big.txt": b"0" * (refiqda.MAX_UNPACKED + 1)}), "too_large"),
])
def test_hostile_projects_answer_400(api, populated, payload, code):
    r = api.post(f"/api/v1/research/studies/{populated.study.pk}/project.qdpx", {
        "file": _upload(payload), "respondent_role": "client", "level": "client"})
    assert r.status_code == 400, r.content
    assert code in r.content.decode()
    assert not Interview.objects.filter(round__study=populated.study, round__title__icontains="REFI").exists()


def test_import_refuses_a_source_that_names_a_client(api, populated):
    name = f"{populated.clients[0].first_name} {populated.clients[0].last_name}"
    qde = FOREIGN.replace("Eerste alinea over hoop.", f"{name} vertelt over hoop.")
    r = api.post(f"/api/v1/research/studies/{populated.study.pk}/project.qdpx", {
        "file": _upload(_zip({"project.qde": qde.encode(), "sources/DDDDDDDD.txt": FOREIGN_TEXT.replace(b"Eerste alinea", name.encode())})),
        "respondent_role": "client", "level": "client"})
    assert r.status_code == 400 and "identifying" in r.content.decode()
    assert not Code.objects.filter(study=populated.study, name="Hoop").exists()  # one transaction


def test_project_page_imports_and_links(api, populated):
    page = api.get(f"/research/studies/{populated.study.pk}/project/")
    assert page.status_code == 200 and "project.qdpx" in page.content.decode()
    r = api.post(f"/research/studies/{populated.study.pk}/project/", {
        "file": _upload(_zip({"project.qde": FOREIGN.encode(), "sources/DDDDDDDD.txt": FOREIGN_TEXT})),
        "respondent_role": "client", "level": "client"})
    assert r.status_code == 302
    r = api.post(f"/research/studies/{populated.study.pk}/project/", {
        "file": _upload(b"nee"), "respondent_role": "client", "level": "client"})
    assert r.status_code == 400 and "REFI-QDA" in r.content.decode()


def test_codebook_qdc_still_uses_the_shared_writer(api, worked, research, make_person):
    body = api.get(f"/api/v1/research/studies/{worked.study.pk}/codebook.qdc").content.decode()
    assert 'name="Tijd"' in body and "NoteRef" not in body
    assert make_person  # fixture used by other tests; keeps the signature uniform
    assert Role.RESEARCHER
