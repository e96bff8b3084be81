from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from werkbrug.core.models import Organisation, Region

from .ambassadors import Ambassador, Topic


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")


class Question(models.Model):
    """A case question from a professional to an organisation's ambassadors. No client identity."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="ambassador_questions")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation asked"), on_delete=models.PROTECT, related_name="ambassador_questions")
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="questions")
    text = models.TextField(_("question"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT, related_name="ambassador_questions")
    asker_organisation = models.ForeignKey(Organisation, verbose_name=_("organisation of the asker"), on_delete=models.PROTECT, related_name="+", null=True)
    asked_at = models.DateTimeField(_("asked at"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.OPEN)
    assignee = models.ForeignKey(Ambassador, verbose_name=_("ambassador"), on_delete=models.PROTECT, related_name="questions", null=True, blank=True)
    # The deadline rule in force when the question was asked (a later setting change does not move it).
    deadline_hours = models.PositiveSmallIntegerField(_("deadline (hours)"))
    deadline_mode = models.CharField(_("deadline counts"), max_length=10)
    deadline_at = models.DateTimeField(_("deadline"), db_index=True)
    reminder_due_at = models.DateTimeField(_("reminder due"))
    very_late_at = models.DateTimeField(_("more than three times late from"))
    # A follow-up on an answered question starts a new clock (the fields above); whether the first
    # answer came in time is still judged against the first round's deadline, kept here.
    first_deadline_at = models.DateTimeField(_("first deadline"), null=True, blank=True, editable=False)
    first_very_late_at = models.DateTimeField(_("first round very late from"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The escalation ladder (settings.LADDER): how many steps were taken, and when the next is due.
    escalation_step = models.PositiveSmallIntegerField(_("escalation step"), default=0)
    next_escalation_at = models.DateTimeField(_("next escalation"), null=True, blank=True, db_index=True)
    # Who held the question when its deadline passed: the on-time figures count against them.
    held_at_deadline = models.ForeignKey(Ambassador, verbose_name=_("held at the deadline by"), on_delete=models.PROTECT,
                                         related_name="+", null=True, blank=True)
    answered_at = models.DateTimeField(_("first answer"), null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("answered by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    useful = models.BooleanField(_("useful"), null=True, blank=True)
    useful_marked_at = models.DateTimeField(_("marked useful at"), null=True, blank=True)
    published = models.BooleanField(_("published as Q&A"), default=False, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    public_question = models.TextField(_("published question"), blank=True)
    public_answer = models.TextField(_("published answer"), blank=True)
    group = models.ForeignKey("ambassadors.QuestionGroup", verbose_name=_("group"), on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")

    class Meta:
        verbose_name = _("ambassador question")
        verbose_name_plural = _("ambassador questions")
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["region", "-asked_at"]),
            models.Index(fields=["status", "reminder_due_at"]),
            models.Index(fields=["status", "deadline_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.text[:60]}"


class MessageKind(models.TextChoices):
    ANSWER = "answer", _("Answer")
    FOLLOW_UP = "follow_up", _("Follow-up question")


class Message(models.Model):
    """One post in a question's thread: an answer or a follow-up question."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=MessageKind.choices)
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"


class EventKind(models.TextChoices):
    ASKED = "asked", _("Asked")
    ASSIGNED = "assigned", _("Routed to an ambassador")
    REMINDED = "reminded", _("Reminder sent")
    ESCALATED = "escalated", _("Escalated to a colleague")
    ESCALATED_UP = "escalated_up", _("Escalated to the network coordinator or a manager")
    NO_COLLEAGUE = "no_colleague", _("No colleague available")
    ANSWERED = "answered", _("Answered")
    FOLLOW_UP = "follow_up", _("Follow-up question")
    RATED = "rated", _("Answer rated")
    PUBLISHED = "published", _("Published as Q&A")
    UNPUBLISHED = "unpublished", _("Q&A taken back")


class QuestionEvent(models.Model):
    """Every step of a question, timestamped. Append-only."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    ambassador = models.ForeignKey(Ambassador, verbose_name=_("ambassador"), on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # The network coordinator or manager a question was escalated to (they may then see it).
    person = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("escalated to"), on_delete=models.PROTECT,
                               related_name="+", null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("question step")
        verbose_name_plural = _("question steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class QuestionTerm(models.Model):
    """The stems of an answered question, for the similar-question search while typing."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="terms")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    stem = models.CharField(max_length=60)
    weight = models.FloatField()
    # Copied from the question so the search filters on who may read it without a join.
    published = models.BooleanField(default=False)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True)

    class Meta:
        verbose_name = _("question term")
        verbose_name_plural = _("question terms")
        indexes = [models.Index(fields=["region", "stem"])]

    def __str__(self) -> str:
        return self.stem
