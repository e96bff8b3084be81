import pytest

from werkbrug.collaboration.models import Referral, ReferralState, Signal, SignalRecipient
from werkbrug.employment.models import EmployerContact, IPSPhase, Job, PhaseChange
from werkbrug.employment.selectors import caseload_annotations
from werkbrug.trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def test_demo_has_signals_referrals_and_ips_data_in_every_state(demo_region):
    trajectories = Trajectory.objects.filter(region=demo_region)
    assert trajectories.count() >= 50
    phases = set(trajectories.annotate(**caseload_annotations()).values_list("ips_phase", flat=True))
    assert set(IPSPhase.values) <= phases
    assert PhaseChange.objects.count() > trajectories.count()  # a history, not one row each
    assert EmployerContact.objects.exists()
    assert Job.objects.filter(competitive=True).exists() and Job.objects.filter(competitive=False).exists()
    assert Job.objects.filter(end__isnull=False).exists() and Job.objects.filter(end__isnull=True).exists()
    assert Signal.objects.filter(escalated_at__isnull=False).exists()
    open_urgent = Signal.objects.filter(urgency="urgent", escalated_at__isnull=True).exclude(
        recipients__acknowledged_at__isnull=False)
    assert open_urgent.exists()
    assert SignalRecipient.objects.filter(acknowledged_at__isnull=False).exists()
    assert set(Referral.objects.values_list("state", flat=True)) == set(ReferralState.values)
    assert set(Referral.objects.exclude(outcome="").values_list("outcome", flat=True)) == {"successful", "not_successful"}
