"""The longitudinal schedule: its editing (a draft study only) and the worker that sends it.

Each event is due `offset_months` calendar months plus `offset_days` after the participant's
randomisation date (`due_on`; 31 January + 1 month is the last day of February). The worker
(`schedule_run`, from the beat each half hour, inside the region's office hours) sends, for every
running study, every randomised participant with current research consent and every event whose
due date has come and whose window has not yet passed, the event's questionnaires: once per
participant × event × questionnaire × respondent (`ScheduledInvitation`). A participant entered
afterwards with a randomisation date in the past gets only the events still in their window. An
invitation unanswered `reminder_after_days` after it was sent is reminded once, within the window.

Respondents: the client in the portal (inbox notification, and mail by their preference); a
client without a portal account is first invited by mail to make one (only with an e-mail
address and research consent); the professional is the plan director of the client's active
trajectory (a personal link, told in their inbox through the notification service); the
employer is the participant's employer research contact, recorded with the client's permission
(`employer_contacts.py`): a mail with the personal link from the mail queue
(`tasks.mail_employer_questionnaire`), as for an employer contact of an appointment. A participant
without such a contact has their employer questionnaires sent by hand (`questionnaire_send` with links).
"""

from __future__ import annotations

import calendar
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from werkbrug.core import office_hours, policy
from werkbrug.core.links import absolute_url
from werkbrug.notifications import services as notifications
from werkbrug.notifications.kinds import Kind as NotificationKind

from .. import workflow
from ..models import (
    EmployerContact,
    Invitation,
    Participant,
    PortalInvitation,
    Questionnaire,
    QuestionnaireStatus,
    RespondentKind,
    ScheduledInvitation,
    ScheduleEvent,
    ScheduleItem,
    Stage,
    Study,
)
from ._common import _err
from .participants import has_research_consent

if TYPE_CHECKING:
    from werkbrug.clients.models import Client
    from werkbrug.core.models import User

logger = logging.getLogger(__name__)

MAX_MONTHS = 240
MAX_DAYS = 3650
# Participants who no longer take part get nothing more.
NOT_INVITED = (Stage.EXCLUDED, Stage.DROPPED_OUT)


def add_months(day: date, months: int) -> date:
    """Calendar months: 31 January + 1 month = 28 (or 29) February."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(event: ScheduleEvent, randomised_on: date) -> date:
    return add_months(randomised_on, event.offset_months) + timedelta(days=event.offset_days)


def window_ends_on(event: ScheduleEvent, randomised_on: date) -> date:
    return due_on(event, randomised_on) + timedelta(days=event.window_days)


# --- editing (a draft study only: the schedule is part of the protocol) ---------------------------


def _bounded(fields: dict[str, Any], name: str, top: int, errors: dict[str, str], *, optional: bool = False) -> int | None:
    raw = fields.get(name)
    if raw in (None, "") and optional:
        return None
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        errors[name] = _("Enter a whole number.")
        return 0
    if not 0 <= value <= top:
        errors[name] = _("Enter a number from 0 to %(top)s.") % {"top": top}
    return value


def _locked_draft(study: Study, user: User) -> Study:
    study = Study.objects.select_for_update().get(pk=study.pk)
    policy.authorize(user, "study.change", study)
    # The schedule belongs to the protocol: free in a draft, locked once the study runs.
    workflow.study_require(study, workflow.StudyAction.EDIT_PROTOCOL)
    return study


def _items(study: Study, items: list[tuple[int, str]] | None, errors: dict[str, str]) -> list[tuple[Questionnaire, str]]:
    chosen = []
    known = {q.pk: q for q in Questionnaire.objects.filter(study=study)}
    for questionnaire_id, respondent in items or []:
        questionnaire = known.get(questionnaire_id) if isinstance(questionnaire_id, int) else None
        if questionnaire is None:
            errors["items"] = _("Choose questionnaires of this study.")
            continue
        if respondent not in RespondentKind.values:
            errors["items"] = _("Choose client, professional or employer.")
            continue
        if (questionnaire, respondent) not in chosen:
            chosen.append((questionnaire, respondent))
    return chosen


@transaction.atomic
def schedule_event_add(
    *, study: Study, added_by: User, name: str, offset_months: Any = 0, offset_days: Any = 0, window_days: Any = 28,
    reminder_after_days: Any = None, items: list[tuple[int, str]] | None = None,
) -> ScheduleEvent:
    """An event of the schedule, with its questionnaires as (questionnaire id, respondent) pairs."""
    study = _locked_draft(study, added_by)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name or len(name) > 80:
        errors["name"] = _("Give the event a name (at most 80 characters).")
    elif study.schedule.filter(name__iexact=name).exists():
        errors["name"] = _("The schedule already has an event with this name.")
    fields = {"offset_months": offset_months, "offset_days": offset_days, "window_days": window_days,
              "reminder_after_days": reminder_after_days}
    months = _bounded(fields, "offset_months", MAX_MONTHS, errors)
    days = _bounded(fields, "offset_days", MAX_DAYS, errors)
    window = _bounded(fields, "window_days", MAX_DAYS, errors)
    reminder = _bounded(fields, "reminder_after_days", MAX_DAYS, errors, optional=True)
    if reminder is not None and window is not None and reminder > window and not {"reminder_after_days", "window_days"} & set(errors):
        errors["reminder_after_days"] = _("The reminder must fall within the window.")
    chosen = _items(study, items, errors)
    if errors:
        raise _err(errors, code="invalid")
    event = ScheduleEvent.objects.create(study=study, name=name, offset_months=months, offset_days=days,
                                         window_days=window, reminder_after_days=reminder)
    ScheduleItem.objects.bulk_create([ScheduleItem(event=event, questionnaire=q, respondent=r) for q, r in chosen])
    return event


@transaction.atomic
def schedule_event_delete(*, event: ScheduleEvent, deleted_by: User) -> None:
    _locked_draft(event.study, deleted_by)
    event.items.all().delete()
    event.delete()


# --- the worker -----------------------------------------------------------------------------------


def _office_open(region: Any, now: datetime) -> bool:
    office = office_hours.office_hours_for(region)
    return office_hours.next_office_moment(now, office) == now


def welcome_link(user: User) -> str:
    """The client's one-time link to choose a password (valid PASSWORD_RESET_TIMEOUT, until used)."""
    return absolute_url(reverse("evaluations:account_welcome", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user),
    }))


def _username(client: Client) -> str:
    from werkbrug.core.models import User

    base = client.email.lower()
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _invite_to_portal(participant: Participant, now: datetime) -> bool:
    """A client without a portal account, with an e-mail address: the account made (no password
    yet) and a mail with the link to choose one. Once per participant."""
    from werkbrug.portal.services import portal_account_create

    client = participant.client
    if client.user_id is not None or not client.email or PortalInvitation.objects.filter(participant=participant).exists():
        return False
    try:
        with transaction.atomic():
            user = portal_account_create(client=client, username=_username(client))
    except ValidationError:  # another worker (or a professional) linked an account meanwhile
        return False
    client.user = user  # the invitation is told in the new account's inbox
    PortalInvitation.objects.create(participant=participant, sent_at=now)
    link, login = welcome_link(user), absolute_url(reverse("web:login"))
    with translation.override("nl"):
        subject = _("Your Werkbrug portal account")
        body = _(
            "Hello,\n\nYou take part in a study and are asked to answer a few questionnaires in the "
            "Werkbrug portal. Choose a password for your portal account here (the link works once, for a "
            "few days):\n\n%(link)s\n\nYour user name is %(username)s. Afterwards you sign in at %(login)s.\n"
        ) % {"link": link, "username": user.username, "login": login}
    recipient = client.email

    def deliver() -> None:
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        except Exception:  # a mail server that is down must not undo the invitations
            logger.warning("portal account mail could not be sent", exc_info=True)

    transaction.on_commit(deliver)
    return True


def _professional(participant: Participant) -> Any:
    from werkbrug.trajectories.models import Trajectory, TrajectoryStatus

    trajectory = (Trajectory.objects.select_related("plan_director")
                  .filter(client_id=participant.client_id, status=TrajectoryStatus.ACTIVE)
                  .order_by("-started_on", "-id").first())
    director = trajectory.plan_director if trajectory else None
    return director if director is not None and director.is_active else None


def _tell(invitation: Invitation, participant: Participant, kind: str) -> None:
    """The respondent told through the notification service (no title with health data)."""
    from werkbrug.core.models import User

    if invitation.kind == RespondentKind.CLIENT:
        if participant.client.user_id is not None:
            notifications.notify(recipient=User.objects.get(pk=participant.client.user_id), kind=kind, obj=invitation,
                                 link=reverse("evaluations:my_questionnaire", kwargs={"invitation_pk": invitation.pk}))
    elif invitation.kind == RespondentKind.PROFESSIONAL:
        professional = _professional(participant)
        if professional is not None:
            notifications.notify(recipient=professional, kind=kind, obj=invitation,
                                 link=reverse("evaluations:token_questionnaire", kwargs={"token": invitation.token}))
    elif invitation.kind == RespondentKind.EMPLOYER:
        _mail_employer(invitation, participant, reminder=kind == NotificationKind.QUESTIONNAIRE_REMINDER)


def _mail_employer(invitation: Invitation, participant: Participant, *, reminder: bool) -> None:
    """The employer contact has no account, so no inbox: once committed, the mail queue sends them
    the personal link (read with the contact as it is then: a withdrawn permission sends nothing)."""
    if not EmployerContact.objects.filter(participant=participant).exists():
        return
    from .. import tasks

    pk = invitation.pk
    transaction.on_commit(lambda: tasks.mail_employer_questionnaire.delay(pk, reminder))


def _open(questionnaire: Questionnaire, today: date) -> bool:
    """The worker opens a draft first version with questions, as sending by hand does; a draft new
    version waits for `questionnaire_version_use`."""
    if questionnaire.status == QuestionnaireStatus.CLOSED:
        return False
    if questionnaire.status == QuestionnaireStatus.DRAFT and questionnaire.previous_id is not None:
        return False  # a new version, still being changed: it opens when put into use
    if questionnaire.closes_on is not None and questionnaire.closes_on < today:
        return False
    if not questionnaire.questions.exists():
        return False
    if questionnaire.status == QuestionnaireStatus.DRAFT:
        Questionnaire.objects.filter(pk=questionnaire.pk).update(status=QuestionnaireStatus.OPEN)
        questionnaire.status = QuestionnaireStatus.OPEN
    return True


def _send(participant: Participant, item: ScheduleItem, randomised_on: date, now: datetime) -> ScheduledInvitation | None:
    event = item.event
    if item.respondent == RespondentKind.EMPLOYER and not EmployerContact.objects.filter(participant=participant).exists():
        return None  # no employer research contact (or no permission): sent by hand
    professional = None
    if item.respondent == RespondentKind.PROFESSIONAL:
        professional = _professional(participant)
        if professional is None:
            return None
    if not _open(item.questionnaire, timezone.localdate(now)):
        return None
    try:
        with transaction.atomic():
            if item.respondent == RespondentKind.CLIENT:
                invitation = Invitation.objects.create(
                    questionnaire=item.questionnaire, kind=RespondentKind.CLIENT, participant=participant,
                    schedule_event=event, sent_at=now)
            else:
                # A personal link: told through the professional's inbox (and mail by preference),
                # mailed to the employer contact.
                invitation = Invitation.objects.create(
                    questionnaire=item.questionnaire, kind=item.respondent, schedule_event=event, sent_at=now)
            sent = ScheduledInvitation.objects.create(
                participant=participant, item=item, invitation=invitation, due_on=due_on(event, randomised_on),
                window_ends_on=window_ends_on(event, randomised_on))
    except IntegrityError:  # a second worker got there first
        return None
    if item.respondent == RespondentKind.CLIENT:
        _invite_to_portal(participant, now)
    _tell(invitation, participant, NotificationKind.QUESTIONNAIRE_INVITATION)
    return sent


def _participants(study: Study):
    return (study.participants.select_related("client", "allocation")
            .filter(allocation__isnull=False).exclude(stage__in=NOT_INVITED).order_by("pk"))


def _study_send(study: Study, now: datetime) -> tuple[int, int]:
    today = timezone.localdate(now)
    events = list(study.schedule.prefetch_related("items__questionnaire"))
    if not events:
        return 0, 0
    done = set(ScheduledInvitation.objects.filter(participant__study=study).values_list("participant_id", "item_id"))
    sent = reminded = 0
    for participant in _participants(study):
        randomised_on = participant.allocation.randomised_on
        consent = None
        for event in events:
            if not due_on(event, randomised_on) <= today <= window_ends_on(event, randomised_on):
                continue
            for item in event.items.all():
                if (participant.pk, item.pk) in done:
                    continue
                if consent is None:
                    consent = has_research_consent(participant.client, study)
                if not consent:
                    break
                with transaction.atomic():
                    sent += _send(participant, item, randomised_on, now) is not None
    for scheduled in (ScheduledInvitation.objects
                      .select_related("invitation__questionnaire", "item__event", "participant__client")
                      .filter(participant__study=study, reminded_at__isnull=True, invitation__responded_at__isnull=True,
                              item__event__reminder_after_days__isnull=False, window_ends_on__gte=today)
                      .exclude(participant__stage__in=NOT_INVITED)):
        invitation = scheduled.invitation
        remind_on = timezone.localdate(invitation.sent_at) + timedelta(days=scheduled.item.event.reminder_after_days)
        if remind_on > today or invitation.questionnaire.status != QuestionnaireStatus.OPEN:
            continue
        if not has_research_consent(scheduled.participant.client, study):
            continue
        if (invitation.kind == RespondentKind.EMPLOYER
                and not EmployerContact.objects.filter(participant=scheduled.participant).exists()):
            continue  # the client withdrew the permission to contact the employer
        with transaction.atomic():
            count = ScheduledInvitation.objects.filter(pk=scheduled.pk, reminded_at__isnull=True).update(reminded_at=now)
            if not count:
                continue  # another worker reminded it
            Invitation.objects.filter(pk=invitation.pk).update(reminder_count=invitation.reminder_count + 1,
                                                               last_reminded_at=now)
            _tell(invitation, scheduled.participant, NotificationKind.QUESTIONNAIRE_REMINDER)
            reminded += 1
    return sent, reminded


def schedule_run(*, now: datetime | None = None) -> dict[str, int]:
    """Send what is due and remind what is unanswered, in every running study whose region's
    office is open now. Idempotent; returns the counts."""
    now = now or timezone.now()
    totals = {"sent": 0, "reminded": 0}
    sending = [status for status, actions in workflow.ALLOWED_STUDY_ACTIONS.items()
               if workflow.StudyAction.PARTICIPANTS in actions]
    studies = Study.objects.select_related("region").filter(status__in=sending, schedule__isnull=False).distinct()
    for study in studies.order_by("pk"):
        if not workflow.study_allows(study, workflow.StudyAction.PARTICIPANTS) or not _office_open(study.region, now):
            continue
        sent, reminded = _study_send(study, now)
        totals["sent"] += sent
        totals["reminded"] += reminded
    return totals



# --- the client's portal account ------------------------------------------------------------------


def portal_account_user(uidb64: str, token: str) -> User | None:
    """The client whose account link this is, while the link is valid (unused, not expired)."""
    from django.utils.encoding import force_str
    from django.utils.http import urlsafe_base64_decode

    from werkbrug.core.choices import UserKind
    from werkbrug.core.models import User

    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**31:
        return None
    user = User.objects.filter(pk=pk, is_active=True, kind=UserKind.CLIENT).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


@transaction.atomic
def portal_account_accept(*, user: User, token: str, password: str) -> User:
    """The client chooses the password through the mailed link (checked again under the lock);
    the password change spends the link."""
    from werkbrug.core.models import User as UserModel

    user = UserModel.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or not user.is_client or not default_token_generator.check_token(user, token):
        raise _err({"token": _("This link is no longer valid.")}, code="token")
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
