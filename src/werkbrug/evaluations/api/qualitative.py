"""API for span coding, memos, code changes, co-occurrence and the REFI-QDA project.

Same rules as `views.py` beside it: every operation fetches and authorises the study (and a memo
through `memo.change`) before it parses any input; missing and forbidden both answer 404.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.core import policy

from .. import qualitative, refiqda, selectors
from ..models import Code, Memo, Passage
from ..qualitative import MAX_MEMO


class QdaMemoInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_MEMO)
    code = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    passage = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)


class QdaMemoTextInput(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_MEMO)


class QdaMemoOutput(serializers.Serializer):
    id = serializers.IntegerField()
    guid = serializers.UUIDField()
    code = serializers.IntegerField(source="code_id", allow_null=True)
    passage = serializers.IntegerField(source="passage_id", allow_null=True)
    author = serializers.IntegerField(source="author_id")
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class QdaRenameInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class QdaMergeInput(serializers.Serializer):
    into = serializers.IntegerField(min_value=1)
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class QdaDeleteInput(serializers.Serializer):
    confirm = serializers.CharField(max_length=120, help_text="The code's name, typed as confirmation.")
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class QdaCodeOutput(serializers.Serializer):
    id = serializers.IntegerField()
    guid = serializers.UUIDField()
    name = serializers.CharField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)


class QdaCodeChangeOutput(serializers.Serializer):
    kind = serializers.CharField()
    code_guid = serializers.UUIDField()
    old_name = serializers.CharField()
    new_name = serializers.CharField()
    into = serializers.IntegerField(source="into_id", allow_null=True)
    into_name = serializers.CharField()
    codings = serializers.IntegerField()
    reason = serializers.CharField()
    changed_by = serializers.IntegerField(source="changed_by_id")
    changed_at = serializers.DateTimeField()


class QdaProjectImportInput(serializers.Serializer):
    file = serializers.FileField()
    respondent_role = serializers.CharField(max_length=20)
    level = serializers.CharField(max_length=14)


class QdaProjectImportOutput(serializers.Serializer):
    sources = serializers.IntegerField()
    codes = serializers.IntegerField()
    codings = serializers.IntegerField()
    memos = serializers.IntegerField()
    skipped = serializers.IntegerField()


def _code(study, pk: int) -> Code:
    code = Code.objects.filter(study=study, pk=pk).first()
    if code is None:
        raise Http404
    return code


class CodeRename(APIView):
    @extend_schema(request=QdaRenameInput, responses=QdaCodeOutput, operation_id="research_studies_codes_rename")
    def post(self, request: Request, pk: int, code_pk: int) -> Response:
        """Rename a code; the history keeps the old name. 400 `name`, `duplicate`."""
        study = selectors.study_check(user=request.user, pk=pk)
        code = _code(study, code_pk)
        data = QdaRenameInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(QdaCodeOutput(qualitative.code_rename(code=code, renamed_by=request.user, **data.validated_data)).data)


class CodeMerge(APIView):
    @extend_schema(request=QdaMergeInput, responses=QdaCodeOutput, operation_id="research_studies_codes_merge")
    def post(self, request: Request, pk: int, code_pk: int) -> Response:
        """Merge a code into another: its codings, subcodes and memos move; the answer is the code
        merged into. 400 `into` (itself or a subcode), `clash` (both have a subcode of one name)."""
        study = selectors.study_check(user=request.user, pk=pk)
        code = _code(study, code_pk)
        data = QdaMergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        into = _code(study, data.validated_data["into"])
        merged = qualitative.code_merge(code=code, into=into, merged_by=request.user, reason=data.validated_data["reason"])
        return Response(QdaCodeOutput(merged).data)


class CodeDelete(APIView):
    @extend_schema(request=QdaDeleteInput, responses={204: None}, operation_id="research_studies_codes_delete")
    def post(self, request: Request, pk: int, code_pk: int) -> Response:
        """Delete a code and its codings; `confirm` must be the code's name. 400 `confirm`, `children`."""
        study = selectors.study_check(user=request.user, pk=pk)
        code = _code(study, code_pk)
        data = QdaDeleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        qualitative.code_delete(code=code, deleted_by=request.user, **data.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CodeChanges(APIView):
    @extend_schema(responses=QdaCodeChangeOutput(many=True), operation_id="research_studies_codes_changes_list")
    def get(self, request: Request, pk: int) -> Response:
        """The codebook's history, newest first: renames, merges and deletions."""
        study = selectors.study_get(user=request.user, pk=pk)
        return Response(QdaCodeChangeOutput(qualitative.code_history(study=study), many=True).data)


class CoOccurrence(APIView):
    @extend_schema(responses=dict, operation_id="research_studies_codes_co_occurrence")
    def get(self, request: Request, pk: int) -> Response:
        """Per pair of codes the passages where their codings overlap; `counts[i][i]`: passages with code i."""
        study = selectors.study_get(user=request.user, pk=pk)
        table = qualitative.co_occurrence(study=study)
        return Response({"codes": [{"id": c.pk, "name": c.name, "depth": d} for c, d in table.codes], "counts": table.counts})


class Memos(APIView):
    @extend_schema(responses=QdaMemoOutput(many=True), operation_id="research_studies_memos_list")
    def get(self, request: Request, pk: int) -> Response:
        """The study's memos on codes and passages."""
        study = selectors.study_get(user=request.user, pk=pk)
        return Response(QdaMemoOutput(qualitative.memos(study=study), many=True).data)

    @extend_schema(request=QdaMemoInput, responses={201: QdaMemoOutput}, operation_id="research_studies_memos_add")
    def post(self, request: Request, pk: int) -> Response:
        """A memo on a code or on a passage (give one). 400 `target`, `text`, `too_long`, `identifying`."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = QdaMemoInput(data=request.data)
        data.is_valid(raise_exception=True)
        code = passage = None
        if data.validated_data["code"]:
            code = _code(study, data.validated_data["code"])
        if data.validated_data["passage"]:
            passage = Passage.objects.filter(pk=data.validated_data["passage"], interview__round__study=study).first()
            if passage is None:
                raise Http404
        memo = qualitative.memo_add(study=study, author=request.user, text=data.validated_data["text"], code=code, passage=passage)
        return Response(QdaMemoOutput(memo).data, status=status.HTTP_201_CREATED)


class MemoDetail(APIView):
    def _memo(self, request: Request, pk: int, memo_pk: int) -> Memo:
        memo = Memo.objects.select_related("study").filter(study_id=pk, pk=memo_pk).first()
        if memo is None:
            raise Http404
        policy.check(request.user, "memo.change", memo)
        return memo

    @extend_schema(request=QdaMemoTextInput, responses=QdaMemoOutput, operation_id="research_studies_memos_update")
    def patch(self, request: Request, pk: int, memo_pk: int) -> Response:
        """Change your own memo's text."""
        memo = self._memo(request, pk, memo_pk)
        data = QdaMemoTextInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(QdaMemoOutput(qualitative.memo_update(memo=memo, text=data.validated_data["text"], changed_by=request.user)).data)

    @extend_schema(responses={204: None}, operation_id="research_studies_memos_delete")
    def delete(self, request: Request, pk: int, memo_pk: int) -> Response:
        """Delete your own memo."""
        memo = self._memo(request, pk, memo_pk)
        qualitative.memo_delete(memo=memo, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class Project(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={(200, "application/zip"): OpenApiTypes.BINARY}, operation_id="research_studies_project_export")
    def get(self, request: Request, pk: int) -> HttpResponse:
        """The study as a REFI-QDA project (`.qdpx`: project.qde and sources/): interviews as text
        sources, codes, coded spans as PlainTextSelection with Coding, memos as Note, users.
        Access-logged as an export."""
        from ..qualitative_views import project_response

        study = selectors.study_get(user=request.user, pk=pk, action="study.export")
        return project_response(study)

    @extend_schema(request={"multipart/form-data": QdaProjectImportInput}, responses={201: QdaProjectImportOutput},
                   operation_id="research_studies_project_import")
    def post(self, request: Request, pk: int) -> Response:
        """Import a REFI-QDA project into the study: its text sources become interviews of a new
        round (with `respondent_role`), its codings get `level`. 400 `format`, `too_large`,
        `encoding`, `identifying`, `guid`, `parent`."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = QdaProjectImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        counts = refiqda.project_import(
            study=study, data=data.validated_data["file"].read(refiqda.MAX_UPLOAD + 1), imported_by=request.user,
            respondent_role=data.validated_data["respondent_role"], level=data.validated_data["level"],
        )
        return Response(QdaProjectImportOutput(counts).data, status=status.HTTP_201_CREATED)


__all__ = ["CoOccurrence", "CodeChanges", "CodeDelete", "CodeMerge", "CodeRename", "MemoDetail", "Memos", "Project"]
