"""Privacy edges of research: withdrawn consent, response times, names in interviews, hostile codebooks."""

from __future__ import annotations

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from werkbrug.evaluations import codebook, selectors, services
from werkbrug.evaluations.models import Code, Interview


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1), tick=True):
        yield


def _withdraw(populated, research, participant):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    consent_withdraw(client=participant.client, organisation=research.institute, category="research",
                     recorded_by=research.researcher, method=ConsentMethod.VERBAL)


# --- 1. withdrawn research consent -------------------------------------------------------------


def test_a_participant_who_withdrew_disappears_from_pages_and_api(populated, research, client, today):
    gone = populated.people[0]
    _withdraw(populated, research, gone)
    client.force_login(research.researcher)
    s = populated.study.pk
    assert client.get(f"/research/studies/{s}/participants/{gone.pk}/").status_code == 404
    page = client.get(f"/research/studies/{s}/").content.decode()
    assert gone.study_pseudonym not in page
    assert populated.people[1].study_pseudonym in page
    listing = client.get(f"/api/v1/research/studies/{s}/participants/").json()
    pseudonyms = {row["participant"] for row in listing["results"]}
    assert gone.study_pseudonym not in pseudonyms and populated.people[1].study_pseudonym in pseudonyms
    # CONSORT keeps the count (and only the count)
    detail = client.get(f"/api/v1/research/studies/{s}/").json()
    assert detail["consort"]["withdrew_consent"] == 1 and detail["consort"]["assessed"] == 9


def test_the_withdrawn_participant_page_is_logged_as_refused(populated, research, client, today):
    from werkbrug.core.models import AccessLogRecord

    gone = populated.people[0]
    _withdraw(populated, research, gone)
    client.force_login(research.researcher)
    client.get(f"/research/studies/{populated.study.pk}/participants/{gone.pk}/")
    record = AccessLogRecord.objects.latest("id")
    assert (record.action, record.granted) == ("participant.view", False)


# --- 2. response times: the day only -------------------------------------------------------------


def test_research_day_is_the_amsterdam_day():
    late = datetime(2026, 3, 1, 23, 30, 12, 123456, tzinfo=ZoneInfo("UTC"))  # 00:30 on 2 March in Amsterdam
    assert selectors.research_day(late) == date(2026, 3, 2)
    assert selectors.research_day(None) is None


def test_tracking_api_shows_response_days_not_times(populated, research, client, today):
    client.force_login(research.researcher)
    s, q = populated.study.pk, populated.questionnaire.pk
    rows = client.get(f"/api/v1/research/studies/{s}/questionnaires/{q}/tracking/").json()["invitations"]
    answered = [r for r in rows if r["responded"]]
    assert answered
    for row in rows:
        assert len(row["sent_at"]) == 10  # YYYY-MM-DD
        assert row["responded_at"] is None or len(row["responded_at"]) == 10
    assert answered[0]["responded_at"] == "2026-02-01"


# --- 3. names in interview labels and transcripts ---------------------------------------------------


@pytest.mark.parametrize("field", ["label", "transcript"])
def test_interview_naming_a_client_of_the_region_is_refused(populated, research, field, today):
    named = populated.clients[0]
    values = {"label": "R1-09", "transcript": "Het ging goed.\n\nDe coach hielp."}
    values[field] = f"Gesprek met {named.first_name} {named.last_name}"
    with pytest.raises(ValidationError) as exc:
        services.interview_add(round=populated.rounds[0], respondent_role="client", held_on=date(2026, 5, 1),
                               added_by=research.researcher, **values)
    assert exc.value.message_dict[field]
    assert named.last_name in exc.value.message_dict[field][0]
    assert not Interview.objects.filter(label="R1-09").exists()


def test_interview_api_refuses_a_surname_in_the_transcript_in_dutch(populated, research, client, today):
    client.force_login(research.researcher)
    named = populated.clients[1]
    response = client.post(
        f"/api/v1/research/studies/{populated.study.pk}/rounds/{populated.rounds[0].pk}/interviews/",
        {"label": "R1-10", "respondent_role": "client", "held_on": "2026-05-01",
         "transcript": f"Mevrouw {named.last_name} vertelde over haar werk."},
        content_type="application/json", HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors[0]["code"] == "identifying" and errors[0]["field"] == "transcript"
    assert "identificeert een cliënt" in errors[0]["message"]


def test_interview_without_names_is_accepted(populated, research, today):
    interview = services.interview_add(round=populated.rounds[0], label="R1-11", respondent_role="client",
                                       held_on=date(2026, 5, 1), transcript="Het werk bevalt goed.",
                                       added_by=research.researcher)
    assert interview.passages.count() == 1


# --- 5. hostile codebooks ---------------------------------------------------------------------------


NS = "urn:QDA-XML:codebook:1.0"


def _nested(depth: int) -> bytes:
    import uuid

    opens = "".join(f'<Code guid="{uuid.uuid4()}" name="c{i}" isCodable="true">' for i in range(depth))
    return f'<?xml version="1.0"?><CodeBook xmlns="{NS}"><Codes>{opens}{"</Code>" * depth}</Codes></CodeBook>'.encode()


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    f'<CodeBook xmlns="{NS}"><Codes><Code guid="0b8f6c1e-6d39-4b5e-9a55-3f1f5a0f0a11" name="&lol3;"/></Codes></CodeBook>'
)


@pytest.mark.parametrize("data", [
    _nested(5000),
    LAUGHS.encode(),
    LAUGHS.replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>', 1).encode("utf-16"),  # no byte-level "<!DOCTYPE"
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook xmlns="' + NS.encode() + b'">&e;</CodeBook>',
], ids=["deep", "laughs", "laughs-utf16", "external"])
def test_hostile_codebook_is_a_400_with_a_message(populated, research, client, data, today):
    client.force_login(research.researcher)
    upload = SimpleUploadedFile("codes.qdc", data, content_type="application/xml")
    response = client.post(f"/api/v1/research/studies/{populated.study.pk}/codes/import/", {"file": upload})
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] in ("too_deep", "format")
    assert Code.objects.filter(study=populated.study).count() == 3


def test_deep_codebook_on_the_page_is_a_400(populated, research, client, today):
    client.force_login(research.researcher)
    upload = SimpleUploadedFile("codes.qdc", _nested(5000))
    response = client.post(f"/research/studies/{populated.study.pk}/codes/", {"action": "import", "f-file": upload})
    assert response.status_code == 400
    assert "niveaus diep" in response.content.decode()


def test_a_codebook_within_the_depth_limit_imports_parents_first():
    rows = codebook.from_qdc(_nested(codebook.MAX_DEPTH))
    assert len(rows) == codebook.MAX_DEPTH
    guids = set()
    for row in rows:
        assert row["parent"] == "" or row["parent"] in guids
        guids.add(row["guid"])
    with pytest.raises(ValidationError) as exc:
        codebook.from_qdc(_nested(codebook.MAX_DEPTH + 1))
    assert exc.value.code == "too_deep"


def test_qdc_round_trip_still_works(populated):
    data = codebook.to_qdc(list(populated.study.codes.all()))
    rows = codebook.from_qdc(data)
    assert {r["name"] for r in rows} == {"Knelpunten", "Tijd", "Steun"}
    assert io.BytesIO(data).read(5) == b"<?xml"
