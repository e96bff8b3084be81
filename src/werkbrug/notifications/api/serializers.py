from rest_framework import serializers

from werkbrug.core.links import local_datetime

from ..kinds import Kind
from ..models import Notification


class NotificationOut(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    created_display = serializers.SerializerMethodField(help_text="The time in Europe/Amsterdam, as people read it.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "link", "urgent", "created_at", "created_display", "read_at", "done_at"]

    def get_created_display(self, obj: Notification) -> str:
        return local_datetime(obj.created_at)


class UnreadOut(serializers.Serializer):
    unread = serializers.IntegerField()


class ReadAllIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)


class ReadAllOut(serializers.Serializer):
    marked = serializers.IntegerField()
