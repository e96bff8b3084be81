"""Telling ambassadors and askers, through the notification service.

Each step notifies in its own transaction, so a rolled-back step tells nobody; the service
mails after commit, with the deadline in Europe/Amsterdam and an absolute link behind sign-in.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from django.urls import reverse

from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind

_silent: ContextVar[bool] = ContextVar("ambassador_mail_silent", default=False)


@contextmanager
def silenced():
    """Nobody told (the demo loader creates a year of history in one go)."""
    token = _silent.set(True)
    try:
        yield
    finally:
        _silent.reset(token)


def _tell(person, kind: str, question, *, due: bool = False) -> None:
    if person is None or _silent.get():
        return
    notifications.notify(
        recipient=person, kind=kind, obj=question,
        link=reverse("ambassadors:question", kwargs={"pk": question.pk}),
        due_at=question.deadline_at if due else None,
    )


def new_question(question, ambassador) -> None:
    _tell(ambassador.person, Kind.QUESTION_RECEIVED, question, due=True)


def follow_up(question, ambassador) -> None:
    _tell(ambassador.person, Kind.QUESTION_FOLLOW_UP, question, due=True)


def reminder(question, ambassador) -> None:
    _tell(ambassador.person, Kind.QUESTION_REMINDER, question, due=True)


def escalated(question, ambassador) -> None:
    _tell(ambassador.person, Kind.QUESTION_ESCALATED, question, due=True)
    _tell(question.asked_by, Kind.QUESTION_ESCALATED, question)


def escalated_up(question, person) -> None:
    """The network coordinator or a manager is asked to see that the question gets an answer."""
    _tell(person, Kind.QUESTION_ESCALATED, question)
    _tell(question.asked_by, Kind.QUESTION_ESCALATED, question)


def no_colleague(question) -> None:
    _tell(question.asked_by, Kind.QUESTION_ESCALATED, question)


def answered(question) -> None:
    _tell(question.asked_by, Kind.QUESTION_ANSWERED, question)
