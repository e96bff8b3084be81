"""API of the questionnaire builder: versions and the REDCap data dictionary.

Same rules as `views.py` beside it: every operation fetches and authorises the study (policy
`study.change`, the questionnaire-editing rule) before it parses any input; missing and forbidden
both answer 404.
"""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors, services
from ..builder_views import dictionary_response


class BuilderDictionaryImportInput(serializers.Serializer):
    file = serializers.FileField(help_text="A REDCap data dictionary (CSV, UTF-8; at most 2 MB).")
    form = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="the form (instrument) to import, when the dictionary holds more than one",
    )
    dry_run = serializers.BooleanField(
        default=True, help_text="only check (the default); false stores the questions"
    )


class BuilderDictionaryImportOutput(serializers.Serializer):
    dry_run = serializers.BooleanField()
    stored = serializers.BooleanField()
    questions = serializers.ListField(
        child=serializers.CharField(), help_text="the variable names, in order"
    )
    forms = serializers.ListField(
        child=serializers.CharField(), help_text="the forms the dictionary holds"
    )
    errors = serializers.ListField(
        child=serializers.CharField(), help_text="each with its line number"
    )
    warnings = serializers.ListField(child=serializers.CharField())


class BuilderVersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    previous = serializers.IntegerField(source="previous_id", allow_null=True)
    status = serializers.CharField()
    questions = serializers.SerializerMethodField()

    def get_questions(self, obj) -> list[str]:
        return list(obj.questions.order_by("order", "id").values_list("code", flat=True))


class DictionaryExport(APIView):
    @extend_schema(
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
        operation_id="research_studies_questionnaires_dictionary_export",
    )
    def get(self, request: Request, pk: int, questionnaire_pk: int) -> HttpResponse:
        """The questionnaire as a REDCap data dictionary (CSV with REDCap's 18 columns)."""
        study = selectors.study_get(user=request.user, pk=pk, action="study.change")
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        return dictionary_response(questionnaire)


class DictionaryImport(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": BuilderDictionaryImportInput},
        responses={200: BuilderDictionaryImportOutput},
        operation_id="research_studies_questionnaires_dictionary_import",
    )
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Check (dry run, the default) or store a REDCap data dictionary in place of the questions,
        while they may still change. 400 with line-numbered `errors` when the file has errors;
        `has_responses`, `not_draft`, `superseded` when the questions are locked."""
        study = selectors.study_check(user=request.user, pk=pk)
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        data = BuilderDictionaryImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        result = services.questionnaire_dictionary_import(
            questionnaire=questionnaire,
            upload=data.validated_data["file"],
            imported_by=request.user,
            form=data.validated_data["form"],
            dry_run=data.validated_data["dry_run"],
        )
        body = {
            "dry_run": result.dry_run,
            "stored": result.stored,
            "questions": [q["code"] for q in result.questions],
            "forms": result.forms,
            "errors": result.errors,
            "warnings": result.warnings,
        }
        return Response(
            body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST
        )


class VersionCreate(APIView):
    @extend_schema(
        request=None,
        responses={201: BuilderVersionOutput},
        operation_id="research_studies_questionnaires_version_create",
    )
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """A new version of the questionnaire: a draft copy of its questions, to change after the first
        response. The old version keeps its answers; the schedule keeps asking it until the new
        version is put into use (`versions/use/`). 400 `superseded`."""
        study = selectors.study_check(user=request.user, pk=pk)
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        copy = services.questionnaire_version_create(
            questionnaire=questionnaire, created_by=request.user
        )
        return Response(BuilderVersionOutput(copy).data, status=status.HTTP_201_CREATED)


class VersionUse(APIView):
    @extend_schema(
        request=None,
        responses={200: BuilderVersionOutput},
        operation_id="research_studies_questionnaires_version_use",
    )
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Put this draft new version into use: it opens and the schedule asks it instead of the
        earlier versions (invitations already sent keep theirs). 400 `no_previous`, `superseded`,
        `not_draft`, `no_questions`, `in_schedule`."""
        study = selectors.study_check(user=request.user, pk=pk)
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        used = services.questionnaire_version_use(questionnaire=questionnaire, used_by=request.user)
        return Response(BuilderVersionOutput(used).data)


class VersionList(APIView):
    @extend_schema(
        responses=BuilderVersionOutput(many=True),
        operation_id="research_studies_questionnaires_versions",
    )
    def get(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Every version of the questionnaire, the first one first."""
        study = selectors.study_get(user=request.user, pk=pk)
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        return Response(
            BuilderVersionOutput(
                selectors.questionnaire_versions(questionnaire=questionnaire), many=True
            ).data
        )
