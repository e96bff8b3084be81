"""The study's lifecycle: draft → running → closed, amendments in the trail, one table for every write."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from werkbrug.evaluations import services, workflow
from werkbrug.evaluations.models import Study, StudyEvent, StudyStatus

from .conftest import consent_to_study


@pytest.mark.parametrize(("status", "action", "allowed"), [
    ("draft", "edit_protocol", True),  # a draft is written freely
    ("draft", "delete", True),
    ("draft", "participants", False),  # nobody is enrolled or randomised before the start
    ("draft", "materials", True),  # questionnaires are built before the start
    ("running", "edit_protocol", False),  # locked: amend instead
    ("running", "amend", True),
    ("running", "participants", True),
    ("running", "delete", False),
    ("running", "respond", True),
    ("closed", "participants", False),  # read-only
    ("closed", "materials", False),
    ("closed", "respond", False),
    ("closed", "amend", False),
    ("closed", "unblind", True),  # the sequence may be opened after the end
])
def test_lifecycle_table(status, action, allowed):
    assert workflow.study_allows(Study(status=status), action) is allowed


def test_draft_is_edited_and_deleted_running_is_locked(research, make_study):
    study = make_study(draft=True)
    assert study.status == StudyStatus.DRAFT
    protocol = {
        "title": "Nieuwe titel", "research_question": "Vinden meer mensen werk?", "design": "rct",
        "starts_on": date(2026, 1, 1), "ends_on": date(2027, 6, 30), "block_multipliers": [2],
        "arms": [{"name": "A", "code": "a"}, {"name": "B", "code": "b", "is_control": True}, {"name": "C", "code": "c"}],
    }
    study = services.study_update(study=study, changed_by=research.researcher, **protocol)
    assert (study.title, study.block_multipliers, study.arms.count()) == ("Nieuwe titel", [2], 3)
    with pytest.raises(ValidationError) as exc:
        services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    assert exc.value.code == "study_status"
    services.study_start(study=study, started_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        services.study_update(study=study, changed_by=research.researcher, **protocol)
    assert exc.value.code == "study_status"
    with pytest.raises(ValidationError):
        services.study_delete(study=study, deleted_by=research.researcher)
    other = make_study(draft=True, title="Weg ermee")
    services.study_delete(study=other, deleted_by=research.researcher)
    assert not Study.objects.filter(pk=other.pk).exists()


def test_amendment_is_recorded_and_randomisation_settings_never_change(research, make_study):
    study = make_study()
    event = services.study_amend(
        study=study, amended_by=research.researcher, reason="METC-besluit 12", effective_on=date(2026, 3, 1),
        changes={"follow_up_days": [180, 90, 540], "ends_on": date(2028, 6, 30),
                 "arms": {"usual": {"name": "Gebruikelijke zorg"}}},
    )
    study.refresh_from_db()
    assert study.follow_up_days == [90, 180, 540] and study.ends_on == date(2028, 6, 30)
    assert event.kind == "amended" and event.actor == research.researcher and event.effective_on == date(2026, 3, 1)
    assert event.before["follow_up_days"] == [90, 180, 365] and event.after["follow_up_days"] == [90, 180, 540]
    assert event.after["arms"]["usual"]["name"] == "Gebruikelijke zorg"
    with pytest.raises(ValidationError) as exc:
        services.study_amend(study=study, amended_by=research.researcher, reason="x", effective_on=date(2026, 3, 1),
                             changes={"block_multipliers": [4]})
    assert "block_multipliers" in str(exc.value)
    with pytest.raises(ValidationError):  # a reason is required
        services.study_amend(study=study, amended_by=research.researcher, reason=" ", effective_on=date(2026, 3, 1),
                             changes={"title": "Andere titel"})
    with pytest.raises(ValueError):  # the trail is append-only
        event.save()


def test_closed_study_is_read_only_and_exports_remain(api, research, populated):
    study = populated.study
    services.study_close(study=study, closed_by=research.researcher, reason="Laatste meting gedaan")
    participant = populated.people[0]
    for write in (
        lambda: services.participant_stage_set(participant=participant, stage="followed_up", recorded_by=research.researcher),
        lambda: services.recorded_job_add(participant=participant, start=date(2026, 2, 2), hours_per_week=10,
                                          recorded_by=research.researcher),
        lambda: services.questionnaire_create(study=study, title="Nog een", created_by=research.researcher),
        lambda: services.questionnaire_remind(questionnaire=populated.questionnaire, reminded_by=research.researcher),
    ):
        with pytest.raises(ValidationError) as exc:
            write()
        assert exc.value.code == "study_status"
    open_invitation = next(i for i in populated.invitations if i.participant_id and i.responded_at is None)
    with pytest.raises(ValidationError):
        services.response_submit(invitation=open_invitation, answers={"grade": 7, "helped": 3})
    assert api.get(f"/research/studies/{study.pk}/export/?table=participants&format=csv").status_code == 200
    response = api.post(f"/api/v1/research/studies/{study.pk}/participants/{participant.pk}/stage/",
                        {"stage": "followed_up"}, content_type="application/json")
    assert response.status_code == 400 and "gesloten" in response.content.decode()
    assert response.json()["errors"][0]["code"] == "study_status"
    assert list(StudyEvent.objects.filter(study=study).values_list("kind", flat=True)) == ["started", "closed"]


def test_lifecycle_api(api, research, make_study):
    study = make_study(draft=True)
    base = f"/api/v1/research/studies/{study.pk}/"
    assert api.post(base + "amendments/", {"reason": "x", "effective_on": "2026-03-01", "changes": {"title": "y"}},
                    content_type="application/json").status_code == 400  # a draft is edited, not amended
    assert api.post(base + "start/").json()["status"] == "running"
    response = api.post(base + "amendments/", {"reason": "Ethische commissie", "effective_on": "2026-03-01",
                                               "changes": {"title": "Nieuwe titel"}}, content_type="application/json")
    assert response.status_code == 201 and response.json()["after"] == {"title": "Nieuwe titel"}
    assert api.delete(base + "protocol/").status_code == 400  # a running study is never deleted
    assert [e["kind"] for e in api.get(base + "events/").json()] == ["started", "amended"]
    assert api.post(base + "close/", {"reason": "Klaar"}, content_type="application/json").json()["status"] == "closed"


def test_lifecycle_endpoints_are_404_for_outsiders(client, outsider, make_study):
    study = make_study(draft=True)
    client.force_login(outsider)
    base = f"/api/v1/research/studies/{study.pk}/"
    assert client.post(base + "start/").status_code == 404
    assert client.delete(base + "protocol/").status_code == 404
    assert client.post(f"/research/studies/{study.pk}/lifecycle/", {"action": "delete"}).status_code == 404
    assert Study.objects.filter(pk=study.pk, status="draft").exists()


def test_retrospective_randomisation_date(research, make_study):
    study = make_study()
    participant = services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    consent_to_study(participant, research.researcher)
    with pytest.raises(ValidationError):
        services.participant_randomise(participant=participant, randomised_by=research.researcher,
                                       randomised_on=date(2025, 12, 1))  # before the study's start
    allocation = services.participant_randomise(participant=participant, randomised_by=research.researcher,
                                                randomised_on=date(2026, 1, 15))
    assert allocation.randomised_on == date(2026, 1, 15) and allocation.sequence_number == 1
