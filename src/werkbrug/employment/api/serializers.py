"""Output serializers and dedicated input serializers for the IPS actions. No rules here."""

from __future__ import annotations

from rest_framework import serializers

from ..models import (
    ContractType,
    EmployerContact,
    EmployerContactKind,
    IPSPhase,
    Job,
    JobEndReason,
    PhaseChange,
)


class PhaseChangeOut(serializers.ModelSerializer):
    class Meta:
        model = PhaseChange
        fields = ["id", "phase", "changed_on", "note", "recorded_by", "recorded_at"]


class PhaseChangeIn(serializers.Serializer):
    phase = serializers.ChoiceField(choices=IPSPhase.choices)
    changed_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class EmployerContactOut(serializers.ModelSerializer):
    class Meta:
        model = EmployerContact
        fields = ["id", "contacted_on", "employer_name", "kind", "note", "recorded_by", "recorded_at"]


class EmployerContactIn(serializers.Serializer):
    contacted_on = serializers.DateField()
    employer_name = serializers.CharField(max_length=200, allow_blank=True)
    kind = serializers.ChoiceField(choices=EmployerContactKind.choices)
    note = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")


class JobOut(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = ["id", "employer_name", "job_title", "start", "hours_per_week", "hourly_wage", "contract_type",
                  "competitive", "end", "end_reason", "end_note", "recorded_by", "recorded_at"]


class JobStartIn(serializers.Serializer):
    employer_name = serializers.CharField(max_length=200, allow_blank=True)
    job_title = serializers.CharField(max_length=200, allow_blank=True)
    start = serializers.DateField()
    # Strings too, so that the service gives the one clear message for hours ≤ 0 or > 60.
    hours_per_week = serializers.DecimalField(max_digits=6, decimal_places=2)
    hourly_wage = serializers.DecimalField(max_digits=8, decimal_places=2, required=False, allow_null=True, default=None)
    contract_type = serializers.ChoiceField(choices=ContractType.choices)
    competitive = serializers.BooleanField()


class JobEndIn(serializers.Serializer):
    end = serializers.DateField()
    reason = serializers.ChoiceField(choices=JobEndReason.choices)
    note = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class OutcomesOut(serializers.Serializer):
    ever_employed = serializers.BooleanField()
    days_to_first_job = serializers.IntegerField(allow_null=True)
    total_weeks_worked = serializers.DecimalField(max_digits=8, decimal_places=1)
    longest_job_weeks = serializers.DecimalField(max_digits=8, decimal_places=1)
    mean_hours_per_week = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    works_20_hours_or_more = serializers.BooleanField()
    total_hours = serializers.DecimalField(max_digits=10, decimal_places=1)
    total_wages = serializers.DecimalField(max_digits=12, decimal_places=2)
    wages_complete = serializers.BooleanField()


class IPSOut(serializers.Serializer):
    trajectory = serializers.IntegerField()
    phase = serializers.CharField(allow_null=True)
    phase_history = PhaseChangeOut(many=True)
    employer_contacts = EmployerContactOut(many=True)
    jobs = JobOut(many=True)
    outcomes = OutcomesOut()


class CaseloadRowOut(serializers.Serializer):
    trajectory = serializers.IntegerField()
    client_pseudonym = serializers.CharField()
    phase = serializers.CharField(allow_null=True)
    outcomes = OutcomesOut()


class CaseloadTotalsOut(serializers.Serializer):
    clients = serializers.IntegerField()
    ever_employed = serializers.IntegerField()
    ever_employed_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    median_days_to_first_job = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    mean_weeks_worked = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    mean_longest_job_weeks = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    mean_hours_per_week = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    works_20_hours_or_more = serializers.IntegerField()
    works_20_hours_or_more_share = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    total_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    total_wages = serializers.DecimalField(max_digits=14, decimal_places=2)


class CaseloadOut(serializers.Serializer):
    as_of = serializers.DateField()
    totals = CaseloadTotalsOut()
    clients = CaseloadRowOut(many=True)
