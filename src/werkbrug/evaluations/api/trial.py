"""The trial's lifecycle, screening log, allocation log, unblinding and imports in the research API.

Check first, as everywhere: each operation fetches and authorises its study before it reads the
body (`selectors.study_check` for writes, `study_get` for reads; missing and forbidden are 404).
The services ask the study's lifecycle (`workflow.study_require`); a refusal is a 400 with
code `study_status`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.core.models import User

from .. import allocation_log, schedule_selectors, selectors, services
from ..models import ScreeningOutcome, StudyEventKind
from ..services.screening import REASON_MAX
from .serializers import StudyInput, StudySerializer


class TrialCloseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class TrialArmChangeInput(serializers.Serializer):
    name = serializers.CharField(max_length=120, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class TrialAmendmentChangesInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    research_question = serializers.CharField(max_length=5000, required=False)
    eligibility = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    eligible_benefits = serializers.ListField(child=serializers.CharField(max_length=30), max_length=20, required=False)
    ends_on = serializers.DateField(required=False)
    follow_up_days = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=3650), max_length=20,
                                           required=False)
    arms = serializers.DictField(child=TrialArmChangeInput(), required=False)


class TrialAmendmentInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
    effective_on = serializers.DateField()
    changes = TrialAmendmentChangesInput()


class TrialEventOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=StudyEventKind.choices)
    at = serializers.DateTimeField()
    effective_on = serializers.DateField(allow_null=True)
    by = serializers.CharField(source="actor.get_full_name")
    reason = serializers.CharField()
    before = serializers.DictField()
    after = serializers.DictField()


class TrialScreeningInput(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)
    reason = serializers.CharField(max_length=REASON_MAX, required=False, allow_blank=True, default="")
    screened_on = serializers.DateField(required=False)
    client = serializers.CharField(max_length=16, required=False, allow_blank=True, default="",
                                   help_text="The client id (pseudonym) of an eligible client to enrol.")


class TrialScreeningOutput(serializers.Serializer):
    id = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=ScreeningOutcome.choices)
    reason = serializers.CharField()
    screened_on = serializers.DateField()
    participant = serializers.CharField(source="participant.study_pseudonym", allow_null=True, default=None)


class TrialScreeningLogOutput(serializers.Serializer):
    screenings = TrialScreeningOutput(many=True)
    candidates = serializers.ListField(child=serializers.CharField(), help_text="Client ids of eligible clients not yet screened.")


class TrialPersonInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class TrialUnblindInput(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class TrialAllocationLogOutput(serializers.Serializer):
    participant = serializers.CharField()
    arm = serializers.CharField()
    randomised_on = serializers.DateField()
    recorded_at = serializers.DateTimeField()
    randomised_by = serializers.CharField()
    stratum = serializers.CharField()
    imported = serializers.BooleanField()
    sequence_number = serializers.IntegerField(allow_null=True)
    block_number = serializers.IntegerField(allow_null=True)
    block_size = serializers.IntegerField(allow_null=True)


class TrialImportInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, k) for k in services.imports.KINDS])
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    questionnaire = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


class TrialImportOutput(serializers.Serializer):
    kind = serializers.CharField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    errors = serializers.ListField(child=serializers.CharField())
    stored = serializers.BooleanField()


class StudyProtocol(APIView):
    @extend_schema(request=StudyInput, responses=StudySerializer, operation_id="research_studies_protocol_update")
    def put(self, request: Request, pk: int) -> Response:
        """Change a draft's protocol (400 `study_status` once the study has started: amend it then)."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = StudyInput(data=request.data)
        data.is_valid(raise_exception=True)
        study = services.study_update(study=study, changed_by=request.user, **data.validated_data)
        return Response(StudySerializer(study).data)

    @extend_schema(request=None, responses={204: None}, operation_id="research_studies_protocol_delete")
    def delete(self, request: Request, pk: int) -> Response:
        """Delete a draft study."""
        study = selectors.study_check(user=request.user, pk=pk)
        services.study_delete(study=study, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class StudyStart(APIView):
    @extend_schema(request=None, responses=StudySerializer, operation_id="research_studies_start")
    def post(self, request: Request, pk: int) -> Response:
        """Start a draft: the protocol, arms, strata, blocks and schedule are locked from now on."""
        study = selectors.study_check(user=request.user, pk=pk)
        return Response(StudySerializer(services.study_start(study=study, started_by=request.user)).data)


class StudyClose(APIView):
    @extend_schema(request=TrialCloseInput, responses=StudySerializer, operation_id="research_studies_close")
    def post(self, request: Request, pk: int) -> Response:
        """Close a running study: read-only from now on; pages, analysis and exports remain."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = TrialCloseInput(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(StudySerializer(services.study_close(study=study, closed_by=request.user, **data.validated_data)).data)


class StudyEvents(APIView):
    @extend_schema(responses=TrialEventOutput(many=True), operation_id="research_studies_events_list")
    def get(self, request: Request, pk: int) -> Response:
        """The study's audit trail: start, amendments (before and after), close, unblinding, imports."""
        study = selectors.study_get(user=request.user, pk=pk)
        return Response(TrialEventOutput(study.events.select_related("actor"), many=True).data)


class StudyAmendments(APIView):
    @extend_schema(request=TrialAmendmentInput, responses={201: TrialEventOutput},
                   operation_id="research_studies_amendments_create")
    def post(self, request: Request, pk: int) -> Response:
        """Amend a running study's protocol with a reason and an effective date (recorded in the trail)."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = TrialAmendmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.study_amend(study=study, amended_by=request.user, **data.validated_data)
        return Response(TrialEventOutput(event).data, status=status.HTTP_201_CREATED)


class Screenings(APIView):
    @extend_schema(responses=TrialScreeningLogOutput, operation_id="research_studies_screenings_list")
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        return Response({
            "screenings": TrialScreeningOutput(study.screenings.select_related("participant"), many=True).data,
            "candidates": list(selectors.screening_candidates(study=study).values_list("pseudonym", flat=True)),
        })

    @extend_schema(request=TrialScreeningInput, responses={201: TrialScreeningOutput},
                   operation_id="research_studies_screenings_create")
    def post(self, request: Request, pk: int) -> Response:
        """Record a client assessed for eligibility; an eligible client (by client id) is enrolled."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = TrialScreeningInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        code = fields.pop("client")
        client = None
        if code:
            client = selectors.screening_candidates(study=study).filter(pseudonym=code).first()
            if client is None:
                raise DjangoValidationError({"client": "unknown or not eligible"})
        screening = services.screening_record(study=study, screened_by=request.user, client=client, **fields)
        return Response(TrialScreeningOutput(screening).data, status=status.HTTP_201_CREATED)


class AllocationLog(APIView):
    @extend_schema(responses=TrialAllocationLogOutput(many=True), operation_id="research_studies_allocations_list")
    def get(self, request: Request, pk: int) -> Response:
        """The allocation log for the team and the auditors; sequence numbers and blocks are null
        for the team until the sequence is unblinded."""
        study = selectors.study_get(user=request.user, pk=pk, action="study.allocations")
        rows = allocation_log.allocation_log(study=study, user=request.user)
        return Response(TrialAllocationLogOutput(rows, many=True).data)


class AllocationLogCsv(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.BINARY}, operation_id="research_studies_allocations_csv")
    def get(self, request: Request, pk: int):
        """The allocation log as CSV (formula-escaped cells); access-logged as an export."""
        study = selectors.study_get(user=request.user, pk=pk, action="study.allocations.export")
        rows = allocation_log.allocation_log(study=study, user=request.user)
        response = StreamingHttpResponse(allocation_log.csv_rows(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="allocation-log-{study.pk}.csv"'
        return response


class Auditors(APIView):
    @extend_schema(request=TrialPersonInput, responses=StudySerializer, operation_id="research_studies_auditors_add")
    def post(self, request: Request, pk: int) -> Response:
        """Name an auditor: a researcher in the region outside the team, who reads the full allocation log."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = TrialPersonInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(pk=data.validated_data["person"], region_id=study.region_id).first()
        if person is None:
            raise DjangoValidationError({"person": "unknown"})
        return Response(StudySerializer(services.study_auditor_add(study=study, person=person, added_by=request.user)).data)


class Unblind(APIView):
    @extend_schema(request=TrialUnblindInput, responses=StudySerializer, operation_id="research_studies_unblind")
    def post(self, request: Request, pk: int) -> Response:
        """The recorded unblinding, by an auditor: the team sees the sequence from now on."""
        study = selectors.study_check(user=request.user, pk=pk, action="study.unblind")
        data = TrialUnblindInput(data=request.data)
        data.is_valid(raise_exception=True)
        study = services.study_unblind(study=study, unblinded_by=request.user, reason=data.validated_data["reason"])
        return Response(StudySerializer(study).data)


class Import(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": TrialImportInput}, responses=TrialImportOutput,
                   operation_id="research_studies_import")
    def post(self, request: Request, pk: int) -> Response:
        """Import allocations, jobs or questionnaire answers (CSV or XLSX, at most 2 MB). A dry run
        (the default) only checks; errors name their line. 400 when the file has errors."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = TrialImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        if upload.size > services.imports.trial_import.MAX_BYTES:
            raise DjangoValidationError({"file": "at most 2 MB"})
        questionnaire = None
        if "questionnaire" in data.validated_data:
            questionnaire = study.questionnaires.filter(pk=data.validated_data["questionnaire"]).first()
            if questionnaire is None:
                raise DjangoValidationError({"questionnaire": "unknown"})
        result = services.study_import(
            study=study, kind=data.validated_data["kind"], data=upload.read(), imported_by=request.user,
            dry_run=data.validated_data["dry_run"], filename=upload.name or "", questionnaire=questionnaire,
        )
        body = {"kind": result.kind, "dry_run": result.dry_run, "rows": result.rows, "errors": result.errors,
                "stored": result.event is not None}
        return Response(body, status=status.HTTP_200_OK if result.ok else status.HTTP_400_BAD_REQUEST)


class EmployerContactInput(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    email = serializers.CharField(max_length=254)  # checked by the service, like the page's form
    permission = serializers.BooleanField(help_text="The client agreed that this employer may be contacted for the study.")
    permission_given_on = serializers.DateField()


class EmployerContactOutput(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    permission_given_on = serializers.DateField()
    recorded_on = serializers.SerializerMethodField()

    def get_recorded_on(self, contact) -> str:
        return selectors.research_day(contact.recorded_at).isoformat()


class EmployerContactBody(serializers.Serializer):
    contact = EmployerContactOutput(allow_null=True)


class EmployerContact(APIView):
    """A participant's employer research contact: the worker mails the employer questionnaires of
    the schedule to it; without one they are sent by hand. Recorded only with the client's
    permission; the study's researchers only (`participant.view` to read, `participant.change`
    to write)."""

    @extend_schema(responses=EmployerContactBody, operation_id="research_participant_employer_contact")
    def get(self, request: Request, pk: int, participant_pk: int) -> Response:
        participant = selectors.participant_get(user=request.user, study_pk=pk, pk=participant_pk)
        return Response({"contact": _contact(participant)})

    @extend_schema(request=EmployerContactInput, responses=EmployerContactBody,
                   operation_id="research_participant_employer_contact_set")
    def put(self, request: Request, pk: int, participant_pk: int) -> Response:
        """Record or change it. 400 `permission_required` (no permission), `permission_date`
        (missing or in the future), `name`, `email`, `study_status`."""
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        data = EmployerContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.employer_contact_set(participant=participant, recorded_by=request.user, **data.validated_data)
        return Response({"contact": _contact(participant)})

    @extend_schema(request=None, responses={204: None}, operation_id="research_participant_employer_contact_remove")
    def delete(self, request: Request, pk: int, participant_pk: int) -> Response:
        """The client withdrew the permission: the contact is erased."""
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        services.employer_contact_remove(participant=participant, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _contact(participant) -> dict | None:
    contact = schedule_selectors.employer_contact(participant=participant)
    return EmployerContactOutput(contact).data if contact is not None else None
