"""`/api/v1/notifications/`: the signed-in person's own notifications (the inbox page's services)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.decorators import api_view
from rest_framework.response import Response

from werkbrug.api.pagination import Pagination

from .. import selectors, services
from ..kinds import Kind
from .serializers import NotificationOut, ReadAllIn, ReadAllOut, UnreadOut


@extend_schema(
    parameters=[
        OpenApiParameter("kind", OpenApiTypes.STR, enum=Kind.values, description="Only this kind."),
        OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications."),
    ],
)
class NotificationList(generics.ListAPIView):
    """My notifications, newest first."""

    serializer_class = NotificationOut
    pagination_class = Pagination

    def get_queryset(self):
        kind = self.request.query_params.get("kind", "")
        return selectors.inbox(
            user=self.request.user, kind=kind if kind in Kind.values else "",
            unread=self.request.query_params.get("unread") in {"1", "true", "True"},
        )


notification_list = NotificationList.as_view()


@extend_schema(responses=UnreadOut)
@api_view(["GET"])
def unread_count(request):
    """How many of my notifications are unread."""
    return Response({"unread": selectors.unread_count(user=request.user)})


@extend_schema(request=None, responses=NotificationOut)
@api_view(["POST"])
def mark_read(request, pk: int):
    """Mark one of my notifications as read."""
    notification = selectors.notification_get(user=request.user, pk=pk, action="notification.change")
    return Response(NotificationOut(services.notification_mark_read(user=request.user, notification=notification)).data)


@extend_schema(request=ReadAllIn, responses=ReadAllOut)
@api_view(["POST"])
def mark_all_read(request):
    """Mark all my notifications (of one kind) as read."""
    data = ReadAllIn(data=request.data)
    data.is_valid(raise_exception=True)
    return Response({"marked": services.notifications_mark_all_read(user=request.user, kind=data.validated_data.get("kind", ""))})
