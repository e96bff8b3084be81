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
