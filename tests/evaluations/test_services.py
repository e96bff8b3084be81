"""Questionnaires, response rates, coding and the outcome analysis through the real services."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from werkbrug.evaluations import analysis, selectors, services
from werkbrug.evaluations.models import Answer, Invitation


def error_codes(exc: ValidationError) -> set[str]:
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {exc.code}


@pytest.fixture
def today():
    with time_machine.travel(date(2026, 6, 1)):
        yield


def test_response_rate_and_statistics(populated, today):
    results = selectors.questionnaire_results(questionnaire=populated.questionnaire)
    assert results.invited == 9  # 8 participants (the excluded one is skipped) + 1 employer link
    assert results.responded == 5
    assert results.response_rate == pytest.approx(5 / 9)
    grade = next(r for r in results.questions if r.question.code == "grade")
    assert grade.description.n == 5
    assert grade.description.mean == pytest.approx((6 + 7 + 8 + 9 + 6) / 5)
    assert (grade.description.minimum, grade.description.maximum) == (6, 9)
    assert dict(grade.distribution)["6"] == 2
    support = next(r for r in results.questions if r.question.code == "support")
    assert dict(support.distribution) == {"Gesprek": 2, "Groep": 3, "Werkplek": 2}
    experience = next(r for r in results.questions if r.question.code == "experience")
    assert len(experience.open_answers) == 5


@pytest.mark.parametrize(
    ("grade", "ok"),
    [
        (0, False),
        (1, True),
        (10, True),
        (11, False),
        ("7.5", True),     # Dutch report grades have halves
        ("6,5", True),     # typed with the Dutch decimal comma
        ("7.25", False),   # but no quarters
        ("10,5", False),
        ("zeven", False),
        (-3, False),
    ],
)
def test_grade_is_a_whole_or_half_point_from_1_to_10(populated, today, grade, ok):
    from decimal import Decimal

    invitation = [i for i in populated.invitations if i.participant_id][6]
    answers = {"grade": grade, "helped": 4}
    if ok:
        services.response_submit(invitation=invitation, answers=answers)
        stored = Answer.objects.get(invitation=invitation, question__code="grade").number
        assert isinstance(stored, Decimal) and stored == Decimal(str(grade).replace(",", "."))
    else:
        with pytest.raises(ValidationError) as exc:
            services.response_submit(invitation=invitation, answers=answers)
        assert "q_grade" in exc.value.message_dict
        assert not Answer.objects.filter(invitation=invitation).exists()
        assert Invitation.objects.get(pk=invitation.pk).responded_at is None


def test_response_to_closed_questionnaire_is_refused(populated, research, today):
    services.questionnaire_close(questionnaire=populated.questionnaire, closed_by=research.researcher)
    invitation = [i for i in populated.invitations if i.participant_id][6]
    with pytest.raises(ValidationError) as exc:
        services.response_submit(invitation=invitation, answers={"grade": 8, "helped": 4})
    assert exc.value.code == "closed"
    assert not Answer.objects.filter(invitation=invitation).exists()


def test_answering_twice_is_refused(populated, today):
    invitation = [i for i in populated.invitations if i.participant_id][0]
    with pytest.raises(ValidationError) as exc:
        services.response_submit(invitation=invitation, answers={"grade": 8, "helped": 4})
    assert exc.value.code == "already_responded"


def test_reminders_go_to_non_responders_only(populated, research, today, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.questionnaire_remind(questionnaire=populated.questionnaire, reminded_by=research.researcher)
    assert count == 4  # 3 participants + 1 employer
    assert Invitation.objects.filter(reminder_count=1).count() == 4
    assert any("werkgever@example.org" in m.to for m in mailoutbox)


def test_open_questionnaires_for_client(populated, today):
    invitation = [i for i in populated.invitations if i.participant_id][6]
    client = invitation.participant.client
    assert list(selectors.open_questionnaires_for_client(client=client)) == [invitation]
    answered_client = [i for i in populated.invitations if i.participant_id][0].participant.client
    assert not selectors.open_questionnaires_for_client(client=answered_client).exists()


def test_code_frequencies_and_agreement(populated, research):
    freq = selectors.code_frequencies(study=populated.study)
    rows = {r["code"].name: r for r in freq["rows"]}
    assert rows["Steun"]["rounds"] == [2, 0]  # passages 1 and 3, counted once whoever coded them
    assert rows["Tijd"]["total"] == 1 and rows["Tijd"]["depth"] == 1
    result = selectors.agreement(study=populated.study, coder_a=research.researcher, coder_b=research.second)
    assert result.units == 3
    # Coder 1: Steun, Tijd, Steun; coder 2: Steun, Tijd, Knelpunten → po = 2/3.
    from werkbrug.evaluations import stats

    assert result.kappa == pytest.approx(stats.cohens_kappa(["S", "T", "S"], ["S", "T", "K"]))
    assert result.alpha == pytest.approx(stats.krippendorff_alpha([("S", "S"), ("T", "T"), ("S", "K")]))


def test_coding_twice_and_foreign_code_refused(populated, research, make_study):
    with pytest.raises(ValidationError):
        services.coding_add(passage=populated.passages[0], code=populated.codes[2], level="client", coder=research.researcher)
    other = make_study(title="Andere studie")
    foreign = services.code_create(study=other, name="Vreemd", created_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        services.coding_add(passage=populated.passages[0], code=foreign, level="client", coder=research.researcher)
    assert error_codes(exc.value) == {"code"}


def test_outcomes_per_arm(populated, today):
    result = analysis.outcomes(study=populated.study)
    assert result.n == 8
    paid_90 = next(tp for tp in result.time_points if tp.days == 90 and tp.outcome == "paid")
    assert sum(r.n for r in paid_90.rows) == 8
    assert sum(r.events for r in paid_90.rows) == 6  # jobs for participants 0,1,3,4,6,7
    [(arm, comparison)] = paid_90.comparisons
    assert comparison.test == "fisher"
    assert sum(c.events for _a, c in result.curves) == 6
    assert result.logrank is not None and result.logrank.dof == 1
    assert result.scores and result.scores[0]["rows"]


def test_withdrawn_consent_leaves_the_analysis(populated, research, today):
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_withdraw

    client = populated.people[0].client
    consent_withdraw(client=client, organisation=research.institute, category="research",
                     recorded_by=research.researcher, method=ConsentMethod.VERBAL)
    assert analysis.outcomes(study=populated.study).n == 7
    assert selectors.consort(study=populated.study).withdrew_consent == 1


def test_consort_counts(populated):
    flow = selectors.consort(study=populated.study)
    assert (flow.assessed, flow.excluded, flow.randomised) == (9, 1, 8)
    assert flow.exclusion_reasons == [("Wil niet meedoen", 1)]
    assert sum(a.allocated for a in flow.arms) == 8
    assert sum(a.started for a in flow.arms) == 6
    assert sum(a.dropped_out for a in flow.arms) == 1


@pytest.mark.parametrize(
    ("current", "new", "ok"),
    [
        ("eligible", "informed", True),
        ("eligible", "consented", False),  # must be informed first
        ("informed", "excluded", True),
        ("consented", "started", False),  # a trial randomises first
        ("randomised", "dropped_out", True),
        ("excluded", "informed", False),  # excluded is final
        ("started", "followed_up", True),
    ],
)
def test_stage_transitions(current, new, ok):
    from werkbrug.evaluations.workflow import can_change

    assert can_change(current, new, randomised_design=True) is ok


def test_exclusion_needs_a_reason(research, make_study):
    study = make_study()
    p = services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
    with pytest.raises(ValidationError) as exc:
        services.participant_stage_set(participant=p, stage="excluded", recorded_by=research.researcher)
    assert error_codes(exc.value) == {"reason_required"}


def test_fidelity_review(research):
    from django.utils import translation

    from werkbrug.evaluations import fidelity

    with pytest.raises(ValidationError):
        services.fidelity_review_record(organisation=research.ggz, team_name="IPS-team", reviewed_on=date(2026, 1, 1),
                                        scores=[3] * 24 + [6], recorded_by=research.researcher)
    review = services.fidelity_review_record(organisation=research.ggz, team_name="IPS-team", reviewed_on=date(2026, 1, 1),
                                             scores=[5] * 20 + [2, 3, 4, 1, 5], recorded_by=research.researcher)
    assert [n for n, _item, _s in fidelity.items_to_improve(review.scores)] == [24, 21, 22]
    with translation.override("en"):
        assert review.total == 115 and fidelity.band(review.total) == "Exemplary fidelity"
        assert fidelity.band(114) == "Good fidelity"
        assert fidelity.band(99) == "Fair fidelity" and fidelity.band(73) == "Not supported employment"
    with translation.override("nl"):
        assert fidelity.band(100) == "Goede modelgetrouwheid"


def test_study_validation(research):
    with pytest.raises(ValidationError) as exc:
        services.study_create(created_by=research.researcher, title="", research_question="", design="rct",
                              starts_on=date(2026, 2, 1), ends_on=date(2026, 1, 1), arms=[{"name": "A", "code": "a"}])
    assert {"title", "research_question", "ends_on", "arms"} <= set(exc.value.message_dict)


def test_non_researcher_cannot_create_a_study(research):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.study_create(created_by=research.jobcoach, title="x", research_question="y", design="descriptive",
                              starts_on=date(2026, 1, 1), ends_on=date(2026, 2, 1), arms=[])


# --- the expectations register --------------------------------------------------------------------


@pytest.fixture
def three_rounds(research, make_study):
    study = make_study()
    made = [services.interview_round_create(study=study, title=t, created_by=research.researcher)
            for t in ("Verwachtingen", "Tussenstand", "Ervaringen")]
    return study, made


def test_expectation_add(research, three_rounds):
    study, (r1, _r2, _r3) = three_rounds
    item = services.expectation_add(round=r1, kind="success_factor", level="organisation", text="  Steun van de top  ",
                                    added_by=research.researcher)
    assert (item.study, item.round, item.kind, item.level, item.text) == (study, r1, "success_factor", "organisation", "Steun van de top")
    assert (item.assessment, item.assessed_in, item.evidence) == ("", None, "")


@pytest.mark.parametrize(("kind", "level", "text"), [
    ("wish", "client", "Meer uren"), ("expectation", "planet", "Meer uren"), ("expectation", "client", "  "),
])
def test_expectation_add_refuses_bad_input(research, three_rounds, kind, level, text):
    from werkbrug.evaluations.models import Expectation

    _study, (r1, _r2, _r3) = three_rounds
    with pytest.raises(ValidationError) as exc:
        services.expectation_add(round=r1, kind=kind, level=level, text=text, added_by=research.researcher)
    assert error_codes(exc.value) == {"invalid"}
    assert not Expectation.objects.exists()


def test_expectation_add_outside_the_team_is_refused(research, three_rounds, make_person, make_org):
    from django.http import Http404

    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.evaluations.models import Expectation

    _study, (r1, _r2, _r3) = three_rounds
    outsider = make_person(make_org(OrganisationType.RESEARCH, "Elders"), Role.RESEARCHER)
    with pytest.raises(Http404):
        services.expectation_add(round=r1, kind="expectation", level="client", text="Meer uren", added_by=outsider)
    assert not Expectation.objects.exists()


@pytest.mark.parametrize("assessment", ["achieved", "exceeded", "adjusted_up", "adjusted_down", "not_achieved"])
def test_expectation_assess_in_a_later_round(research, three_rounds, assessment):
    _study, (r1, _r2, r3) = three_rounds
    item = services.expectation_add(round=r1, kind="minimum_goal", level="management", text="Vijf aan het werk",
                                    added_by=research.researcher)
    services.expectation_assess(expectation=item, round=r3, assessment=assessment, evidence=" Telling ", assessed_by=research.researcher)
    item.refresh_from_db()
    assert (item.assessment, item.assessed_in, item.evidence) == (assessment, r3, "Telling")


def test_expectation_assess_rules(research, three_rounds, make_study):
    _study, (r1, r2, r3) = three_rounds
    item = services.expectation_add(round=r2, kind="expectation", level="client", text="Meer uren", added_by=research.researcher)
    foreign = services.interview_round_create(study=make_study(title="Ander"), title="Elders", created_by=research.researcher)
    cases = [
        ({"round": r2, "assessment": "achieved", "evidence": "x"}, "round"),  # the round it was collected in
        ({"round": r1, "assessment": "achieved", "evidence": "x"}, "round"),  # an earlier round
        ({"round": foreign, "assessment": "achieved", "evidence": "x"}, "round"),  # another study's round
        ({"round": r3, "assessment": "achieved", "evidence": ""}, "evidence"),
        ({"round": r3, "assessment": "achieved", "evidence": " \n "}, "evidence"),
        ({"round": r3, "assessment": "fantastic", "evidence": "x"}, "assessment"),
        ({"round": r3, "assessment": "", "evidence": "x"}, "assessment"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as exc:
            services.expectation_assess(expectation=item, assessed_by=research.researcher, **kwargs)
        assert error_codes(exc.value) == {code}, kwargs
        item.refresh_from_db()
        assert (item.assessment, item.assessed_in, item.evidence) == ("", None, "")
