"""Output serializers and dedicated input serializers for the case-file API. No rules here."""

from __future__ import annotations

from rest_framework import serializers

from ..forms import CATEGORY_CHOICES
from ..models import (
    Document,
    DocumentKind,
    DocumentVersion,
    JournalEntry,
    JournalKind,
    JournalVersion,
)


class JournalVersionOut(serializers.ModelSerializer):
    written_by_name = serializers.CharField(source="written_by.get_full_name")
    refiled_from = serializers.CharField(
        read_only=True, default="", help_text="The category before this correction re-filed the note (empty: not re-filed).")
    readable = serializers.SerializerMethodField(
        help_text="False: the version was filed under a kind of data you may not read; its text, date, kind and "
                  "with whom are left out (null).")

    class Meta:
        model = JournalVersion
        fields = ["number", "category", "refiled_from", "readable", "occurred_on", "kind", "with_whom", "text", "shared_with_client",
                  "reason", "written_by", "written_by_name", "written_at"]

    def get_readable(self, version) -> bool:
        return getattr(version, "readable", True)

    def to_representation(self, version):
        data = super().to_representation(version)
        if not data["readable"]:
            for name in ("occurred_on", "kind", "with_whom", "text"):
                data[name] = None
        return data


class JournalEntryOut(serializers.ModelSerializer):
    current = JournalVersionOut()

    class Meta:
        model = JournalEntry
        fields = ["id", "trajectory", "category", "created_by", "created_at", "current"]


class JournalEntryDetailOut(JournalEntryOut):
    versions = serializers.SerializerMethodField()

    class Meta(JournalEntryOut.Meta):
        fields = [*JournalEntryOut.Meta.fields, "versions"]

    def get_versions(self, entry) -> list[dict]:
        return JournalVersionOut(self.context.get("versions", []), many=True).data


class JournalEntryIn(serializers.Serializer):
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES)
    kind = serializers.ChoiceField(choices=JournalKind.choices)
    occurred_on = serializers.DateField()
    with_whom = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    text = serializers.CharField(max_length=10_000, allow_blank=True)
    shared_with_client = serializers.BooleanField(required=False, default=False)


class JournalCorrectionIn(JournalEntryIn):
    # the note's fields, and why it is corrected; a category (optional: omitted keeps it) re-files the note
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, required=False)
    reason = serializers.CharField(max_length=300)


class DocumentVersionOut(serializers.ModelSerializer):
    uploaded_by_name = serializers.CharField(source="uploaded_by.get_full_name")

    class Meta:
        model = DocumentVersion
        fields = ["id", "number", "original_name", "content_type", "size", "sha256", "note", "uploaded_by",
                  "uploaded_by_name", "uploaded_at"]


class DocumentOut(serializers.ModelSerializer):
    current = DocumentVersionOut()

    class Meta:
        model = Document
        fields = ["id", "trajectory", "consent_event", "kind", "title", "category", "created_by", "created_at",
                  "current"]


class DocumentDetailOut(DocumentOut):
    versions = serializers.SerializerMethodField()

    class Meta(DocumentOut.Meta):
        fields = [*DocumentOut.Meta.fields, "versions"]

    def get_versions(self, document) -> list[dict]:
        return DocumentVersionOut(self.context.get("versions", []), many=True).data


class DocumentIn(serializers.Serializer):
    """multipart/form-data: the file and what it is."""

    file = serializers.FileField(allow_empty_file=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    consent_event = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1,
                                             max_value=2**63 - 1)


class DocumentReplaceIn(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
