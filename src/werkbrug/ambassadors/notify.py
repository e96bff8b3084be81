"""Mail to ambassadors and askers, sent after the transaction commits (never for a rolled-back step)."""

from __future__ import annotations

import logging
import smtplib
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
_silent: ContextVar[bool] = ContextVar("ambassador_mail_silent", default=False)


@contextmanager
def silenced():
    """No mail (the demo loader creates a year of history in one go)."""
    token = _silent.set(True)
    try:
        yield
    finally:
        _silent.reset(token)


def _send(to: str, subject: str, body: str) -> None:
    if not to or _silent.get():
        return

    def deliver() -> None:
        # A mail server that is down must not undo or break the step that was just saved.
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
        except (OSError, smtplib.SMTPException):
            logger.warning("mail to an ambassador or asker could not be sent", exc_info=True)

    transaction.on_commit(deliver)


def new_question(question, ambassador) -> None:
    _send(ambassador.person.email, _("New question for you as ambassador (#%(n)s)") % {"n": question.pk},
          _("A professional asked your organisation a question. Please answer before %(d)s.") % {"d": f"{question.deadline_at:%d-%m-%Y %H:%M}"})


def reminder(question, ambassador) -> None:
    _send(ambassador.person.email, _("Reminder: question #%(n)s is due soon") % {"n": question.pk},
          _("Three quarters of the answer time have passed. The deadline is %(d)s.") % {"d": f"{question.deadline_at:%d-%m-%Y %H:%M}"})


def escalated(question, ambassador) -> None:
    _send(ambassador.person.email, _("Question #%(n)s was passed on to you") % {"n": question.pk},
          _("The deadline has passed without an answer. You are now asked to answer this question."))
    _send(question.asked_by.email, _("Your question #%(n)s was passed on") % {"n": question.pk},
          _("Your question was not answered in time. It has been passed on to %(name)s.") % {"name": ambassador.person.get_full_name()})


def no_colleague(question) -> None:
    _send(question.asked_by.email, _("Your question #%(n)s is late") % {"n": question.pk},
          _("Your question was not answered in time and no colleague ambassador is available. We keep trying."))


def answered(question) -> None:
    _send(question.asked_by.email, _("Your question #%(n)s has an answer") % {"n": question.pk},
          _("An ambassador answered your question. Read it in Werkbrug."))
