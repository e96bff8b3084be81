"""Report figures, answered-in-time rates and the on time / late / very late filter, on a small
log whose every figure is worked out by hand.

Deadline 48 calendar hours (the default), so late = answered after 48 h and very late = after
144 h. Period: 1 March – 30 April 2026; "now" is Thursday 30 April 12:00.

    Q0  27 Feb 09:00  UWV benefits  answered after   6 h  (Anna)   outside the period
    Q1   2 Mar 09:00  UWV benefits  answered after   6 h  (Anna)   on time
    Q2   9 Mar 09:00  UWV care      escalated to Bert at 48 h, answered after 72 h: late
    Q3  16 Mar 09:00  GGZ benefits  answered after  24 h  (Gina)   on time
    Q4   1 Apr 00:30  UWV benefits  answered after 192 h  (Anna)   very late
                      (00:30 summer time is still 31 March in UTC: it counts for April)
    Q5  20 Apr 09:00  GGZ care      open, 243 h by now  (Gina)     very late
    Q6  29 Apr 09:00  UWV care      open,  27 h by now  (Anna)     on time (deadline 1 May)
"""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from werkbrug.ambassadors import selectors, services
from werkbrug.ambassadors.deadlines import AMSTERDAM
from werkbrug.ambassadors.models import Question

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 30, 12, 0, tzinfo=AMSTERDAM)
START, END = date(2026, 3, 1), date(2026, 4, 30)


def at(month, day, hour=9, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def log(net, ask):
    anna, bert, gina = net.people["anna"], net.people["bert"], net.people["gina"]

    def answered(asked, org, topic, hours, by):
        question = ask(org=org, topic=topic, now=asked)
        services.question_answer(question=question, author=by, text="Zo zit het.", now=asked + timedelta(hours=hours))
        return question

    q = {
        0: answered(at(2, 27), net.uwv, "benefits", 6, anna),
        1: answered(at(3, 2), net.uwv, "benefits", 6, anna),
        3: answered(at(3, 16), net.ggz, "benefits", 24, gina),
        4: answered(at(4, 1, 0, 30), net.uwv, "benefits", 192, anna),
        5: ask(org=net.ggz, topic="care", now=at(4, 20)),
        6: ask(org=net.uwv, topic="care", now=at(4, 29)),
    }
    q[2] = ask(org=net.uwv, topic="care", now=at(3, 9))
    services.question_escalate(question=q[2], now=at(3, 11))
    services.question_answer(question=q[2], author=bert, text="Later.", now=at(3, 12))
    for question in q.values():
        question.refresh_from_db()
    assert [q[i].assignee for i in range(7)] == [net.amb[n] for n in ("anna", "anna", "bert", "gina", "anna", "gina", "anna")]
    return q


def test_region_report_figures(net, log):
    report = selectors.region_report(user=net.manager, region=net.region, start=START, end=END, now=NOW)
    assert report["total"] == 6  # Q0 is before the period
    assert report["months"] == [(date(2026, 3, 1), 3), (date(2026, 4, 1), 3)]
    assert report["per_topic"] == [{"topic__name": "Toegang tot zorg", "n": 3}, {"topic__name": "Uitkeringen en regels", "n": 3}]
    assert report["per_organisation"] == [{"organisation__name": "UWV Net", "n": 4}, {"organisation__name": "GGZ Net", "n": 2}]
    assert report["answered"] == 4
    assert report["median_hours"] == 48.0  # median of 6, 24, 72, 192 hours
    # Counted: the four answered (Q1–Q4) and Q5 (open, past its deadline); Q6 can still be on time.
    assert (report["due"], report["on_time"], report["in_time_rate"]) == (5, 2, 40)
    assert report["timeliness"] == {"on_time": 3, "late": 1, "very_late": 2}
    assert report["rates_by_organisation"] == [
        {"name": "GGZ Net", "total": 2, "on_time": 1, "rate": 50},  # Q3 on time, Q5 overdue
        {"name": "UWV Net", "total": 3, "on_time": 1, "rate": 33},  # Q1 on time, Q2 late, Q4 very late
    ]
    anna, bert, gina = (str(net.people[n]) for n in ("anna", "bert", "gina"))
    assert report["rates_by_ambassador"] == [  # by last name: Eerst, Ggz
        {"name": anna, "total": 3, "on_time": 1, "rate": 33},  # Q1, Q4, and Q2: Anna held it when its deadline passed
        {"name": gina, "total": 2, "on_time": 1, "rate": 50},  # Q3, Q5
    ]  # Bert, who took Q2 over at the escalation, is not blamed for Anna's delay
    assert bert not in [row["name"] for row in report["rates_by_ambassador"]]


def test_report_of_one_month_and_of_an_empty_period(net, log):
    march = selectors.region_report(user=net.manager, region=net.region, start=date(2026, 3, 1), end=date(2026, 3, 31), now=NOW)
    assert (march["total"], march["months"]) == (3, [(date(2026, 3, 1), 3)])
    assert march["median_hours"] == 24.0  # 6, 24, 72
    assert (march["due"], march["on_time"], march["in_time_rate"]) == (3, 2, 67)
    empty = selectors.region_report(user=net.manager, region=net.region, start=date(2026, 6, 1), end=date(2026, 6, 30), now=NOW)
    assert (empty["total"], empty["median_hours"], empty["in_time_rate"]) == (0, None, None)
    assert empty["rates_by_organisation"] == [] and empty["rates_by_ambassador"] == []


def test_in_time_rates_over_the_whole_log(net, log):
    questions = Question.objects.filter(region=net.region)  # Q0 included: UWV and Anna one more on time
    assert selectors.in_time_rates(questions, by="organisation", now=NOW) == [
        {"name": "GGZ Net", "total": 2, "on_time": 1, "rate": 50},
        {"name": "UWV Net", "total": 4, "on_time": 2, "rate": 50},
    ]
    by_ambassador = selectors.in_time_rates(questions, by="ambassador", now=NOW)
    assert [(r["name"], r["total"], r["on_time"], r["rate"]) for r in by_ambassador] == [
        (str(net.people["anna"]), 4, 2, 50), (str(net.people["gina"]), 2, 1, 50)]  # Q2 counts against Anna
    # A week later Q6 is overdue too (open, so never on time).
    later = selectors.in_time_rates(questions, by="organisation", now=NOW + timedelta(days=7))
    assert later[1] == {"name": "UWV Net", "total": 5, "on_time": 2, "rate": 40}


EXPECTED = {"on_time": {0, 1, 3, 6}, "late": {2}, "very_late": {4, 5}}


def test_timeliness_filter_sets(net, log):
    ids = {q.pk: i for i, q in log.items()}
    for kind, expected in EXPECTED.items():
        found = {ids[pk] for pk in Question.objects.filter(selectors.timeliness_q(kind, NOW)).values_list("pk", flat=True)}
        assert found == expected, kind
        assert {i for i, q in log.items() if selectors.timeliness_of(q, NOW) == kind} == expected, kind
    # Moving "now": Q6 becomes late after its deadline (1 May 09:00), very late after 5 May 09:00 (144 h).
    q6 = Question.objects.filter(pk=log[6].pk)
    assert q6.filter(selectors.timeliness_q("on_time", at(5, 1))).exists()
    assert q6.filter(selectors.timeliness_q("late", at(5, 1, 9, 1))).exists()
    assert q6.filter(selectors.timeliness_q("late", at(5, 5))).exists()
    assert q6.filter(selectors.timeliness_q("very_late", at(5, 5, 9, 1))).exists()


def test_timeliness_boundaries(net, ask):
    """Answered exactly at the deadline is on time; exactly at three times the time still late."""
    on_deadline = ask(now=at(3, 2))
    services.question_answer(question=on_deadline, author=net.people["anna"], text="Net op tijd.", now=at(3, 4))
    at_three_times = ask(now=at(3, 2))
    services.question_answer(question=at_three_times, author=net.people["anna"], text="Laat.", now=at(3, 8))
    just_after = ask(now=at(3, 2))
    services.question_answer(question=just_after, author=net.people["anna"], text="Te laat.", now=at(3, 8, 9, 1))

    def found(kind):
        return set(Question.objects.filter(selectors.timeliness_q(kind, NOW)).values_list("pk", flat=True))

    assert found("on_time") == {on_deadline.pk}
    assert found("late") == {at_three_times.pk}
    assert found("very_late") == {just_after.pk}


def test_timeliness_filter_on_the_page_and_in_the_api(net, log, client):
    ids = {q.pk: i for i, q in log.items()}
    client.force_login(net.people["anna"])
    api = APIClient()
    api.force_authenticate(net.people["anna"])
    with time_machine.travel(NOW, tick=False):
        for kind, expected in EXPECTED.items():
            response = client.get(reverse("ambassadors:questions"), {"timeliness": kind})
            assert response.status_code == 200
            page = list(response.context["page"])
            assert {ids[q.pk] for q in page} == expected, kind
            assert {q.timeliness for q in page} == {kind}
            html = response.content.decode()
            for i, question in log.items():
                assert (reverse("ambassadors:question", args=[question.pk]) in html) == (i in expected), (kind, i)
            body = api.get("/api/v1/ambassadors/questions/", {"timeliness": kind}).json()
            assert body["count"] == len(expected)
            assert {ids[r["id"]] for r in body["results"]} == expected, kind
            assert {r["timeliness"] for r in body["results"]} == {kind}
        everything = api.get("/api/v1/ambassadors/questions/").json()
        assert everything["count"] == 7
        # The asker sees only their own questions; a manager none (aggregates only).
        asker = APIClient()
        asker.force_authenticate(net.other)
        assert asker.get("/api/v1/ambassadors/questions/", {"timeliness": "on_time"}).json()["count"] == 0

