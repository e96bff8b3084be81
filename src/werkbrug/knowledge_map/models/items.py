"""Knowledge items, the typed relations between them, and each item's change history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..keys import KEY_MAX, key_validate


class ItemKind(models.TextChoices):
    METHOD = "method", _("Method")
    INSTRUMENT = "instrument", _("Instrument")
    TRAINING = "training", _("Training")
    REGULATION = "regulation", _("Regulation or law")
    BENEFIT = "benefit", _("Benefit or service")
    ORGANISATION = "organisation", _("Organisation")
    DOCUMENT = "document", _("Document")
    CONTACT = "contact", _("Contact person")
    QA = "qa", _("Question and answer")


class Audience(models.TextChoices):
    GGZ = "ggz", _("GGZ professionals")
    WORK_INCOME = "wi", _("Work & Income professionals")
    CLIENTS = "clients", _("Clients")
    EMPLOYERS = "employers", _("Employers")


class Theme(models.TextChoices):
    CARE = "care", _("Care")
    WORK = "work", _("Work")
    INCOME = "income", _("Income")
    DEBTS = "debts", _("Debts")
    EXPERIENCE = "experience", _("Experience expertise")
    COOPERATION = "cooperation", _("Cooperation")


class Scope(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")


class ItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class SourceType(models.TextChoices):
    """Where an item comes from when it mirrors something elsewhere in Werkbrug."""

    NONE = "", _("Written by an editor")
    ORGANISATION = "organisation", _("Organisation in the region")
    AMBASSADOR = "ambassador", _("Ambassador")
    AMBASSADOR_QA = "ambassador_qa", _("Published ambassador Q&A")


class Item(models.Model):
    """One thing on the knowledge map: a method, a law, a training, an organisation …

    `key` is a stable, human-readable identifier within the region: import and export refer to
    items (and relations) by key, so a file can be moved between regions without loss.
    `audience` and `tags` are stored as comma-separated text so that filtering and search work
    the same on SQLite and PostgreSQL.
    """

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="knowledge_items"
    )
    key = models.CharField(
        _("short name"), max_length=KEY_MAX, db_index=True, validators=[key_validate],
        help_text=_("A short fixed name, e.g. ips or wia-wga."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    title = models.CharField(_("title"), max_length=160)
    summary = models.TextField(_("summary"), help_text=_("In plain Dutch (B1): what is it and when does it help?"))
    links = models.JSONField(_("links"), default=list, blank=True)
    audience = models.CharField(_("audience"), max_length=80, blank=True)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices)
    scope = models.CharField(_("national or regional"), max_length=10, choices=Scope.choices, default=Scope.REGIONAL)
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    review_on = models.DateField(_("next review date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.DRAFT)
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType.choices, blank=True, default="")
    source_id = models.CharField(_("source id"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("knowledge item")
        verbose_name_plural = _("knowledge items")
        ordering = ["theme", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="knowledge_item_unique_key"),
            models.UniqueConstraint(
                fields=["region", "source_type", "source_id"], condition=~Q(source_type=""),
                name="knowledge_item_unique_source",
            ),
        ]
        indexes = [models.Index(fields=["region", "status", "theme"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_list(self) -> list[str]:
        return [a for a in self.audience.split(",") if a]

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Audience.choices)
        return [str(labels.get(a, a)) for a in self.audience_list]

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class RelationKind(models.TextChoices):
    PART_OF = "part_of", _("is part of")
    REQUIRES = "requires", _("requires")
    LEADS_TO = "leads_to", _("leads to")
    OFFERED_BY = "offered_by", _("is offered by")
    REPLACES = "replaces", _("replaces")
    SEE_ALSO = "see_also", _("see also")


class Relation(models.Model):
    """A typed, directed link: `source` <kind> `target` ("IPS is part of the UWV–GGZ covenant")."""

    source = models.ForeignKey(Item, verbose_name=_("from"), on_delete=models.CASCADE, related_name="relations_out")
    target = models.ForeignKey(Item, verbose_name=_("to"), on_delete=models.CASCADE, related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("relation")
        verbose_name_plural = _("relations")
        ordering = ["source_id", "kind", "target_id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="knowledge_relation_unique"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="knowledge_relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class ItemChange(models.Model):
    """The change history of one item. Append-only: a change adds a row, never edits one."""

    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(_("when"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    action = models.CharField(_("what"), max_length=40)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("item change")
        verbose_name_plural = _("item changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d %H:%M} {self.action}"
