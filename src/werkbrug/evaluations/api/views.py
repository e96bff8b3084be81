"""The research API: the same selectors and services as the pages, under the same policy.

Check first: every operation that names a study (or participant) fetches and authorises it before
it reads the body or the query (`selectors.study_check` for writes, `study_get` for reads);
missing and forbidden are both 404."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.core import policy
from werkbrug.core.models import Organisation

from .. import analysis, codebook, exports, intercoder, qualitative, selectors, services
from ..models import Interview, Level, Passage, RespondentKind
from .serializers import (
    AllocationOutput,
    CodeInput,
    CodingInput,
    EvalAssessInput,
    EvalCodebookImportInput,
    EvalCodeQuotesOutput,
    EvalEnrolOutput,
    EvalExpectationInput,
    EvalExpectationOutput,
    EvalInterviewOutput,
    EvalInvitationTrackingOutput,
    EvalPassageOutput,
    EvalQuestionOutput,
    EvalQuestionReorderInput,
    EvalRecordedJobInput,
    EvalRecordedJobOutput,
    EvalResearcherAddInput,
    EvalTeamOutput,
    FidelityReviewSerializer,
    FlowInput,
    InterviewInput,
    ParticipantSerializer,
    QuestionInput,
    QuestionnaireInput,
    RandomiseInput,
    ResponseInput,
    RoundInput,
    SendInput,
    StageInput,
    StudyInput,
    StudySerializer,
)


class StudyList(APIView):
    @extend_schema(responses=StudySerializer(many=True))
    def get(self, request: Request) -> Response:
        studies = selectors.studies_for_user(user=request.user).prefetch_related("arms").select_related("organisation")
        return Response(StudySerializer(studies, many=True).data)

    @extend_schema(request=StudyInput, responses=StudySerializer)
    def post(self, request: Request) -> Response:
        data = StudyInput(data=request.data)
        data.is_valid(raise_exception=True)
        study = services.study_create(created_by=request.user, **data.validated_data)
        return Response(StudySerializer(study).data, status=status.HTTP_201_CREATED)


class StudyDetail(APIView):
    @extend_schema(responses=StudySerializer)
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        flow = selectors.consort(study=study)
        body = StudySerializer(study).data
        body["consort"] = {
            "assessed": flow.assessed, "excluded": flow.excluded, "randomised": flow.randomised,
            "not_eligible": flow.not_eligible, "declined": flow.declined,
            "not_yet_randomised": flow.not_yet_randomised, "withdrew_consent": flow.withdrew_consent,
            "exclusion_reasons": dict(flow.exclusion_reasons),
            "arms": [{"arm": a.arm.code, "allocated": a.allocated, "started": a.started, "dropped_out": a.dropped_out,
                      "followed_up": a.followed_up, "analysed": a.analysed} for a in flow.arms],
        }
        return Response(body)


class ParticipantList(ListAPIView):
    serializer_class = ParticipantSerializer

    def get_queryset(self):
        study = selectors.study_get(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.participants(study=study)


class Randomise(APIView):
    @extend_schema(request=RandomiseInput, responses=AllocationOutput)
    def post(self, request: Request, pk: int, participant_pk: int) -> Response:
        """Randomise now, or (`randomised_on`) date a randomisation done earlier."""
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk,
                                                  action="participant.randomise")
        data = RandomiseInput(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = services.participant_randomise(participant=participant, randomised_by=request.user,
                                                    randomised_on=data.validated_data.get("randomised_on"))
        return Response(AllocationOutput(allocation).data, status=status.HTTP_201_CREATED)


class StageChange(APIView):
    @extend_schema(request=StageInput, responses=ParticipantSerializer)
    def post(self, request: Request, pk: int, participant_pk: int) -> Response:
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        data = StageInput(data=request.data)
        data.is_valid(raise_exception=True)
        participant = services.participant_stage_set(participant=participant, recorded_by=request.user, **data.validated_data)
        return Response(ParticipantSerializer(participant).data)


class FlowChange(APIView):
    """A CONSORT status after allocation (not received, lost to follow-up, excluded from analysis)."""

    @extend_schema(request=FlowInput, responses=ParticipantSerializer)
    def post(self, request: Request, pk: int, participant_pk: int) -> Response:
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        data = FlowInput(data=request.data)
        data.is_valid(raise_exception=True)
        participant = services.participant_flow_set(participant=participant, recorded_by=request.user, **data.validated_data)
        return Response(ParticipantSerializer(participant).data)


def finite(value):
    """JSON has no infinity or NaN (an odds ratio with a zero cell is infinite): send null."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def _description(d) -> dict | None:
    if d is None:
        return None
    return {"n": d.n, "mean": d.mean, "median": d.median, "sd": d.sd, "min": d.minimum, "max": d.maximum}


class QuestionnaireResults(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        ids = set(selectors.analysable_participants(study=study).values_list("pk", flat=True))
        r = selectors.questionnaire_results(questionnaire=questionnaire, participant_ids=ids)
        return Response(finite({
            "questionnaire": questionnaire.title, "version": questionnaire.version, "status": questionnaire.status,
            "invited": r.invited,
            "responded": r.responded, "response_rate": r.response_rate,
            "questions": [{
                "code": q.question.code, "text": q.question.text, "type": q.question.type,
                "statistics": _description(q.description),
                "distribution": [{"answer": label, "n": n} for label, n in q.distribution],
                "open_answers": q.open_answers,
                "by_respondent": [{
                    "respondent": g.kind, "arm": g.arm_code or None, "event": g.event or None, "n": g.n,
                    "statistics": _description(g.description),
                    "distribution": [{"answer": label, "n": count, "proportion": share} for label, count, share in g.distribution],
                } for g in q.groups],
            } for q in r.questions],
        }))


class MyQuestionnaireResponse(APIView):
    """A signed-in client answers their own invitation."""

    @extend_schema(request=ResponseInput, responses=dict)
    def post(self, request: Request, invitation_pk: int) -> Response:
        invitation = selectors.invitation_check(user=request.user, invitation=selectors.invitation_fetch(pk=invitation_pk))
        data = ResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = services.response_submit(invitation=invitation, answers=data.validated_data["answers"], respondent=request.user)
        return Response({"responded_at": invitation.responded_at}, status=status.HTTP_201_CREATED)


class CodingCreate(APIView):
    @extend_schema(request=CodingInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        data = CodingInput(data=request.data)
        data.is_valid(raise_exception=True)
        passage = Passage.objects.filter(pk=data.validated_data["passage"], interview__round__study=study).first()
        code = study.codes.filter(pk=data.validated_data["code"]).first()
        if passage is None or code is None:
            raise Http404
        coding = qualitative.coding_span_add(passage=passage, code=code, coder=request.user, **{
            k: data.validated_data[k] for k in ("level", "start", "end", "quote")})
        return Response({"id": coding.pk, "passage": passage.pk, "code": code.name, "level": coding.level,
                         "start": coding.start, "end": coding.end}, status=status.HTTP_201_CREATED)


class AgreementView(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        people = {str(p.pk): p for p in selectors.coders(study=study)}
        a, b = people.get(request.query_params.get("a", "")), people.get(request.query_params.get("b", ""))
        if a is None or b is None or a == b:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({"a": ["Give two different coders of this study (a and b)."]})
        r = selectors.agreement(study=study, coder_a=a, coder_b=b)
        everyone = intercoder.coders_agreement(study=study)
        return Response(finite({"units": r.units, "cohens_kappa": r.kappa, "krippendorffs_alpha": r.alpha,
                         "cohens_kappa_interval": {"se": r.kappa_ci.se, "ci_low": r.kappa_ci.ci_low,
                                                   "ci_high": r.kappa_ci.ci_high, "se_null": r.kappa_ci.se_null},
                         "per_code": [{"code": c.name, "kappa": k, "given": n} for c, k, n in r.per_code],
                         "all_coders": _all_coders(everyone)}))


def _reliability(r) -> dict:
    return {"level": r.level, "alpha": r.alpha, "ci_low": r.ci_low, "ci_high": r.ci_high, "units": r.units, "values": r.values}


def _all_coders(everyone) -> dict:
    """Krippendorff's alpha over every coder of the study, its bootstrap interval and the passages
    the coders disagree on (coders by user id, as in `a` and `b`)."""
    return {
        "coders": [c.pk for c in everyone.coders],
        "krippendorffs_alpha": _reliability(everyone.overall),
        "per_code": [{"code": c.name, **_reliability(r)} for c, r in everyone.per_code],
        "disagreements": [{
            "interview": d.passage.interview.label, "passage": d.passage.number,
            "codes": [{"coder": c.pk, "codes": names} for c, names in d.by_coder],
        } for d in everyone.disagreements],
    }


class OutcomesView(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        r = analysis.outcomes(study=study)
        return Response(finite({
            "n": r.n, "control": r.control.code if r.control else None,
            "baseline": _baseline(r.baseline),
            "time_points": [{
                "days": tp.days, "outcome": tp.outcome,
                "arms": [{"arm": row.arm.code, "n": row.n, "events": row.events, "proportion": row.proportion} for row in tp.rows],
                "comparisons": [{"arm": arm.code, "risk_difference": c.difference, "ci_low": c.ci_low, "ci_high": c.ci_high,
                                 "ci_method": "newcombe", "wald_ci_low": c.wald_low, "wald_ci_high": c.wald_high,
                                 "p_value": c.p_value, "test": c.test,
                                 "chi2": c.chi2, "chi2_p_value": c.chi2_p,
                                 "chi2_corrected": c.chi2_corrected, "chi2_corrected_p_value": c.chi2_corrected_p}
                                for arm, c in tp.comparisons],
                "table_test": {"test": tp.table_test.test, "statistic": tp.table_test.statistic, "p_value": tp.table_test.p_value},
            } for tp in r.time_points],
            "time_to_first_job": {
                "arms": [{"arm": arm.code, "n": c.n, "events": c.events, "median_days": c.median,
                          "curve": [{"day": t, "survival": s} for t, s in zip(c.times, c.survival, strict=True)],
                          "censored_days": c.censored}
                         for arm, c in r.curves],
                "at_risk": {"days": r.at_risk.days, "arms": [{"arm": arm.code, "n": counts} for arm, counts in r.at_risk.rows]}
                if r.at_risk else None,
                "logrank": {"statistic": r.logrank.statistic, "dof": r.logrank.dof, "p_value": r.logrank.p_value} if r.logrank else None,
            },
        }))


def _baseline(baseline) -> dict | None:
    if baseline is None:
        return None
    return {
        "arms": [{"arm": c["arm"].code, "n": c["n"]} for c in baseline.columns],
        "rows": [{"characteristic": row.label, "statistic": row.statistic,
                  "cells": [{k: v for k, v in vars(cell).items() if v is not None} for cell in row.cells]} for row in baseline.rows],
    }


class FidelityReviews(APIView):
    @extend_schema(responses=FidelityReviewSerializer(many=True))
    def get(self, request: Request) -> Response:
        policy.authorize(request.user, "fidelity.view")
        return Response(FidelityReviewSerializer(selectors.fidelity_reviews(user=request.user), many=True).data)

    @extend_schema(request=FidelityReviewSerializer, responses=FidelityReviewSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "fidelity.record")  # about teams, not clients: no record is written
        data = FidelityReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = Organisation.objects.filter(pk=data.validated_data["organisation"].pk, region_id=request.user.region_id).first()
        if organisation is None:
            raise Http404
        review = services.fidelity_review_record(
            organisation=organisation, team_name=data.validated_data["team_name"],
            reviewed_on=data.validated_data["reviewed_on"], scores=data.validated_data["scores"],
            reviewers=data.validated_data.get("reviewers", ""), recorded_by=request.user,
        )
        return Response(FidelityReviewSerializer(review).data, status=status.HTTP_201_CREATED)




class QuestionnaireCreate(APIView):
    @extend_schema(request=QuestionnaireInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        data = QuestionnaireInput(data=request.data)
        data.is_valid(raise_exception=True)
        q = services.questionnaire_create(study=study, created_by=request.user, **data.validated_data)
        return Response({"id": q.pk, "title": q.title, "status": q.status,
                         "questions": [x.code for x in q.questions.all()]}, status=status.HTTP_201_CREATED)


class QuestionnaireSend(APIView):
    @extend_schema(request=SendInput, responses=dict)
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        data = SendInput(data=request.data)
        data.is_valid(raise_exception=True)
        links = [(item.get("kind", ""), item.get("email", "")) for item in data.validated_data["links"]]
        sent = services.questionnaire_send(questionnaire=q, sent_by=request.user,
                                           to_participants=data.validated_data["to_participants"], links=links)
        return Response({"sent": len(sent)}, status=status.HTTP_201_CREATED)


class QuestionnaireRemind(APIView):
    @extend_schema(request=None, responses=dict)
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        return Response({"reminded": services.questionnaire_remind(questionnaire=q, reminded_by=request.user)})


class RoundCreate(APIView):
    @extend_schema(request=RoundInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        data = RoundInput(data=request.data)
        data.is_valid(raise_exception=True)
        rnd = services.interview_round_create(study=study, created_by=request.user, **data.validated_data)
        return Response({"id": rnd.pk, "number": rnd.number, "title": rnd.title}, status=status.HTTP_201_CREATED)


class InterviewCreate(APIView):
    @extend_schema(request=InterviewInput, responses=dict)
    def post(self, request: Request, pk: int, round_pk: int) -> Response:
        rnd = selectors.study_check(user=request.user, pk=pk).rounds.filter(pk=round_pk).first()
        if rnd is None:
            raise Http404
        data = InterviewInput(data=request.data)
        data.is_valid(raise_exception=True)
        interview = services.interview_add(round=rnd, added_by=request.user, **data.validated_data)
        return Response({"id": interview.pk, "label": interview.label,
                         "passages": [{"id": p.pk, "number": p.number, "text": p.text} for p in interview.passages.all()]},
                        status=status.HTTP_201_CREATED)


class Codes(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        freq = {row["code"].pk: row for row in selectors.code_frequencies(study=study)["rows"]}
        return Response([{
            "id": code.pk, "guid": str(code.guid), "name": code.name, "parent": code.parent_id, "depth": depth,
            "description": code.description, "passages": freq[code.pk]["total"],
            "per_round": freq[code.pk]["rounds"], "per_level": dict(zip(Level.values, freq[code.pk]["levels"], strict=True)),
        } for code, depth in selectors.codebook(study=study)])

    @extend_schema(request=CodeInput, responses=dict)
    def post(self, request: Request, pk: int) -> Response:
        study = selectors.study_check(user=request.user, pk=pk)
        data = CodeInput(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        if data.validated_data["parent"]:
            parent = study.codes.filter(pk=data.validated_data["parent"]).first()
            if parent is None:
                raise Http404
        code = services.code_create(study=study, created_by=request.user, name=data.validated_data["name"], parent=parent,
                                    description=data.validated_data["description"])
        return Response({"id": code.pk, "guid": str(code.guid), "name": code.name}, status=status.HTTP_201_CREATED)


class Expectations(APIView):
    @extend_schema(responses=dict)
    def get(self, request: Request, pk: int) -> Response:
        study = selectors.study_get(user=request.user, pk=pk)
        return Response([_expectation(e) for e in selectors.expectations(study=study)])

    @extend_schema(request=EvalExpectationInput, responses={201: EvalExpectationOutput}, operation_id="research_studies_expectations_add")
    def post(self, request: Request, pk: int) -> Response:
        """Add an expectation, success factor or minimum goal collected in a round of this study."""
        study = selectors.study_check(user=request.user, pk=pk)
        data = EvalExpectationInput(data=request.data)
        data.is_valid(raise_exception=True)
        rnd = study.rounds.filter(pk=data.validated_data["round"]).first()
        if rnd is None:
            raise Http404
        expectation = services.expectation_add(round=rnd, kind=data.validated_data["kind"], level=data.validated_data["level"],
                                               text=data.validated_data["text"], added_by=request.user)
        return Response(_expectation(expectation), status=status.HTTP_201_CREATED)


def _expectation(e) -> dict:
    return {
        "id": e.pk, "kind": e.kind, "level": e.level, "text": e.text, "round": e.round.number,
        "assessment": e.assessment or None, "assessed_in": e.assessed_in.number if e.assessed_in else None,
        "evidence": e.evidence,
    }


class ExpectationAssess(APIView):
    @extend_schema(request=EvalAssessInput, responses=EvalExpectationOutput, operation_id="research_studies_expectations_assess")
    def post(self, request: Request, pk: int, expectation_pk: int) -> Response:
        """Mark an expectation in a later round (achieved, exceeded, adjusted up/down, not achieved) with evidence.

        400 `assessment`, `round` (not a later round), `evidence` (missing)."""
        study = selectors.study_check(user=request.user, pk=pk)
        item = study.expectations.filter(pk=expectation_pk).first()
        if item is None:
            raise Http404
        data = EvalAssessInput(data=request.data)
        data.is_valid(raise_exception=True)
        rnd = study.rounds.filter(pk=data.validated_data["round"]).first()
        if rnd is None:
            raise Http404
        item = services.expectation_assess(expectation=item, round=rnd, assessed_by=request.user,
                                           assessment=data.validated_data["assessment"], evidence=data.validated_data["evidence"])
        return Response(_expectation(item))


class Export(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("table", str, enum=list(exports.TABLES), default="participants"),
            OpenApiParameter("format", str, enum=list(exports.FORMATS), default="csv"),
        ],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, "application/pdf"): OpenApiTypes.BINARY},
    )
    def get(self, request: Request, pk: int):
        """Export a study for statisticians (one row per pseudonymised participant, or a long table).

        `table=codebook&format=pdf` is the codebook as a document (every variable with its label,
        table, type, SPSS measurement level and format, value labels and missing values).
        Researchers of the study only; every export is access-logged (code E)."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        from ..views import export_response

        study = selectors.study_get(user=request.user, pk=pk, action="study.export")
        table = request.query_params.get("table", "participants")
        fmt = request.query_params.get("format", "csv")
        errors = {}
        if table not in exports.TABLES:
            errors["table"] = [f"one of {', '.join(exports.TABLES)}"]
        if fmt not in exports.FORMATS:
            errors["format"] = [f"one of {', '.join(exports.FORMATS)}"]
        elif not errors and not exports.exportable(table, fmt):
            errors["format"] = ["pdf only for table=codebook"]
        if errors:
            raise DjangoValidationError(errors)
        return export_response(request._request, study, table, fmt)


class CodebookExport(APIView):
    @extend_schema(responses={(200, "application/xml"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: int, fmt: str):
        """The study's codebook as CSV or REFI-QDA (`qdc`). Access-logged as an export."""
        from ..views import codebook_response

        study = selectors.study_get(user=request.user, pk=pk, action="study.export")
        if fmt not in ("csv", "qdc"):
            raise Http404
        return codebook_response(study, fmt)


class Enrol(APIView):
    @extend_schema(request=None, responses={201: EvalEnrolOutput}, operation_id="research_studies_participants_enrol")
    def post(self, request: Request, pk: int) -> Response:
        """Enrol every client of the region with current research consent who meets the criteria (as the study page does)."""
        study = selectors.study_check(user=request.user, pk=pk)
        count = services.participants_enrol_eligible(study=study, enrolled_by=request.user)
        return Response({"enrolled": count}, status=status.HTTP_201_CREATED)


class RecordedJobCreate(APIView):
    @extend_schema(request=EvalRecordedJobInput, responses={201: EvalRecordedJobOutput}, operation_id="research_studies_participants_jobs_add")
    def post(self, request: Request, pk: int, participant_pk: int) -> Response:
        """Record a job found at follow-up. 400 `end_before_start`, `hours` (not between 0 and 80)."""
        participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        data = EvalRecordedJobInput(data=request.data)
        data.is_valid(raise_exception=True)
        job = services.recorded_job_add(participant=participant, recorded_by=request.user, **data.validated_data)
        return Response(EvalRecordedJobOutput(job).data, status=status.HTTP_201_CREATED)


class QuestionAdd(APIView):
    @extend_schema(responses=EvalQuestionOutput(many=True), operation_id="research_studies_questionnaires_questions_list")
    def get(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """The questions in order, with their answer options as the respondent sees them."""
        study = selectors.study_get(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        return Response(EvalQuestionOutput(q.questions.select_related("show_if_question"), many=True).data)

    @extend_schema(request=QuestionInput, responses={201: EvalQuestionOutput}, operation_id="research_studies_questionnaires_questions_add")
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Add a question, until the first response arrives. 400 `has_responses`, `not_draft` (closed),
        `duplicate`, `duplicate_choice`, `variable_name`, `type`, `choices`, `range`, `scale_points`,
        `scale_labels`, `show_if`, `show_if_value`."""
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        data = QuestionInput(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_add(questionnaire=q, added_by=request.user, **data.validated_data)
        return Response(EvalQuestionOutput(question).data, status=status.HTTP_201_CREATED)


class QuestionDetail(APIView):
    @extend_schema(request=QuestionInput, responses=EvalQuestionOutput, operation_id="research_studies_questionnaires_questions_update")
    def patch(self, request: Request, pk: int, questionnaire_pk: int, question_pk: int) -> Response:
        """Change a question (only the fields sent), until the first response arrives (400 `has_responses`)."""
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        question = selectors.question_fetch(questionnaire=q, pk=question_pk)
        data = QuestionInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        changed = services.question_update(question=question, changed_by=request.user, **data.validated_data)
        return Response(EvalQuestionOutput(changed).data)

    @extend_schema(request=None, responses={204: None}, operation_id="research_studies_questionnaires_questions_delete")
    def delete(self, request: Request, pk: int, questionnaire_pk: int, question_pk: int) -> Response:
        """Delete a question, until the first response arrives; 400 `has_dependents` while another
        question is shown only after an answer to it."""
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        question = selectors.question_fetch(questionnaire=q, pk=question_pk)
        services.question_delete(question=question, deleted_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class QuestionReorder(APIView):
    @extend_schema(request=EvalQuestionReorderInput, responses=EvalQuestionOutput(many=True),
                   operation_id="research_studies_questionnaires_questions_reorder")
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Put the questions in a new order (every id once), until the first response arrives.
        400 `order`, `branch_order` (a question before the question its condition names), `has_responses`."""
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        data = EvalQuestionReorderInput(data=request.data)
        data.is_valid(raise_exception=True)
        ordered = services.questions_reorder(questionnaire=q, question_ids=data.validated_data["questions"],
                                             changed_by=request.user)
        return Response(EvalQuestionOutput(ordered, many=True).data)


class QuestionnaireClose(APIView):
    @extend_schema(request=None, responses=dict, operation_id="research_studies_questionnaires_close")
    def post(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Close a questionnaire: no more responses are accepted."""
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        q = services.questionnaire_close(questionnaire=q, closed_by=request.user)
        return Response({"id": q.pk, "status": q.status})


class CodebookImport(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": EvalCodebookImportInput}, responses={201: dict},
                   operation_id="research_studies_codes_import")
    def post(self, request: Request, pk: int) -> Response:
        """Import a codebook file (`.qdc` REFI-QDA, otherwise CSV) as the codes page does.

        Codes whose GUID the study knows are skipped. 400 `format`, `too_large`, `columns`, `guid`, `encoding`, `parent`."""
        study = selectors.study_check(user=request.user, pk=pk)  # an outsider gets 404 before any parsing
        data = EvalCodebookImportInput(data=request.data)
        data.is_valid(raise_exception=True)
        rows = codebook.from_upload(data.validated_data["file"])
        n = services.codebook_import(study=study, codes=rows, imported_by=request.user)
        return Response({"imported": n}, status=status.HTTP_201_CREATED)


class InterviewList(APIView):
    @extend_schema(responses=EvalInterviewOutput(many=True), operation_id="research_studies_interviews_list")
    def get(self, request: Request, pk: int) -> Response:
        """The study's interviews over all rounds (labels only, never names), with their passage counts."""
        study = selectors.study_get(user=request.user, pk=pk)
        interviews = (Interview.objects.filter(round__study=study).select_related("round")
                      .annotate(n_passages=Count("passages")).order_by("round__number", "label", "pk"))
        return Response(EvalInterviewOutput(interviews, many=True).data)


class InterviewPassages(APIView):
    @extend_schema(responses=EvalPassageOutput(many=True), operation_id="research_studies_interviews_passages_list")
    def get(self, request: Request, pk: int, interview_pk: int) -> Response:
        """An interview's passages in order, with your own codes on each and how many codes other coders gave."""
        study = selectors.study_get(user=request.user, pk=pk)
        item = selectors.interview_fetch(study=study, pk=interview_pk)
        body = []
        for passage in selectors.interview_passages(interview=item):
            codings = passage.codings.all()
            body.append({
                "id": passage.pk, "number": passage.number, "text": passage.text,
                "mine": [{"id": c.pk, "code": c.code_id, "code_name": c.code.name, "level": c.level}
                         for c in codings if c.coder_id == request.user.pk],
                "others": sum(1 for c in codings if c.coder_id != request.user.pk),
            })
        return Response(body)


class CodeQuotes(APIView):
    @extend_schema(responses=EvalCodeQuotesOutput(many=True), operation_id="research_studies_codes_quotes_list")
    def get(self, request: Request, pk: int) -> Response:
        """Quotes per code, as the codes page shows them: codes in tree order, up to five passages each,
        with the interview's neutral label (never a name). Codes without coded passages are left out."""
        study = selectors.study_get(user=request.user, pk=pk)
        return Response([{
            "code": code.pk, "name": code.name,
            "quotes": [{"interview": label, "text": text} for label, text in quotes],
        } for code, quotes in selectors.quotes_per_code(study=study)])


class QuestionnaireTracking(APIView):
    @extend_schema(responses=EvalInvitationTrackingOutput, operation_id="research_studies_questionnaires_tracking")
    def get(self, request: Request, pk: int, questionnaire_pk: int) -> Response:
        """Response tracking, as the questionnaire page shows it: counts and one row per invitation.

        Participants appear by study pseudonym only; personal-link invitations by kind only (never an
        e-mail address or token). Participants who may no longer be analysed are left out."""
        study = selectors.study_get(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        ids = set(selectors.analysable_participants(study=study).values_list("pk", flat=True))
        r = selectors.questionnaire_results(questionnaire=q, participant_ids=ids)
        kinds = {str(label): value for value, label in RespondentKind.choices}
        return Response(finite({
            "questionnaire": q.title, "status": q.status, "sent": r.invited, "responded": r.responded,
            "reminded": r.reminded, "response_rate": r.response_rate,
            "invitations": [{
                "participant": row["who"] or None, "kind": kinds.get(str(row["kind"]), str(row["kind"])),
                "sent_at": row["sent_at"], "reminders": row["reminders"], "responded_at": row["responded_at"],
                "responded": row["responded_at"] is not None,
            } for row in selectors.invitation_tracking(questionnaire=q, participant_ids=ids)],
        }))


REPORT_KINDS = ("full", "interim")
REPORT_FORMATS = ("html", "pdf")


class Report(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=list(REPORT_KINDS), default="full"),
            OpenApiParameter("format", str, enum=list(REPORT_FORMATS), default="html"),
        ],
        responses={(200, "text/html"): OpenApiTypes.STR, (200, "application/pdf"): OpenApiTypes.BINARY},
        operation_id="research_studies_report",
    )
    def get(self, request: Request, pk: int):
        """The study report (or the interim report, `kind=interim`) as HTML or PDF (`format=pdf`).

        The same template and renderer as the report page. A PDF is access-logged as an export (code E)
        and is for the study's researchers only. 400 `kind`, `format`."""
        from django.shortcuts import render

        from werkbrug.web.pdf import render_pdf

        from ..views import _outcomes_context, _study_context

        fmt = request.query_params.get("format", "html")
        as_pdf = fmt == "pdf"  # which action to check: the only input read before it
        study = selectors.study_get(user=request.user, pk=pk, action="study.export" if as_pdf else "study.view")
        kind = request.query_params.get("kind", "full")
        errors = {}
        if kind not in REPORT_KINDS:
            errors["kind"] = [f"one of {', '.join(REPORT_KINDS)}"]
        if fmt not in REPORT_FORMATS:
            errors["format"] = [f"one of {', '.join(REPORT_FORMATS)}"]
        if errors:
            raise DjangoValidationError(errors)
        interim = kind == "interim"
        ids = set(selectors.analysable_participants(study=study).values_list("pk", flat=True))
        context = {
            **_study_context(study), **_outcomes_context(study), "interim": interim,
            "recruitment": selectors.recruitment(study=study),
            "questionnaires": [selectors.questionnaire_results(questionnaire=q, participant_ids=ids)
                               for q in study.questionnaires.all()],
            "frequencies": selectors.code_frequencies(study=study),
            "expectations": selectors.expectations(study=study),
        }
        if as_pdf:
            name = f"{'interim-' if interim else ''}report-study-{study.pk}.pdf"
            return render_pdf(request._request, "evaluations/report.html", context, filename=name)
        return render(request._request, "evaluations/report.html", context)


class ResearcherAdd(APIView):
    @extend_schema(request=EvalResearcherAddInput, responses={201: EvalTeamOutput}, operation_id="research_studies_researchers_add")
    def post(self, request: Request, pk: int) -> Response:
        """Add a researcher (`person`, a user id) to the study's research team. Study researchers only.

        400 `not_researcher` (not a researcher in the study's region)."""
        from werkbrug.core.models import User

        study = selectors.study_check(user=request.user, pk=pk)
        data = EvalResearcherAddInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(pk=data.validated_data["person"]).first()
        if person is None:
            policy.authorize(request.user, "study.change", study)  # no service runs: this is the one record
            raise Http404
        study = services.study_researcher_add(study=study, person=person, added_by=request.user)
        return Response(EvalTeamOutput(study).data, status=status.HTTP_201_CREATED)
