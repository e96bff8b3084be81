from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessCode(models.TextChoices):
    CREATE = "C", _("Create")
    READ = "R", _("Read")
    UPDATE = "U", _("Update")
    DELETE = "D", _("Delete")
    EXECUTE = "E", _("Execute / export")


class AccessLogRecord(models.Model):
    """One access to client-level data, in the spirit of NEN 7513. Append-only.

    Holds no BSN and no care content: the client is named by pseudonym only. The application
    never updates or deletes a row (a database trigger refuses it). Each row carries its own
    keyed seal (`mac`, HMAC-SHA256 with `ACCESS_LOG_HMAC_KEY`, written with the row), and rows are
    chained by `werkbrug seal_access_log` so that changes outside the application are found.
    """

    occurred_at = models.DateTimeField(_("time"))
    code = models.CharField(_("action code"), max_length=1, choices=AccessCode.choices)
    action = models.CharField(_("action"), max_length=80)
    granted = models.BooleanField(_("granted"))
    region_id_snapshot = models.BigIntegerField(_("region"), null=True)
    actor_id_snapshot = models.BigIntegerField(_("user id"), null=True)
    actor_name = models.CharField(_("who"), max_length=200)
    actor_organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    actor_role = models.CharField(_("role"), max_length=40, blank=True)
    on_behalf_of = models.CharField(_("on behalf of"), max_length=200, blank=True)
    client_pseudonym = models.CharField(_("client"), max_length=32, blank=True)
    data_category = models.CharField(_("data category"), max_length=32, blank=True)
    object_type = models.CharField(_("object type"), max_length=80, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    purpose = models.CharField(_("context / purpose"), max_length=200, blank=True)
    check_authorised = models.BooleanField(_("authorised"))
    check_relation = models.BooleanField(_("relation with the client"))
    check_consent = models.BooleanField(_("consent"))
    check_emergency = models.BooleanField(_("emergency"), default=False)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("network address"), null=True, blank=True)
    # Empty only on records written before the keyed seal existed (core.0004).
    mac = models.CharField(_("record seal"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("access log record")
        verbose_name_plural = _("access log records")
        ordering = ["-occurred_at", "-id"]
        # Only what the searches use: every request writes a record, and each index costs that
        # INSERT (the sealer walks the primary key).
        indexes = [
            models.Index(fields=["client_pseudonym", "-occurred_at"]),
            models.Index(fields=["region_id_snapshot", "-occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.code} {self.actor_name} {self.action}"


class AccessLogSeal(models.Model):
    """The keyed hash chain over the access log: one seal per record, in record order. Append-only.

    `scheme` is `hmac-sha256` (keyed with `ACCESS_LOG_HMAC_KEY`); `sha256` marks the unkeyed seals
    made before core.0004, accepted only before the first keyed seal.
    """

    record_id = models.BigIntegerField(unique=True)
    scheme = models.CharField(max_length=16, default="hmac-sha256")
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("access log seal")
        verbose_name_plural = _("access log seals")
        ordering = ["record_id"]

    def __str__(self) -> str:
        return f"seal {self.record_id}: {self.hash[:12]}"


class AccessLogRetentionCut(models.Model):
    """Where the retained access log begins after months past retention were detached.

    The chain's start moves with it: the verifier begins at `first_record_id` and expects that
    record's seal to follow `previous_hash` (the seal of the last record detached). Records of a
    detached month with a higher id than `first_record_id` (written in the last second of that
    month, after an earlier record of the next month) are listed in `detached_ids`: their seals stay
    in the chain, their rows are gone. The row carries its own keyed seal (`mac`), like a record.
    """

    cut_at = models.DateTimeField()
    before = models.DateTimeField(help_text=_("records older than this were detached"))
    first_record_id = models.BigIntegerField()
    previous_hash = models.CharField(max_length=64)
    detached_ids = models.JSONField(default=list, blank=True)
    partitions = models.JSONField(default=list, blank=True)
    records = models.BigIntegerField(default=0)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("access log retention cut")
        verbose_name_plural = _("access log retention cuts")
        ordering = ["-first_record_id"]

    def __str__(self) -> str:
        return f"cut before {self.before:%Y-%m} at record {self.first_record_id}"
