"""The ambassador API: the same selectors and services as the pages, under the same policy."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError as APIValidationError
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.core import policy
from werkbrug.core.models import Organisation, Region, User

from .. import selectors, services
from ..models import Ambassador, QuestionGroup, Topic
from ..settings import for_region
from .serializers import (
    AbsenceInput,
    AbsenceSerializer,
    AmbassadorSerializer,
    AmbGroupDetailSerializer,
    AmbTopicPatchInput,
    AppointInput,
    AskInput,
    CheckOutput,
    GroupSerializer,
    MergeInput,
    MessageSerializer,
    ProposalInput,
    ProposalSerializer,
    PublishInput,
    QASerializer,
    QuestionDetailSerializer,
    QuestionSerializer,
    RateInput,
    SettingsInput,
    SplitInput,
    StandInsInput,
    TextInput,
    TopicInput,
    TopicSerializer,
    TransitionInput,
    UnpublishInput,
)


def _region(request: Request) -> Region:
    return selectors.user_region(user=request.user)


def _in_region(model, pk, region_id, *, field: str = "region_id"):
    """An object of the user's region by id, or None (a bad id becomes a field error, not a 500)."""
    if pk is None:
        return None
    return model.objects.filter(pk=pk, **{field: region_id}).first()


class TopicList(APIView):
    @extend_schema(responses=TopicSerializer(many=True))
    def get(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassadors.use", None)
        return Response(TopicSerializer(selectors.topics_for(region_id=request.user.region_id, active_only=False), many=True).data)

    @extend_schema(request=TopicInput, responses=TopicSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_topic.change", _region(request))  # check first
        data = TopicInput(data=request.data)
        data.is_valid(raise_exception=True)
        topic = services.topic_add(region=_region(request), name=data.validated_data["name"], added_by=request.user)
        return Response(TopicSerializer(topic).data, status=status.HTTP_201_CREATED)


class TopicDetail(APIView):
    @extend_schema(request=AmbTopicPatchInput, responses=TopicSerializer, operation_id="ambassadors_topic_update")
    def patch(self, request: Request, pk: int) -> Response:
        topic = _in_region(Topic, pk, request.user.region_id)
        if topic is None:
            raise Http404
        policy.authorize(request.user, "ambassador_topic.change", topic)
        data = AmbTopicPatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        topic = services.topic_update(topic=topic, changed_by=request.user, **data.validated_data)
        return Response(TopicSerializer(topic).data)


class SettingsView(APIView):
    @extend_schema(responses=SettingsInput)
    def get(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassadors.use", None)
        rules = for_region(_region(request))
        return Response({"deadline_hours": rules.deadline_hours, "deadline_mode": rules.deadline_mode})

    @extend_schema(request=SettingsInput, responses=SettingsInput)
    def put(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_settings.change", _region(request))  # check first
        data = SettingsInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.region_settings_update(region=_region(request), changed_by=request.user, **data.validated_data)
        return Response(data.validated_data)


class AmbassadorList(ListAPIView):
    serializer_class = AmbassadorSerializer

    def get_queryset(self):
        policy.authorize(self.request.user, "ambassador.view", None)
        return selectors.ambassador_list(region_id=self.request.user.region_id)

    @extend_schema(request=AppointInput, responses=AmbassadorSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador.manage", None)  # check first
        data = AppointInput(data=request.data)
        data.is_valid(raise_exception=True)
        person = User.objects.filter(pk=data.validated_data["person"], region_id=request.user.region_id).first()
        if person is None:
            raise APIValidationError({"person": "unknown person"})
        ambassador = services.ambassador_appoint(person=person, appointed_by=request.user, position=data.validated_data["position"])
        return Response(AmbassadorSerializer(ambassador).data, status=status.HTTP_201_CREATED)


class AmbassadorDetail(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        """End the appointment (region administrators): open questions move to a colleague."""
        ambassador = selectors.ambassador_get(region_id=request.user.region_id, pk=pk)
        policy.authorize(request.user, "ambassador.manage", ambassador.organisation)
        services.ambassador_step_down(ambassador=ambassador, changed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AmbassadorStandIns(APIView):
    @extend_schema(request=StandInsInput, responses=AmbassadorSerializer)
    def put(self, request: Request, pk: int) -> Response:
        region_id = request.user.region_id
        ambassador = selectors.ambassador_get(region_id=region_id, pk=pk)
        policy.authorize(request.user, "ambassador_absence.record", ambassador)
        data = StandInsInput(data=request.data)
        data.is_valid(raise_exception=True)
        stand_ins = list(Ambassador.objects.filter(pk__in=data.validated_data["stand_ins"], organisation__region_id=region_id))
        if len(stand_ins) != len(set(data.validated_data["stand_ins"])):
            raise APIValidationError({"stand_ins": "unknown ambassador"})
        ambassador = services.ambassador_set_stand_ins(ambassador=ambassador, stand_ins=stand_ins, changed_by=request.user)
        return Response(AmbassadorSerializer(ambassador).data)


class AbsenceCreate(APIView):
    @extend_schema(request=AbsenceInput, responses=AbsenceSerializer)
    def post(self, request: Request) -> Response:
        data = AbsenceInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        ambassador = _in_region(Ambassador, values.pop("ambassador"), request.user.region_id, field="organisation__region_id")
        if ambassador is None:
            raise Http404
        absence = services.absence_add(ambassador=ambassador, recorded_by=request.user, **values)
        return Response(AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)


class AbsenceDetail(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="ambassadors_absences_destroy")
    def delete(self, request: Request, pk: int) -> Response:
        """Take back an absence, through `services.absence_remove`."""
        absence = selectors.absence_get(region_id=request.user.region_id, pk=pk)
        services.absence_remove(absence=absence, removed_by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AmbassadorAbsences(APIView):
    @extend_schema(responses=AbsenceSerializer(many=True), operation_id="ambassadors_ambassador_absences_list")
    def get(self, request: Request, pk: int) -> Response:
        policy.authorize(request.user, "ambassador.view", None)
        ambassador = selectors.ambassador_get(region_id=request.user.region_id, pk=pk)
        rows = AbsenceSerializer(ambassador.absences.order_by("starts_on", "id"), many=True).data
        if not policy.can(request.user, "ambassador_absence.view_reason", ambassador):
            for row in rows:
                row["reason"] = None  # away, and the dates; not why
        return Response(rows)


class QuestionList(ListAPIView):
    serializer_class = QuestionSerializer

    @extend_schema(parameters=[OpenApiParameter("timeliness", str, enum=["on_time", "late", "very_late"]),
                               OpenApiParameter("status", str), OpenApiParameter("organisation", int), OpenApiParameter("topic", int)])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        timeliness = params.get("timeliness", "")
        if timeliness and timeliness not in ("on_time", "late", "very_late"):
            raise APIValidationError({"timeliness": "on_time, late or very_late"})
        policy.authorize(self.request.user, "ambassadors.use", None)
        return selectors.question_list(
            user=self.request.user, timeliness=timeliness, status=params.get("status", ""),
            organisation_id=int(params["organisation"]) if params.get("organisation", "").isdigit() else None,
            topic_id=int(params["topic"]) if params.get("topic", "").isdigit() else None,
        )

    @extend_schema(request=AskInput, responses=QuestionSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_question.ask", None)  # check first
        data = AskInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        organisation = _in_region(Organisation, values["organisation"], request.user.region_id)
        topic = _in_region(Topic, values["topic"], request.user.region_id)
        question = services.question_ask(asked_by=request.user, organisation=organisation, topic=topic, text=values["text"],
                                         urgency=values["urgency"], confirmed=values["confirm"])
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)


class QuestionDetail(APIView):
    @extend_schema(responses=QuestionDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(user=request.user, pk=pk)
        return Response(QuestionDetailSerializer(question).data)


class QuestionAnswer(APIView):
    @extend_schema(request=TextInput, responses=MessageSerializer)
    def post(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(user=request.user, pk=pk, action="ambassador_question.answer")
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.question_answer(question=question, author=request.user, text=data.validated_data["text"],
                                           confirmed=data.validated_data["confirm"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class QuestionFollowUp(APIView):
    @extend_schema(request=TextInput, responses=MessageSerializer)
    def post(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(user=request.user, pk=pk, action="ambassador_question.follow_up")
        data = TextInput(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.question_follow_up(question=question, author=request.user, text=data.validated_data["text"],
                                              confirmed=data.validated_data["confirm"])
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


class QuestionRate(APIView):
    @extend_schema(request=RateInput, responses=QuestionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(user=request.user, pk=pk, action="ambassador_question.rate")
        data = RateInput(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_rate(question=question, person=request.user, useful=data.validated_data["useful"])
        return Response(QuestionSerializer(question).data)


class QuestionPublish(APIView):
    @extend_schema(request=PublishInput, responses=QASerializer)
    def post(self, request: Request, pk: int) -> Response:
        question = selectors.question_get(user=request.user, pk=pk, action="ambassador_question.publish")
        data = PublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_publish(question=question, person=request.user, **data.validated_data)
        return Response(QASerializer(question).data)


class QuestionUnpublish(APIView):
    @extend_schema(request=UnpublishInput, responses={204: None}, operation_id="ambassadors_question_unpublish")
    def post(self, request: Request, pk: int) -> Response:
        """Take a published Q&A back, with a reason (recorded in the question's steps)."""
        question = selectors.question_get(user=request.user, pk=pk, action="ambassador_qa.unpublish")
        data = UnpublishInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.question_unpublish(question=question, person=request.user, reason=data.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class SimilarCheck(APIView):
    @extend_schema(parameters=[OpenApiParameter("text", str, required=True)], responses=CheckOutput)
    def get(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_question.ask", None)
        body = request.query_params.get("text", "")[:5000]
        warnings = services.identity_check(body, writer=request.user, region_id=request.user.region_id)
        suggestions = selectors.similar_questions(user=request.user, query=body)
        return Response({"warnings": [w.as_dict() for w in warnings], "suggestions": [s.__dict__ for s in suggestions]})


class QAList(ListAPIView):
    serializer_class = QASerializer

    def get_queryset(self):
        return selectors.qa_list(user=self.request.user, query=self.request.query_params.get("q", "")[:200])


class QADetail(APIView):
    @extend_schema(responses=QASerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(QASerializer(selectors.qa_get(user=request.user, pk=pk)).data)


class GroupList(ListAPIView):
    serializer_class = GroupSerializer

    def get_queryset(self):
        return selectors.group_list(user=self.request.user).prefetch_related("questions")


class GroupDetail(APIView):
    @extend_schema(responses=AmbGroupDetailSerializer, operation_id="ambassadors_group_detail")
    def get(self, request: Request, pk: int) -> Response:
        group = selectors.group_get(user=request.user, pk=pk)
        details = selectors.group_details([group])[group.pk]
        return Response(AmbGroupDetailSerializer({
            "id": group.pk, "title": group.title, "terms": group.terms, "pinned": group.pinned,
            "size": len(details["questions"]), "organisations": details["organisations"],
            "topics": details["topics"], "questions": details["questions"]}).data)


class GroupRebuild(APIView):
    @extend_schema(request=None, responses=GroupSerializer(many=True))
    def post(self, request: Request) -> Response:
        groups = services.groups_rebuild(region=_region(request), by=request.user)
        return Response({"groups": len(groups)})


class GroupMerge(APIView):
    @extend_schema(request=MergeInput, responses=GroupSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_group.change", None)  # check first
        data = MergeInput(data=request.data)
        data.is_valid(raise_exception=True)
        groups = list(QuestionGroup.objects.filter(pk__in=data.validated_data["groups"], region_id=request.user.region_id))
        if len(groups) != len(set(data.validated_data["groups"])):
            raise Http404
        group = services.groups_merge(groups=groups, by=request.user, title=data.validated_data["title"])
        return Response(GroupSerializer(selectors.group_list(user=request.user, min_size=1).get(pk=group.pk)).data)


class GroupSplit(APIView):
    @extend_schema(request=SplitInput, responses=GroupSerializer)
    def post(self, request: Request, pk: int) -> Response:
        group = selectors.group_get(user=request.user, pk=pk, action="ambassador_group.change")
        data = SplitInput(data=request.data)
        data.is_valid(raise_exception=True)
        new = services.group_split(group=group, question_ids=data.validated_data["questions"], by=request.user, title=data.validated_data["title"])
        return Response(GroupSerializer(selectors.group_list(user=request.user, min_size=1).get(pk=new.pk)).data, status=status.HTTP_201_CREATED)


class ProposalList(APIView):
    @extend_schema(responses=ProposalSerializer(many=True))
    def get(self, request: Request) -> Response:
        proposals = selectors.proposal_list(user=request.user).prefetch_related("events", "groups", "organisations")
        return Response(ProposalSerializer(proposals, many=True).data)

    @extend_schema(request=ProposalInput, responses=ProposalSerializer)
    def post(self, request: Request) -> Response:
        policy.authorize(request.user, "ambassador_proposal.change", _region(request))  # check first
        data = ProposalInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        region_id = request.user.region_id
        groups = list(QuestionGroup.objects.filter(pk__in=values.pop("groups"), region_id=region_id))
        organisations = list(Organisation.objects.filter(pk__in=values.pop("organisations"), region_id=region_id))
        audience_organisation = _in_region(Organisation, values.pop("audience_organisation", None), region_id)
        proposal = services.proposal_draft(region=_region(request), by=request.user, groups=groups, organisations=organisations,
                                           audience_organisation=audience_organisation, **values)
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)


class ProposalDetail(APIView):
    @extend_schema(responses=ProposalSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProposalSerializer(selectors.proposal_get(user=request.user, pk=pk)).data)


class ProposalTransition(APIView):
    @extend_schema(request=TransitionInput, responses=ProposalSerializer)
    def post(self, request: Request, pk: int) -> Response:
        proposal = selectors.proposal_get(user=request.user, pk=pk)
        policy.authorize(request.user, "ambassador_proposal.change", proposal)
        data = TransitionInput(data=request.data)
        data.is_valid(raise_exception=True)
        proposal = services.proposal_transition(proposal=proposal, by=request.user, **data.validated_data)
        return Response(ProposalSerializer(proposal).data)


class ReportView(APIView):
    @extend_schema(parameters=[OpenApiParameter("start", date), OpenApiParameter("end", date)], responses=dict)
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        try:
            start = date.fromisoformat(request.query_params.get("start") or f"{today.year - 1}-{today.month:02d}-01")
            end = date.fromisoformat(request.query_params.get("end") or today.isoformat())
        except ValueError:
            raise APIValidationError({"start": "YYYY-MM-DD"}) from None
        if end < start:
            raise APIValidationError({"end": "end before start"})
        report = selectors.region_report(user=request.user, region=_region(request), start=start, end=end)
        return Response({
            "start": start, "end": end, "total": report["total"], "answered": report["answered"],
            "median_hours": report["median_hours"], "in_time_rate": report["in_time_rate"],
            "timeliness": report["timeliness"],
            "per_month": [{"month": m.isoformat()[:7], "questions": n} for m, n in report["months"]],
            "per_topic": [{"topic": r["topic__name"], "questions": r["n"]} for r in report["per_topic"]],
            "per_organisation": [{"organisation": r["organisation__name"], "questions": r["n"]} for r in report["per_organisation"]],
            "rates_by_organisation": report["rates_by_organisation"],
            "rates_by_ambassador": report["rates_by_ambassador"],
            "top_groups": [{"id": g.pk, "name": str(g), "questions": g.n, "terms": g.terms} for g in report["top_groups"]],
            "proposals": [{"id": p.pk, "title": p.title, "status": p.status} for p in report["proposals"]],
        })
