"""Asking, routing around absence, reminder and escalation in frozen time, answers, bad input."""

from datetime import date, datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from werkbrug.ambassadors import services
from werkbrug.ambassadors.deadlines import AMSTERDAM
from werkbrug.ambassadors.models import EventKind, Question, QuestionStatus, Topic

pytestmark = pytest.mark.django_db

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)


def kinds(question):
    return list(question.events.values_list("kind", flat=True))


def test_ask_routes_to_the_first_ambassador_and_sets_the_48h_deadline(net, ask):
    question = ask(now=MONDAY_9)
    assert question.assignee == net.amb["anna"]
    assert question.deadline_at == datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM)
    # 75 % of 48 h is Tuesday 21:00, outside office hours: the reminder goes when the office opens
    assert question.reminder_due_at == datetime(2026, 3, 4, 8, 30, tzinfo=AMSTERDAM)
    assert kinds(question) == [EventKind.ASKED, EventKind.ASSIGNED]


def test_region_deadline_in_working_hours_skips_the_weekend(net, ask):
    services.region_settings_update(region=net.region, deadline_hours=24, deadline_mode="working", changed_by=net.admin)
    question = ask(now=datetime(2026, 3, 6, 12, 0, tzinfo=AMSTERDAM))  # Friday 12:00
    # office hours 08:30-17:00: 5 h on Friday, 8.5 on Monday and Tuesday, 2 on Wednesday
    assert question.deadline_at == datetime(2026, 3, 11, 10, 30, tzinfo=AMSTERDAM)


@pytest.mark.parametrize("hours", [0, -5])
def test_deadline_setting_of_zero_or_negative_is_refused(net, hours):
    with pytest.raises(ValidationError) as exc:
        services.region_settings_update(region=net.region, deadline_hours=hours, deadline_mode="calendar", changed_by=net.admin)
    assert exc.value.error_dict["deadline_hours"][0].code == "deadline_not_positive"
    net.region.refresh_from_db()
    assert "ambassadors" not in net.region.settings


def test_absence_routes_questions_to_the_stand_in(net, ask):
    services.ambassador_set_stand_ins(ambassador=net.amb["anna"], stand_ins=[net.amb["cor"]], changed_by=net.people["anna"])
    services.absence_add(ambassador=net.amb["anna"], starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 6),
                         reason="holiday", recorded_by=net.people["anna"], now=MONDAY_9)
    question = ask(now=MONDAY_9)
    assert question.assignee == net.amb["cor"]  # Anna's named stand-in, before Bert who is next by order
    later = ask(now=datetime(2026, 3, 9, 9, 0, tzinfo=AMSTERDAM))  # Anna is back
    assert later.assignee == net.amb["anna"]


def test_without_named_stand_ins_an_absence_routes_to_the_next_by_order(net, ask):
    services.absence_add(ambassador=net.amb["anna"], starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 6),
                         reason="holiday", recorded_by=net.people["anna"], now=MONDAY_9)
    assert ask(now=MONDAY_9).assignee == net.amb["bert"]


def test_an_absent_stand_in_is_passed_over_for_the_next_by_order(net, ask):
    services.ambassador_set_stand_ins(ambassador=net.amb["anna"], stand_ins=[net.amb["cor"]], changed_by=net.people["anna"])
    for name in ("anna", "cor"):
        services.absence_add(ambassador=net.amb[name], starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 6),
                             reason="holiday", recorded_by=net.people[name], now=MONDAY_9)
    assert ask(now=MONDAY_9).assignee == net.amb["bert"]


def test_absence_starting_today_moves_open_questions_to_the_stand_in(net, ask):
    services.ambassador_set_stand_ins(ambassador=net.amb["anna"], stand_ins=[net.amb["cor"]], changed_by=net.people["anna"])
    question = ask(now=MONDAY_9)
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=AMSTERDAM), tick=False):
        services.absence_add(ambassador=net.amb["anna"], starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 3),
                             reason="sick", recorded_by=net.people["bert"])
    question.refresh_from_db()
    assert question.assignee == net.amb["cor"]  # Anna's named stand-in goes first


def test_absence_that_ends_before_it_starts_is_refused(net):
    with pytest.raises(ValidationError) as exc:
        services.absence_add(ambassador=net.amb["anna"], starts_on=date(2026, 3, 5), ends_on=date(2026, 3, 4),
                             recorded_by=net.people["anna"])
    assert exc.value.error_dict["ends_on"][0].code == "end_before_start"
    assert not net.amb["anna"].absences.exists()


def test_reminder_at_75_percent_then_escalation_at_the_deadline_and_the_asker_is_told(
        net, ask, django_capture_on_commit_callbacks):
    question = ask(now=MONDAY_9)
    mail.outbox.clear()
    with time_machine.travel(datetime(2026, 3, 3, 20, 59, tzinfo=AMSTERDAM), tick=False):
        assert services.questions_process_due() == {"reminded": 0, "escalated": 0, "rerouted": 0}
    with time_machine.travel(datetime(2026, 3, 4, 8, 30, tzinfo=AMSTERDAM), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert services.questions_process_due()["reminded"] == 1
        assert services.questions_process_due()["reminded"] == 0  # only once
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    with time_machine.travel(datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        call_command("ambassador_deadlines", stdout=open("/dev/null", "w"))  # noqa: SIM115
    question.refresh_from_db()
    assert question.assignee == net.amb["bert"]
    assert question.escalated_at == datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM)
    assert question.reminded_at == datetime(2026, 3, 4, 8, 30, tzinfo=AMSTERDAM)
    assert kinds(question)[-2:] == [EventKind.REMINDED, EventKind.ESCALATED]
    recipients = sorted(m.to[0] for m in mail.outbox[1:])
    assert recipients == ["bert@example.org", "jan@example.org"]


def test_escalation_skips_an_absent_colleague(net, ask):
    question = ask(now=MONDAY_9)
    services.absence_add(ambassador=net.amb["bert"], starts_on=date(2026, 3, 4), ends_on=date(2026, 3, 4),
                         recorded_by=net.people["bert"], now=MONDAY_9)
    services.question_escalate(question=question, now=datetime(2026, 3, 4, 9, 30, tzinfo=AMSTERDAM))
    question.refresh_from_db()
    assert question.assignee == net.amb["cor"]


def test_escalation_without_colleague_is_recorded(net, ask):
    net.region.settings = {"ambassadors": {"ladder": ["stand_in", "colleague"]}}  # no coordinator, no manager
    net.region.save()
    question = ask(org=net.ggz, topic="care", now=MONDAY_9)  # GGZ has one ambassador
    services.question_escalate(question=question, now=datetime(2026, 3, 5, 9, 0, tzinfo=AMSTERDAM))
    question.refresh_from_db()
    assert question.assignee == net.amb["gina"]
    assert kinds(question)[-1] == EventKind.NO_COLLEAGUE


def test_celery_task_runs_the_same_service(net, ask):
    from werkbrug.ambassadors.tasks import process_deadlines

    ask(now=MONDAY_9)
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=AMSTERDAM), tick=False):
        assert process_deadlines.delay().get()["escalated"] == 1


def test_answered_questions_are_not_escalated(net, ask):
    question = ask(now=MONDAY_9)
    services.question_answer(question=question, author=net.people["anna"], text="Zo werkt het.",
                             now=datetime(2026, 3, 3, 9, 0, tzinfo=AMSTERDAM))
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=AMSTERDAM), tick=False):
        assert services.questions_process_due()["escalated"] == 0


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"topic": None}, "topic", "invalid"),
        ({"text": "   "}, "text", "invalid"),
        ({"text": "Klant met BSN 111222333 heeft een vraag over de WIA."}, "text", "bsn"),
        ({"organisation": None}, "organisation", "invalid"),
    ],
)
def test_bad_questions_are_refused_and_nothing_is_written(net, fields, field, code):
    data = {"asked_by": net.asker, "organisation": net.uwv, "topic": net.topics["benefits"],
            "text": "Een gewone vraag over de WIA.", **fields}
    with pytest.raises(ValidationError) as exc:
        services.question_ask(**data)
    assert field in exc.value.error_dict
    if code == "bsn":
        assert exc.value.error_dict["text"][0].code == "bsn"
    assert not Question.objects.exists()


def test_inactive_topic_is_refused(net):
    topic = Topic.objects.create(region=net.region, name="Oud", active=False)
    with pytest.raises(ValidationError):
        services.question_ask(asked_by=net.asker, organisation=net.uwv, topic=topic, text="Vraag")


def test_answer_by_someone_who_is_not_an_ambassador_of_that_organisation_is_refused(net, ask):
    question = ask(now=MONDAY_9)
    for person in (net.people["gina"], net.asker):  # GGZ ambassador; the asker
        with pytest.raises(PermissionDenied):
            services.question_answer(question=question, author=person, text="Antwoord")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN and not question.messages.exists()


def test_thread_rating_and_publishing(net, ask):
    question = ask(now=MONDAY_9)
    services.question_answer(question=question, author=net.people["bert"], text="De inkomsten worden voor 70 % verrekend.",
                             now=datetime(2026, 3, 2, 15, 0, tzinfo=AMSTERDAM))
    services.question_follow_up(question=question, author=net.asker, text="Geldt dat ook voor de WGA?")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    services.question_answer(question=question, author=net.people["anna"], text="Ja.")
    question.refresh_from_db()
    assert question.answered_by == net.people["bert"]  # the first answer stops the clock
    assert question.answered_at == datetime(2026, 3, 2, 15, 0, tzinfo=AMSTERDAM)
    with pytest.raises(PermissionDenied):
        services.question_rate(question=question, person=net.people["anna"], useful=True)
    services.question_rate(question=question, person=net.asker, useful=True)
    with pytest.raises(ValidationError):
        services.question_publish(question=question, person=net.people["anna"], public_question="Geboren 12-04-1985, WIA?",
                                  public_answer="Ja")
    services.question_publish(question=question, person=net.people["anna"],
                              public_question="Hoe worden inkomsten met de WIA verrekend?", public_answer="Voor 70 %.")
    question.refresh_from_db()
    assert question.useful is True and question.published
    assert [m.kind for m in question.messages.all()] == ["answer", "follow_up", "answer"]
    # the published Q&A is on the region's knowledge map at once, and the refused attempt is not
    from werkbrug.knowledge_map.models import Item

    item = Item.objects.get(region=net.region, source_type="ambassador_qa", source_id=str(question.pk))
    assert (item.kind, item.status, item.title, item.summary) == (
        "qa", "published", "Hoe worden inkomsten met de WIA verrekend?", "Voor 70 %.")
    assert not Item.objects.filter(title__contains="1985").exists()
    # published anew with better words: the same item, updated
    services.question_publish(question=question, person=net.people["anna"],
                              public_question="Hoe wordt loon met de WIA verrekend?", public_answer="Voor 70 %.")
    assert Item.objects.filter(source_type="ambassador_qa", source_id=str(question.pk)).count() == 1
    item.refresh_from_db()
    assert item.title == "Hoe wordt loon met de WIA verrekend?"


def test_groups_rebuild_merge_and_split_stick(net, ask):
    import random

    from werkbrug.ambassadors import synthetic

    for _label, topic, _org, body in synthetic.questions(random.Random(5), 60):
        ask(text=body, topic=topic if topic in net.topics else "process", now=MONDAY_9)
    groups = services.groups_rebuild(region=net.region, by=net.people["anna"])
    assert len(groups) >= 5
    a, b = groups[0], groups[1]
    merged = services.groups_merge(groups=[a, b], by=net.people["anna"], title="Samen")
    size = merged.questions.count()
    moved = list(merged.questions.values_list("pk", flat=True)[:2])
    split = services.group_split(group=merged, question_ids=moved, by=net.people["anna"], title="Apart")
    services.groups_rebuild(region=net.region, by=net.people["anna"])  # regrouping keeps the corrections
    merged.refresh_from_db()
    split.refresh_from_db()
    assert merged.pinned and split.pinned
    assert sorted(split.questions.values_list("pk", flat=True)) == sorted(moved)
    assert merged.questions.count() >= size - 2
    with pytest.raises(PermissionDenied):
        services.groups_rebuild(region=net.region, by=net.asker)
    with pytest.raises(ValidationError):
        services.group_split(group=split, question_ids=moved, by=net.people["anna"])  # all members


def test_proposal_workflow(net):
    proposal = services.proposal_draft(region=net.region, by=net.people["anna"], title="Eén loket", problem="p", process="WIA",
                                       proposal="Doe het zo", audience="management", audience_organisation=net.uwv,
                                       now=MONDAY_9)
    assert proposal.status == "draft"
    with pytest.raises(ValidationError):
        services.proposal_transition(proposal=proposal, to_status="accepted", by=net.people["anna"], note="ja")
    services.proposal_transition(proposal=proposal, to_status="presented", by=net.people["anna"], on=date(2026, 3, 2))
    with pytest.raises(ValidationError) as exc:
        services.proposal_transition(proposal=proposal, to_status="accepted", by=net.people["anna"])
    assert exc.value.error_dict["note"][0].code == "decision_required"
    services.proposal_transition(proposal=proposal, to_status="accepted", by=net.people["anna"], on=date(2026, 3, 10), note="Akkoord MT")
    services.proposal_transition(proposal=proposal, to_status="implemented", by=net.people["anna"], on=date(2026, 4, 1))
    proposal.refresh_from_db()
    assert (proposal.presented_on, proposal.decided_on, proposal.implemented_on) == (date(2026, 3, 2), date(2026, 3, 10), date(2026, 4, 1))
    assert proposal.decision == "Akkoord MT"
    assert list(proposal.events.values_list("to_status", flat=True)) == ["draft", "presented", "accepted", "implemented"]
    with pytest.raises(ValidationError):
        services.proposal_draft(region=net.region, by=net.people["anna"], title="", problem="", process="", proposal="", audience="x")
    with pytest.raises(PermissionDenied):
        services.proposal_draft(region=net.region, by=net.manager, title="t", problem="p", process="p", proposal="p",
                                audience="portfolio_holders")


def test_an_organisation_without_ambassadors_cannot_be_asked(net, make_org):
    from werkbrug.core.choices import OrganisationType

    empty = make_org(OrganisationType.REINTEGRATION, "Zonder ambassadeur")
    with pytest.raises(ValidationError) as exc:
        services.question_ask(asked_by=net.asker, organisation=empty, topic=net.topics["work"], text="Vraag")
    assert exc.value.error_dict["organisation"][0].code == "no_ambassador"
    assert not Question.objects.exists()


def test_regrouping_keeps_stable_groups_and_the_groups_of_a_proposal(net, ask):
    for text in ["WIA-uitkering en parttime loon verrekenen", "Loon verrekenen met WIA-uitkering bij parttime werk",
                 "Reiskosten tijdens de proefplaatsing vergoed?", "Vergoeding reiskosten bij proefplaatsing"]:
        ask(text=text)
    first = services.groups_rebuild(region=net.region)
    again = services.groups_rebuild(region=net.region)
    assert [g.pk for g in first] == [g.pk for g in again]  # a stable log keeps its group ids
    proposal = services.proposal_draft(region=net.region, by=net.people["anna"], title="T", problem="P", process="Q",
                                       proposal="V", audience="portfolio_holders", groups=[first[0]])
    first[0].refresh_from_db()
    assert first[0].pinned and proposal.question_count == 2
    services.groups_rebuild(region=net.region)
    assert list(proposal.groups.all()) == [first[0]]


def test_follow_up_on_an_answered_question_gets_a_fresh_deadline(net, ask, django_capture_on_commit_callbacks):
    question = ask(now=MONDAY_9)  # deadline Wednesday 4 March 09:00
    services.question_answer(question=question, author=net.people["anna"], text="De inkomsten worden verrekend.",
                             now=datetime(2026, 3, 2, 15, 0, tzinfo=AMSTERDAM))
    # Long after the first deadline the region switches to 24 working hours; the asker follows up
    # on Friday 13 March 10:00.
    services.region_settings_update(region=net.region, deadline_hours=24, deadline_mode="working", changed_by=net.admin)
    follow_up_at = datetime(2026, 3, 13, 10, 0, tzinfo=AMSTERDAM)
    with time_machine.travel(follow_up_at, tick=False):
        services.question_follow_up(question=question, author=net.asker, text="Geldt dat ook voor de WGA?")
    question.refresh_from_db()
    assert question.status == QuestionStatus.OPEN
    assert (question.deadline_hours, question.deadline_mode) == (24, "working")
    # office hours 08:30-17:00: 7 h Friday, 8.5 Monday, 8.5 Tuesday; the weekend skipped
    assert question.deadline_at == datetime(2026, 3, 17, 17, 0, tzinfo=AMSTERDAM)
    assert question.reminder_due_at == datetime(2026, 3, 17, 11, 0, tzinfo=AMSTERDAM)  # 18 working hours
    assert question.very_late_at == datetime(2026, 3, 25, 14, 0, tzinfo=AMSTERDAM)  # 72 working hours
    assert question.reminded_at is None and question.escalated_at is None
    assert question.answered_at == datetime(2026, 3, 2, 15, 0, tzinfo=AMSTERDAM)  # the first answer stays
    mail.outbox.clear()
    # Right after the follow-up, and over the weekend: nothing is due, nobody is told "too late".
    for moment in (follow_up_at, datetime(2026, 3, 15, 23, 59, tzinfo=AMSTERDAM)):
        with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
            assert services.questions_process_due() == {"reminded": 0, "escalated": 0, "rerouted": 0}
    assert mail.outbox == []
    with time_machine.travel(datetime(2026, 3, 17, 11, 0, tzinfo=AMSTERDAM), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert services.questions_process_due() == {"reminded": 1, "escalated": 0, "rerouted": 0}
    with time_machine.travel(datetime(2026, 3, 17, 16, 59, tzinfo=AMSTERDAM), tick=False):
        assert services.questions_process_due()["escalated"] == 0
    with time_machine.travel(datetime(2026, 3, 17, 17, 0, tzinfo=AMSTERDAM), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert services.questions_process_due()["escalated"] == 1
        assert services.questions_process_due()["escalated"] == 0  # once
    question.refresh_from_db()
    assert question.assignee == net.amb["bert"]
    assert question.escalated_at == datetime(2026, 3, 17, 17, 0, tzinfo=AMSTERDAM)
    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "bert@example.org", "jan@example.org"]
    assert kinds(question)[-3:] == [EventKind.FOLLOW_UP, EventKind.REMINDED, EventKind.ESCALATED]


def test_a_follow_up_keeps_the_verdict_on_the_first_answer(net, ask):
    """A late first answer stays late after a follow-up gave the question a fresh clock."""
    from werkbrug.ambassadors import selectors
    from werkbrug.ambassadors.models import Question

    question = ask(now=MONDAY_9)  # deadline Wednesday 4 March 09:00
    first_deadline = question.deadline_at
    services.question_answer(question=question, author=net.people["anna"], text="Dat wordt verrekend.",
                             now=datetime(2026, 3, 5, 10, 0, tzinfo=AMSTERDAM))  # a day late
    later = datetime(2026, 3, 6, 10, 0, tzinfo=AMSTERDAM)
    with time_machine.travel(later, tick=False):
        services.question_follow_up(question=question, author=net.asker, text="En bij de WGA?")
    question.refresh_from_db()
    assert question.deadline_at > question.answered_at  # the fresh clock
    assert question.first_deadline_at == first_deadline
    assert selectors.timeliness_of(question, later) == "late"
    late = Question.objects.filter(selectors.timeliness_q("late", later))
    on_time = Question.objects.filter(selectors.timeliness_q("on_time", later))
    assert question in late and question not in on_time
    # a second follow-up round keeps the first round's deadline too
    services.question_answer(question=question, author=net.people["anna"], text="Ja.",
                             now=datetime(2026, 3, 6, 11, 0, tzinfo=AMSTERDAM))
    with time_machine.travel(datetime(2026, 3, 9, 10, 0, tzinfo=AMSTERDAM), tick=False):
        services.question_follow_up(question=question, author=net.asker, text="Dank, nog een vraag.")
    question.refresh_from_db()
    assert question.first_deadline_at == first_deadline


def test_follow_up_on_an_open_question_or_by_an_ambassador_keeps_the_deadline(net, ask):
    question = ask(now=MONDAY_9)
    services.question_follow_up(question=question, author=net.asker, text="Nog een detail.",
                                now=datetime(2026, 3, 3, 9, 0, tzinfo=AMSTERDAM))
    question.refresh_from_db()
    assert question.deadline_at == datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM)  # still open: same clock
    services.question_answer(question=question, author=net.people["anna"], text="Zo.", now=datetime(2026, 3, 3, 10, 0, tzinfo=AMSTERDAM))
    services.question_follow_up(question=question, author=net.people["anna"], text="Is dit duidelijk?",
                                now=datetime(2026, 3, 5, 9, 0, tzinfo=AMSTERDAM))
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.deadline_at == datetime(2026, 3, 4, 9, 0, tzinfo=AMSTERDAM)
