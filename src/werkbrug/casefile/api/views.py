"""The case-file API: the journal and the documents, through the same selectors, services and
policy as the pages.

Every endpoint that names a trajectory, note, document or version fetches it through a selector
that authorizes first, and only then reads the body (missing and forbidden answer the same 404
whatever was sent). Uploads are multipart/form-data; downloads are attachments.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.api.params import valid_body

from .. import selectors, services
from ..views import file_response
from . import serializers as s


class TrajectoryJournal(APIView):
    """The trajectory's journal (GET, `?q=` searches text and with whom), or write a note (POST)."""

    @extend_schema(parameters=[OpenApiParameter("q", str, description="search in the text and with whom")],
                   responses=s.JournalEntryOut(many=True))
    def get(self, request, trajectory_pk: int):
        _trajectory, entries = selectors.journal_list(user=request.user, trajectory_pk=trajectory_pk,
                                                      query=request.query_params.get("q", ""))
        return Response(s.JournalEntryOut(entries, many=True).data)

    @extend_schema(request=s.JournalEntryIn, responses={201: s.JournalEntryOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="journal.create", write=True)
        data = valid_body(s.JournalEntryIn, request)
        entry = services.journal_entry_create(trajectory=trajectory, author=request.user, **data)
        return Response(s.JournalEntryOut(selectors.journal_entry_find(pk=entry.pk)).data,
                        status=status.HTTP_201_CREATED)


class JournalEntryDetail(APIView):
    @extend_schema(responses=s.JournalEntryDetailOut)
    def get(self, request, pk: int):
        """One note with every version, newest first."""
        entry = selectors.journal_entry_get(user=request.user, pk=pk)
        versions = selectors.journal_versions(user=request.user, entry=entry)
        return Response(s.JournalEntryDetailOut(entry, context={"versions": versions}).data)


class JournalEntryCorrections(APIView):
    @extend_schema(request=s.JournalCorrectionIn, responses={201: s.JournalEntryDetailOut})
    def post(self, request, pk: int):
        """Correct a note: a new version; the earlier text stays. A `category` re-files the note."""
        entry = selectors.journal_entry_get(user=request.user, pk=pk, action="journal.correct")
        data = valid_body(s.JournalCorrectionIn, request)
        services.journal_entry_correct(entry=entry, author=request.user, **data)
        entry = selectors.journal_entry_find(pk=pk)
        versions = selectors.journal_versions(user=request.user, entry=entry)
        return Response(s.JournalEntryDetailOut(entry, context={"versions": versions}).data,
                        status=status.HTTP_201_CREATED)


class TrajectoryDocuments(APIView):
    """The trajectory's documents (GET), or upload one (POST, multipart/form-data)."""

    parser_classes = [MultiPartParser]

    @extend_schema(responses=s.DocumentOut(many=True))
    def get(self, request, trajectory_pk: int):
        _trajectory, documents = selectors.document_list(user=request.user, trajectory_pk=trajectory_pk)
        return Response(s.DocumentOut(documents, many=True).data)

    @extend_schema(request={"multipart/form-data": s.DocumentIn}, responses={201: s.DocumentOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="document.upload", write=True)
        data = valid_body(s.DocumentIn, request)
        consent_event = None
        if data["consent_event"] is not None:
            # Only the client's own records; another id is refused without saying whose it is.
            consent_event = selectors.consent_records(trajectory=trajectory).filter(pk=data["consent_event"]).first()
            if consent_event is None:
                raise ValidationError({"consent_event": [_("Choose a consent record of this client.")]})
        upload = data["file"]
        document = services.document_upload(
            trajectory=trajectory, uploaded_by=request.user, category=data["category"], kind=data["kind"],
            title=data["title"], upload=upload, name=upload.name, size=upload.size, consent_event=consent_event,
        )
        return Response(s.DocumentOut(selectors.document_find(pk=document.pk)).data, status=status.HTTP_201_CREATED)


class DocumentDetail(APIView):
    @extend_schema(responses=s.DocumentDetailOut)
    def get(self, request, pk: int):
        """One document with every version, newest first."""
        document = selectors.document_get(user=request.user, pk=pk)
        return Response(s.DocumentDetailOut(
            document, context={"versions": selectors.document_versions(document=document)}).data)


class DocumentVersions(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": s.DocumentReplaceIn}, responses={201: s.DocumentDetailOut})
    def post(self, request, pk: int):
        """Replace the document's file (multipart/form-data): a new version; the earlier files stay."""
        document = selectors.document_get(user=request.user, pk=pk, action="document.replace")
        data = valid_body(s.DocumentReplaceIn, request)
        upload = data["file"]
        services.document_replace(document=document, uploaded_by=request.user, upload=upload, name=upload.name,
                                  size=upload.size, note=data["note"])
        document = selectors.document_find(pk=pk)
        return Response(s.DocumentDetailOut(
            document, context={"versions": selectors.document_versions(document=document)}).data,
            status=status.HTTP_201_CREATED)


class DocumentVersionDownload(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        """The file of one version, as an attachment; access-logged (code R, the document's category)."""
        version = selectors.document_version_get(user=request.user, pk=pk)
        return file_response(version)
