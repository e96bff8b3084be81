"""The employer research contact: recorded with the client's permission by the study's
researchers; with it the worker mails the employer questionnaires of the schedule (personal link,
absolute, no health data) and reminds them on the day; without it they stay a manual job."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from werkbrug.evaluations import exports, tasks
from werkbrug.evaluations import services as s
from werkbrug.evaluations.models import EmployerContact, Invitation, ScheduledInvitation

from .conftest import consent_to_study

pytestmark = pytest.mark.django_db
AMS = ZoneInfo("Europe/Amsterdam")
ADDRESS = "p.de.vries@bakkerij.example"


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=AMS)


@pytest.fixture
def scheduled(research, make_study):
    """A trial whose schedule asks the client and the employer at baseline and at 6 months."""
    with time_machine.travel(at(2026, 1, 5), tick=False):
        study = make_study(draft=True, title="Ervaringsdeskundigheid bij psychische klachten")
        client_q = s.questionnaire_create(study=study, title="Werk en welzijn", created_by=research.researcher,
                                          questions=[{"code": "grade", "text": "Welk cijfer?", "type": "grade"}])
        employer_q = s.questionnaire_create(study=study, title="Werkgever over depressie", created_by=research.researcher,
                                            questions=[{"code": "fit", "text": "Past het werk?", "type": "grade"}])
        for name, months in (("Nulmeting", 0), ("6 maanden", 6)):
            s.schedule_event_add(study=study, added_by=research.researcher, name=name, offset_months=months,
                                 window_days=28, reminder_after_days=7,
                                 items=[(client_q.pk, "client"), (employer_q.pk, "employer")])
        study = s.study_start(study=study, started_by=research.researcher)
    return study, employer_q


def _randomised(research, study):
    client = research.client()
    with time_machine.travel(at(2026, 1, 5, 9), tick=False):
        participant = s.participant_enrol(study=study, client=client, enrolled_by=research.researcher)
        consent_to_study(participant, research.researcher)
        s.participant_randomise(participant=participant, randomised_by=research.researcher)
    return participant


def _contact(research, participant, **extra):
    fields = {"name": "Piet de Vries", "email": ADDRESS, "permission": True, "permission_given_on": date(2026, 1, 5)}
    with time_machine.travel(at(2026, 1, 5, 9, 30), tick=False):
        return s.employer_contact_set(participant=participant, recorded_by=research.researcher, **(fields | extra))


def _run(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return s.schedule_run()


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def test_employer_invited_and_reminded_by_mail_on_the_day(scheduled, research, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    study, employer_q = scheduled
    with_contact, without = _randomised(research, study), _randomised(research, study)
    _contact(research, with_contact)
    assert _run(at(2026, 1, 5, 7), django_capture_on_commit_callbacks)["sent"] == 0  # the office is closed
    assert _run(at(2026, 1, 5, 11), django_capture_on_commit_callbacks)["sent"] == 3  # two clients, one employer
    (invited,) = _to(ADDRESS)
    invitation = Invitation.objects.get(kind="employer", scheduled__participant=with_contact)
    assert invitation.email == "" and invitation.schedule_event.name == "Nulmeting"
    # the manual path stays for the participant without a contact
    assert not ScheduledInvitation.objects.filter(participant=without, item__respondent="employer").exists()
    # a personal, absolute link; Dutch; no client, study or questionnaire named
    text = invited.body + invited.alternatives[0][0]
    assert f"https://werkbrug.test/research/q/{invitation.token}/" in invited.body
    assert invited.subject == "Een korte vragenlijst voor onderzoek naar werk"
    assert "Beste Piet de Vries" in invited.body and "2 februari 2026" in invited.body
    for secret in ("Sanne", "Geheimnaam", "psychische", "depressie", "Werkgever over", with_contact.study_pseudonym):
        assert secret not in text and secret not in invited.subject
    # once only; a reminder after seven days, once
    assert _run(at(2026, 1, 5, 15), django_capture_on_commit_callbacks)["sent"] == 0
    assert _run(at(2026, 1, 11), django_capture_on_commit_callbacks)["reminded"] == 0
    assert _run(at(2026, 1, 12), django_capture_on_commit_callbacks)["reminded"] == 3
    assert [m.subject for m in _to(ADDRESS)][1] == "Herinnering: een korte vragenlijst voor onderzoek naar werk"
    assert invitation.token in _to(ADDRESS)[1].body
    assert _run(at(2026, 1, 13), django_capture_on_commit_callbacks)["reminded"] == 0
    assert len(_to(ADDRESS)) == 2
    # six months later: the next event on its day (5 July 2026 is a Sunday: Monday 6 July)
    assert _run(at(2026, 7, 6), django_capture_on_commit_callbacks)["sent"] == 3
    assert len(_to(ADDRESS)) == 3


def test_an_answered_or_withdrawn_employer_is_not_reminded(scheduled, research, mailoutbox,
                                                           django_capture_on_commit_callbacks):
    study, employer_q = scheduled
    answering, withdrawing = _randomised(research, study), _randomised(research, study)
    _contact(research, answering)
    _contact(research, withdrawing, email="hr@fabriek.example")
    _run(at(2026, 1, 5, 11), django_capture_on_commit_callbacks)
    assert len(_to(ADDRESS)) == 1 and len(_to("hr@fabriek.example")) == 1
    employer_invitation = Invitation.objects.get(kind="employer", scheduled__participant=answering)
    s.response_submit(invitation=employer_invitation, answers={"fit": 8})
    with time_machine.travel(at(2026, 1, 8), tick=False):
        s.employer_contact_remove(participant=withdrawing, removed_by=research.researcher)
    assert not EmployerContact.objects.filter(participant=withdrawing).exists()
    assert _run(at(2026, 1, 12), django_capture_on_commit_callbacks)["reminded"] == 2  # the two clients only
    assert len(_to(ADDRESS)) == 1 and len(_to("hr@fabriek.example")) == 1
    # the queued mail reads the situation when it runs
    assert tasks.mail_employer_questionnaire(employer_invitation.pk) is False  # answered
    withdrawn = Invitation.objects.get(kind="employer", scheduled__participant=withdrawing)
    assert tasks.mail_employer_questionnaire(withdrawn.pk, True) is False  # no contact any more


def test_a_contact_added_later_is_used_within_the_window(scheduled, research, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    study, _q = scheduled
    participant = _randomised(research, study)
    assert _run(at(2026, 1, 5, 11), django_capture_on_commit_callbacks)["sent"] == 1  # the client only
    _contact(research, participant)
    assert _run(at(2026, 1, 20), django_capture_on_commit_callbacks)["sent"] == 1
    assert len(_to(ADDRESS)) == 1
    assert _run(at(2026, 2, 3), django_capture_on_commit_callbacks)["sent"] == 0  # nothing new after the window


@pytest.mark.parametrize(("extra", "field", "code"), [
    ({"permission": False}, "permission", "permission_required"),
    ({"permission_given_on": None}, "permission_given_on", "permission_date"),
    ({"permission_given_on": date(2026, 1, 6)}, "permission_given_on", "permission_date"),  # tomorrow
    ({"email": "geen adres"}, "email", "email"),
    ({"name": " "}, "name", "name"),
    ({"name": "x" * 121}, "name", "name"),
])
def test_the_contact_needs_the_clients_permission_and_valid_fields(scheduled, research, extra, field, code):
    study, _q = scheduled
    participant = _randomised(research, study)
    with pytest.raises(ValidationError) as caught:
        _contact(research, participant, **extra)
    assert caught.value.error_dict[field][0].code == code
    assert not EmployerContact.objects.exists()


def test_api_and_page_for_the_team_only(scheduled, research, client, outsider):
    study, _q = scheduled
    participant = _randomised(research, study)
    url = f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/employer-contact/"
    page = f"/research/studies/{study.pk}/participants/{participant.pk}/employer-contact/"
    body = {"name": "Piet de Vries", "email": ADDRESS, "permission": True, "permission_given_on": "2026-01-05"}
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.put(url, body, content_type="application/json").status_code == 404
    assert client.post(page, {**body, "permission": "on"}).status_code == 404
    assert not EmployerContact.objects.exists()
    client.force_login(research.researcher)
    assert client.get(url).json() == {"contact": None}
    with time_machine.travel(at(2026, 1, 6), tick=True):
        refused = client.put(url, {**body, "permission": False}, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["code"] == "permission_required"
        saved = client.put(url, body, content_type="application/json")
    assert saved.status_code == 200
    assert saved.json()["contact"] == {"name": "Piet de Vries", "email": ADDRESS, "permission_given_on": "2026-01-05",
                                       "recorded_on": "2026-01-06"}
    html = client.get(f"/research/studies/{study.pk}/participants/{participant.pk}/queue/",
                      HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Piet de Vries" in html and "Contactpersoon bij de werkgever" in html and "Employer" not in html
    client.force_login(outsider)
    assert client.delete(url).status_code == 404
    assert client.post(page, {"action": "remove"}).status_code == 404
    assert EmployerContact.objects.filter(participant=participant).exists()
    client.force_login(research.researcher)
    removed = client.post(page, {"action": "remove"})
    assert removed.status_code == 302 and not EmployerContact.objects.exists()
    with time_machine.travel(at(2026, 1, 6), tick=True):
        added = client.post(page, {"name": "Jan", "email": "jan@zaak.example", "permission": "on",
                                   "permission_given_on": "2026-01-06"})
        assert added.status_code == 302 and EmployerContact.objects.get().name == "Jan"
        unticked = client.post(page, {"name": "Jan", "email": "jan@zaak.example", "permission_given_on": "2026-01-06"})
        assert unticked.status_code == 302 and EmployerContact.objects.get().email == "jan@zaak.example"
    assert client.delete(url).status_code == 204 and not EmployerContact.objects.exists()


def test_the_contact_is_never_exported(scheduled, research):
    study, _q = scheduled
    participant = _randomised(research, study)
    _contact(research, participant)
    tables = exports.data_tables(study)
    text = repr([t.rows for t in tables]) + repr(exports.codebook_table(tables).rows)
    assert ADDRESS not in text and "Piet" not in text
    assert not re.search(r"employer_contact|contact", " ".join(v.name for t in tables for v in t.variables))
