"""The IPS phase's shown name, as the caseload table shows it."""

from __future__ import annotations

from django.utils import translation

from werkbrug.employment.models import IPSPhase
from werkbrug.employment.selectors import ips_phase_label


def test_every_phase_shows_its_name_in_the_active_language():
    for phase in IPSPhase:
        with translation.override("en"):
            assert ips_phase_label(phase.value) == str(phase.label)
    with translation.override("nl"):
        assert ips_phase_label("job_search") == "Zoeken naar werk"
    with translation.override("en"):
        assert ips_phase_label("job_search") == "Job search"


def test_no_phase_or_an_unknown_one_shows_nothing():
    assert ips_phase_label(None) == ""
    assert ips_phase_label("") == ""
    assert ips_phase_label("retired") == ""
