"""Interview rounds, passages, a hierarchical codebook, codings by researchers, expectations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .studies import Participant, Study


class RespondentRole(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")
    MANAGER = "manager", _("Manager")
    EMPLOYER = "employer", _("Employer")
    EXPERIENCE_EXPERT = "experience_expert", _("Experience expert")


class Level(models.TextChoices):
    CLIENT = "client", _("Client")
    PROFESSIONAL = "professional", _("Professional")
    MANAGEMENT = "management", _("Management")
    ORGANISATION = "organisation", _("Organisation")
    EXTERNAL = "external", _("External")


class InterviewRound(models.Model):
    study = models.ForeignKey(Study, verbose_name=_("study"), on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    title = models.CharField(_("title"), max_length=200)
    topics = models.TextField(_("topics"), blank=True)

    class Meta:
        verbose_name = _("interview round")
        verbose_name_plural = _("interview rounds")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["study", "number"], name="round_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Interview(models.Model):
    round = models.ForeignKey(InterviewRound, verbose_name=_("round"), on_delete=models.CASCADE, related_name="interviews")
    label = models.CharField(_("label"), max_length=40, help_text=_("A neutral label such as R1-03; never a name."))
    respondent_role = models.CharField(_("respondent"), max_length=20, choices=RespondentRole.choices)
    participant = models.ForeignKey(Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="interviews")
    held_on = models.DateField(_("date"))
    transcript = models.TextField(_("notes or transcript"))

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["round__number", "label"]

    def __str__(self) -> str:
        return self.label


class Passage(models.Model):
    """A paragraph of a transcript: the unit that coders code (and agreement is computed on)."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="passages")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["interview", "number"]
        constraints = [models.UniqueConstraint(fields=["interview", "number"], name="passage_unique_number")]

    def __str__(self) -> str:
        return f"{self.interview_id}.{self.number}"


class Code(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="codes")
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    parent = models.ForeignKey("self", verbose_name=_("parent code"), on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    color = models.CharField(_("colour"), max_length=7, blank=True)

    class Meta:
        verbose_name = _("code")
        verbose_name_plural = _("codes")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["study", "guid"], name="code_unique_guid"),
            models.UniqueConstraint(fields=["study", "parent", "name"], name="code_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Coding(models.Model):
    """One coder's code on one passage, with the level the passage is about: on the whole passage
    (`start` and `end` empty) or on a span of its text (`passage.text[start:end]`, character
    offsets). Agreement is computed per passage: a span coding counts as the code on its passage."""

    passage = models.ForeignKey(Passage, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField(_("from character"), null=True, blank=True)
    end = models.PositiveIntegerField(_("to character"), null=True, blank=True)
    code = models.ForeignKey(Code, verbose_name=_("code"), on_delete=models.CASCADE, related_name="codings")
    level = models.CharField(_("level"), max_length=14, choices=Level.choices)
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("coder"), on_delete=models.PROTECT, related_name="+")
    coded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coding")
        verbose_name_plural = _("codings")
        ordering = ["coded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["passage", "code", "coder"], condition=models.Q(start__isnull=True),
                                    name="coding_once"),
            models.UniqueConstraint(fields=["passage", "code", "coder", "start", "end"],
                                    condition=models.Q(start__isnull=False), name="coding_span_once"),
            models.CheckConstraint(
                condition=models.Q(start__isnull=True, end__isnull=True)
                | models.Q(start__isnull=False, end__isnull=False, end__gt=models.F("start")),
                name="coding_span_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code_id} ({self.level})"

    @property
    def is_span(self) -> bool:
        return self.start is not None

    @property
    def quote(self) -> str:
        """The coded text: the span, or the whole passage."""
        text = self.passage.text
        return text[self.start:self.end] if self.start is not None else text


class ExpectationKind(models.TextChoices):
    EXPECTATION = "expectation", _("Expectation")
    SUCCESS_FACTOR = "success_factor", _("Success factor")
    MINIMUM_GOAL = "minimum_goal", _("Minimum goal")


class Assessment(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    EXCEEDED = "exceeded", _("Exceeded")
    ADJUSTED_UP = "adjusted_up", _("Adjusted up")
    ADJUSTED_DOWN = "adjusted_down", _("Adjusted down")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Expectation(models.Model):
    study = models.ForeignKey(Study, on_delete=models.CASCADE, related_name="expectations")
    round = models.ForeignKey(InterviewRound, verbose_name=_("collected in round"), on_delete=models.PROTECT, related_name="expectations")
    kind = models.CharField(_("kind"), max_length=16, choices=ExpectationKind.choices)
    level = models.CharField(_("level"), max_length=14, choices=Level.choices)
    text = models.TextField(_("text"))
    assessment = models.CharField(_("assessment"), max_length=14, choices=Assessment.choices, blank=True)
    assessed_in = models.ForeignKey(InterviewRound, verbose_name=_("assessed in round"), on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("expectation")
        verbose_name_plural = _("expectations")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.text[:60]
