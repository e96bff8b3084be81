"""Knowledge map API: read for every signed-in professional of the region, write for editors."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response

from werkbrug.core import policy

from .. import selectors, services
from ..models import Item, ItemStatus, Relation
from .serializers import (
    KnowledgeItemInputSerializer,
    KnowledgeItemSerializer,
    KnowledgeRelationInputSerializer,
    KnowledgeRelationSerializer,
    KnowledgeTransitionInputSerializer,
)


@contextmanager
def _keep_codes():
    """Pass a service's ValidationError on with each message's own `code` (e.g. `cycle`),
    which the shared problem+json handler would otherwise turn into a plain `invalid`."""
    try:
        yield
    except DjangoValidationError as exc:
        def details(errors) -> list[ErrorDetail]:
            return [ErrorDetail(str(e.message % e.params) if e.params else str(e.message), code=e.code or "invalid") for e in errors]

        if hasattr(exc, "error_dict"):
            detail = {("non_field_errors" if k == NON_FIELD_ERRORS else k): details(v) for k, v in exc.error_dict.items()}
        else:
            detail = {"non_field_errors": details(exc.error_list)}
        raise exceptions.ValidationError(detail) from exc


def _call(func: Callable[..., Any], **kwargs: Any) -> Any:
    with _keep_codes():
        return func(**kwargs)


@extend_schema(parameters=[
    OpenApiParameter("audience", str), OpenApiParameter("kind", str), OpenApiParameter("theme", str),
    OpenApiParameter("q", str, description="words that must all occur in title, summary or tags"),
    OpenApiParameter("status", str, description="editors only: draft, published or archived"),
])
class ItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = KnowledgeItemSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Item.objects.none()
        user = self.request.user
        params = self.request.query_params
        filters = selectors.MapFilter.from_params(params)
        statuses = (ItemStatus.PUBLISHED,)
        if params.get("status") in ItemStatus.values:
            statuses = (params["status"],)
        qs = selectors.map_items(user=user, filters=filters, statuses=statuses).select_related("owner")
        if filters.q:
            keep = selectors.search_matches(qs, filters.q)
            qs = qs.filter(pk__in=keep)
        return qs

    def get_object(self):
        pk = self.kwargs["pk"]
        if not str(pk).isdigit():
            raise Http404
        return selectors.item_get(user=self.request.user, pk=int(pk))

    @extend_schema(request=KnowledgeItemInputSerializer, responses={201: KnowledgeItemSerializer})
    def create(self, request):
        data = KnowledgeItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = _call(services.item_create, region=request.user.region, actor=request.user, **data.validated_data)
        return Response(KnowledgeItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=KnowledgeItemInputSerializer, responses=KnowledgeItemSerializer)
    def partial_update(self, request, pk=None):
        item = self._editable(pk)
        data = KnowledgeItemInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        item = _call(services.item_update, item=item, actor=request.user, **data.validated_data)
        return Response(KnowledgeItemSerializer(item).data)

    @extend_schema(request=KnowledgeTransitionInputSerializer, responses=KnowledgeItemSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the item through the review flow: `{"to": "published"}`."""
        item = self._editable(pk)
        data = KnowledgeTransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = _call(services.item_transition, item=item, actor=request.user, to=data.validated_data["to"])
        return Response(KnowledgeItemSerializer(item).data)

    def _editable(self, pk) -> Item:
        """The item in the user's region, checked first (`policy.check`: 404 like a missing one for
        who may not change it, before the body is read); the service logs and decides the change."""
        item = Item.objects.filter(pk=pk if str(pk).isdigit() else 0, region_id=self.request.user.region_id).first()
        if item is None:
            raise Http404
        policy.check(self.request.user, "knowledge_item.change", item)
        return item


@extend_schema(parameters=[OpenApiParameter("item", int, description="relations from or to this item")])
class RelationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = KnowledgeRelationSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Relation.objects.none()
        user = self.request.user
        policy.authorize(user, "knowledge_map.view", None)
        visible = policy.scope(user, "knowledge_item.view", Item.objects.all())
        qs = Relation.objects.filter(source__in=visible, target__in=visible).order_by("id")
        item = self.request.query_params.get("item", "")
        if item.isdigit():
            qs = qs.filter(source_id=item) | qs.filter(target_id=item)
        return qs

    @extend_schema(request=KnowledgeRelationInputSerializer, responses={201: KnowledgeRelationSerializer})
    def create(self, request):
        data = KnowledgeRelationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region_id = request.user.region_id
        source = Item.objects.filter(pk=data.validated_data["source"], region_id=region_id).first()
        if source is None:
            raise Http404
        target = Item.objects.filter(pk=data.validated_data["target"], region_id=region_id).first()
        relation = _call(services.relation_add, source=source, target=target, kind=data.validated_data["kind"], actor=request.user)
        return Response(KnowledgeRelationSerializer(relation).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        relation = Relation.objects.filter(pk=pk if str(pk).isdigit() else 0, source__region_id=request.user.region_id).first()
        if relation is None:
            raise Http404
        services.relation_remove(relation=relation, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
