"""The screening log in CONSORT's first box; the allocation log for team and auditor; unblinding."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from werkbrug.core.models import AccessLogRecord
from werkbrug.evaluations import services
from werkbrug.evaluations.consort import consort_counts

from .conftest import consent_to_study


def test_screening_feeds_consort_first_box(research, make_study):
    study = make_study()
    eligible = research.client()
    services.screening_record(study=study, outcome="eligible", client=eligible, screened_by=research.researcher,
                              screened_on=date(2026, 1, 10))
    services.screening_record(study=study, outcome="not_eligible", reason="Jonger dan 18", screened_by=research.researcher)
    services.screening_record(study=study, outcome="not_eligible", reason="Jonger dan 18", screened_by=research.researcher)
    services.screening_record(study=study, outcome="declined", screened_by=research.researcher)
    with pytest.raises(ValidationError):  # not eligible needs its reason
        services.screening_record(study=study, outcome="not_eligible", screened_by=research.researcher)
    with pytest.raises(ValidationError):  # a client who is not enrolled stays anonymous
        services.screening_record(study=study, outcome="declined", client=research.client(), screened_by=research.researcher)
    with pytest.raises(ValidationError):  # no research consent: cannot be enrolled
        services.screening_record(study=study, outcome="eligible", client=research.client(consent=False),
                                  screened_by=research.researcher)
    participant = study.participants.get()
    assert participant.client == eligible and participant.screening.screened_on == date(2026, 1, 10)
    services.participants_enrol_eligible(study=study, enrolled_by=research.researcher)  # the consenting client left
    flow = consort_counts(study=study)
    assert (flow.assessed, flow.excluded, flow.not_eligible, flow.declined) == (5, 3, 2, 1)
    assert dict(flow.exclusion_reasons) == {"Voldoet niet aan de inclusiecriteria: Jonger dan 18": 2, "Wilde niet deelnemen": 1}


def test_screening_through_page_and_api(api, research, make_study):
    study = make_study()
    client = research.client()
    body = api.get(f"/api/v1/research/studies/{study.pk}/screenings/").json()
    assert body["candidates"] == [client.pseudonym]
    response = api.post(f"/api/v1/research/studies/{study.pk}/screenings/",
                        {"outcome": "eligible", "client": client.pseudonym}, content_type="application/json")
    assert response.status_code == 201 and response.json()["participant"]
    assert api.post(f"/research/studies/{study.pk}/screening/", {"outcome": "declined"}).status_code == 302
    assert study.screenings.count() == 2
    page = api.get(f"/research/studies/{study.pk}/").content.decode()
    assert "Wilde niet deelnemen" in page


@pytest.fixture
def randomised(research, make_study, outsider):
    study = make_study(stratify_by=["benefit"])
    services.study_auditor_add(study=study, person=outsider, added_by=research.researcher)
    for benefit in ("wajong", "ww", "wajong"):
        participant = services.participant_enrol(study=study, client=research.client(benefit=benefit),
                                                 enrolled_by=research.researcher)
        consent_to_study(participant, research.researcher)
        services.participant_randomise(participant=participant, randomised_by=research.researcher)
    return study


def _log(client, study):
    response = client.get(f"/api/v1/research/studies/{study.pk}/allocations/")
    assert response.status_code == 200
    return response.json()


def test_sequence_concealed_from_team_until_auditor_unblinds(client, research, outsider, randomised):
    study = randomised
    client.force_login(research.researcher)
    rows = _log(client, study)
    assert len(rows) == 3 and {r["sequence_number"] for r in rows} == {None} and {r["block_size"] for r in rows} == {None}
    assert {r["stratum"] for r in rows} == {"benefit=wajong", "benefit=ww"} and rows[0]["randomised_by"] == "Rosa Onderzoeker"
    assert client.post(f"/api/v1/research/studies/{study.pk}/unblind/", {"reason": "x"},
                       content_type="application/json").status_code == 404  # the team does not unblind
    client.force_login(outsider)
    rows = _log(client, study)
    assert sorted(r["sequence_number"] for r in rows) == [1, 1, 2] and all(r["block_size"] for r in rows)
    assert client.get(f"/research/studies/{study.pk}/").status_code == 404  # an auditor is not in the team
    assert client.post(f"/research/studies/{study.pk}/unblind/", {"reason": "Analyse klaar"}).status_code == 302
    event = study.events.get(kind="unblinded")
    assert event.actor == outsider and event.reason == "Analyse klaar"
    client.force_login(research.researcher)
    assert sorted(r["sequence_number"] for r in _log(client, study)) == [1, 1, 2]
    with pytest.raises(ValidationError):
        services.study_auditor_add(study=study, person=research.second, added_by=research.researcher)  # a team member


def test_allocation_log_csv_is_escaped_and_logged(client, research, outsider, randomised, make_person):
    study = randomised
    research.researcher.first_name = "=HYPERLINK(1)"
    research.researcher.save()
    client.force_login(outsider)
    before = AccessLogRecord.objects.filter(code="E").count()
    response = client.get(f"/research/studies/{study.pk}/allocations/?format=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["participant", "arm", "randomised_on"] and len(rows) == 4
    assert rows[1][4].startswith("'=HYPERLINK")
    assert AccessLogRecord.objects.filter(code="E").count() == before + 1
    assert client.get(f"/api/v1/research/studies/{study.pk}/allocations.csv").status_code == 200


def test_allocation_log_is_404_for_others(client, randomised, make_person, make_org):
    from werkbrug.core.choices import OrganisationType, Role

    stranger = make_person(make_org(OrganisationType.RESEARCH, "Derde"), Role.RESEARCHER)
    client.force_login(stranger)
    assert client.get(f"/api/v1/research/studies/{randomised.pk}/allocations/").status_code == 404
    assert client.get(f"/research/studies/{randomised.pk}/allocations/?format=csv").status_code == 404


def test_allocation_log_csv_gives_the_time_as_read_in_amsterdam():
    """A UTC moment from the database is written as the clock in Amsterdam showed it."""
    from datetime import UTC, date, datetime

    from werkbrug.evaluations.allocation_log import LogRow, csv_rows

    row = LogRow(participant="P-001", arm="A", randomised_on=date(2026, 7, 1),
                 recorded_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC), randomised_by="R. Onderzoeker", stratum="",
                 imported=False, sequence_number=None, block_number=None, block_size=None)
    line = list(csv_rows([row]))[1]
    assert "2026-07-02 00:30" in line  # summer time: UTC+2
