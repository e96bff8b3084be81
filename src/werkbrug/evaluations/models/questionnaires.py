"""Questionnaires: a builder of questions, invitations (portal or personal link), responses."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .studies import Participant, Study


def new_token() -> str:
    return secrets.token_urlsafe(24)


class QuestionType(models.TextChoices):
    GRADE = "grade", _("Grade 1–10 (halves allowed)")
    LIKERT = "likert", _("Likert scale")
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    NUMBER = "number", _("Number")
    TEXT = "text", _("Open text")


# Likert scale points (1..5) with their labels.
LIKERT_LABELS = [
    _("Strongly disagree"), _("Disagree"), _("Neutral"), _("Agree"), _("Strongly agree"),
]


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RespondentKind(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")
    EMPLOYER = "employer", _("Employer")


class Questionnaire(models.Model):
    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="questionnaires")
    title = models.CharField(_("title"), max_length=200)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=QuestionnaireStatus.choices, default=QuestionnaireStatus.DRAFT)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Versions: once answered, questions change only in a new version (a copy); answers keep the
    # questions of the version they answered (`services.questionnaire_version_create`).
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="next_version",
    )

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The title, with the version from the second version on ("Werk en welzijn (versie 2)")."""
        if self.version <= 1:
            return self.title
        return _("%(title)s (version %(n)s)") % {"title": self.title, "n": self.version}


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.SlugField(_("variable name"), max_length=30)
    text = models.CharField(_("question"), max_length=500)
    type = models.CharField(_("type"), max_length=10, choices=QuestionType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(_("minimum"), max_digits=9, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("maximum"), max_digits=9, decimal_places=2, null=True, blank=True)
    # Number questions: the decimals an answer may have (0 = whole numbers; empty: up to two).
    decimals = models.PositiveSmallIntegerField(_("decimals"), null=True, blank=True)
    # Likert scales: the number of points (3–11; empty: 5) and a label per point (or none).
    scale_points = models.PositiveSmallIntegerField(_("points on the scale"), null=True, blank=True)
    scale_labels = models.JSONField(_("labels of the points"), default=list, blank=True)
    # Branching: asked only when this earlier question has this answer (an option's value).
    show_if_question = models.ForeignKey(
        "self", verbose_name=_("show only if question"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="dependents",
    )
    show_if_value = models.CharField(_("has the answer"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "code"], name="question_unique_code")]

    def __str__(self) -> str:
        return self.text

    @property
    def is_numeric(self) -> bool:
        return self.type in (QuestionType.GRADE, QuestionType.LIKERT, QuestionType.NUMBER)

    def options(self) -> list[tuple[int | float, str]]:
        """(value, label) pairs for closed questions: grades 1, 1,5 … 10; other values are 1-based."""
        from .. import builder

        if self.type == QuestionType.GRADE:
            return builder.grade_options()
        if self.type == QuestionType.LIKERT:
            return builder.scale_options(self)
        if self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            return [(i + 1, str(label)) for i, label in enumerate(self.choices)]
        return []


class Invitation(models.Model):
    """One person asked to fill in a questionnaire: a participant (portal) or someone by link."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("respondent"), max_length=12, choices=RespondentKind.choices)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    # For professionals and employers: where the personal link goes. Never shown in exports.
    email = models.EmailField(_("email address"), blank=True)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent at"))
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    imported_in = models.ForeignKey(
        "evaluations.StudyEvent", verbose_name=_("imported in"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    # Sent by the worker for this event of the study's schedule (models/schedule.py).
    schedule_event = models.ForeignKey(
        "evaluations.ScheduleEvent", verbose_name=_("schedule event"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="invitations",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["sent_at", "id"]
        constraints = [
            # Sent by hand: once per participant. Sent by the schedule: once per event (ScheduledInvitation).
            models.UniqueConstraint(
                fields=["questionnaire", "participant"],
                condition=models.Q(participant__isnull=False, schedule_event__isnull=True),
                name="invitation_once_per_participant",
            ),
            models.UniqueConstraint(
                fields=["questionnaire", "participant", "schedule_event", "kind"],
                condition=models.Q(participant__isnull=False, schedule_event__isnull=False),
                name="invitation_once_per_participant_event",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}:{self.kind}"


class Answer(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    number = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)
    selected = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["invitation", "question"], name="answer_once")]

    def __str__(self) -> str:
        return f"{self.invitation_id}:{self.question_id}"
