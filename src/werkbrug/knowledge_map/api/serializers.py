from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers

from ..models import Item, Relation
from ..review import review_state


class KnowledgeItemSerializer(serializers.ModelSerializer):
    audience = serializers.ListField(source="audience_list", child=serializers.CharField())
    tags = serializers.ListField(source="tag_list", child=serializers.CharField())
    owner = serializers.SerializerMethodField()
    review_state = serializers.SerializerMethodField()

    class Meta:
        model = Item
        fields = [
            "id", "key", "kind", "title", "summary", "links", "audience", "theme", "scope", "tags",
            "owner", "review_on", "review_state", "status", "source_type", "source_id", "updated_at",
        ]

    def get_owner(self, obj: Item) -> str:
        return obj.owner.username if obj.owner_id else ""

    def get_review_state(self, obj: Item) -> str:
        return review_state(obj.review_on, timezone.localdate())


class KnowledgeLinkSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    label = serializers.CharField(max_length=120, required=False, allow_blank=True)


class KnowledgeItemInputSerializer(serializers.Serializer):
    """Input for create (all required fields) and change (any subset). Rules live in the service."""

    key = serializers.CharField(max_length=80, required=False)
    kind = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=160, required=False)
    summary = serializers.CharField(required=False)
    links = KnowledgeLinkSerializer(many=True, required=False)
    audience = serializers.ListField(child=serializers.CharField(max_length=20), required=False)
    theme = serializers.CharField(max_length=20, required=False)
    scope = serializers.CharField(max_length=10, required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    review_on = serializers.DateField(required=False, allow_null=True)


class KnowledgeTransitionInputSerializer(serializers.Serializer):
    to = serializers.CharField(max_length=12)


class KnowledgeRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Relation
        fields = ["id", "source", "target", "kind", "created_at"]


class KnowledgeRelationInputSerializer(serializers.Serializer):
    source = serializers.IntegerField()
    target = serializers.IntegerField()
    kind = serializers.CharField(max_length=12)
