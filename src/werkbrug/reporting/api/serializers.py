from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Figure


class ReportTargetOut(serializers.Serializer):
    figure = serializers.ChoiceField(choices=Figure.choices)
    label = serializers.CharField()
    value = serializers.DecimalField(max_digits=9, decimal_places=1, allow_null=True)


class ReportTargetIn(serializers.Serializer):
    figure = serializers.ChoiceField(choices=Figure.choices)
    value = serializers.DecimalField(max_digits=9, decimal_places=1, min_value=0, max_value=9_999_999,
                                     allow_null=True, help_text="null removes the target")


@extend_schema_field({"oneOf": [{"type": "integer"}, {"type": "string", "enum": ["<5", "x"]}]})
class ShownCount(serializers.Field):
    """A count as it may be shown: a number, "<5" (1 to 4) or "x" (hidden so that a small number
    cannot be worked out from the total)."""

    def to_representation(self, value):
        return value


class FigureRowOut(serializers.Serializer):
    figure = serializers.ChoiceField(choices=Figure.choices)
    label = serializers.CharField()
    value = serializers.CharField(source="shown", help_text="As shown: Dutch number format, or a marker")
    previous = serializers.CharField(help_text="The previous period's value, as shown")
    difference = serializers.CharField(allow_blank=True)
    target = serializers.CharField(allow_blank=True)
    target_met = serializers.BooleanField(allow_null=True)


class MonthRowOut(serializers.Serializer):
    month = serializers.DateField(help_text="The first day of the month")
    running = ShownCount()
    started = ShownCount()
    active = ShownCount()
    employed = ShownCount()
    job_starts = ShownCount()


class OrganisationDrillDownOut(serializers.Serializer):
    organisation_id = serializers.IntegerField()
    organisation = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureRowOut(many=True)
    months = MonthRowOut(many=True)


class OrganisationRowOut(serializers.Serializer):
    organisation_id = serializers.IntegerField(allow_null=True)
    organisation = serializers.CharField()
    running = ShownCount()
    started = ShownCount()
    active = ShownCount()
    employed = ShownCount()


class MonthDrillDownOut(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    figures = FigureRowOut(many=True)
    organisations = OrganisationRowOut(many=True)
