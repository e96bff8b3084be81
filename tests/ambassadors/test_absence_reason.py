"""An absence's reason ("sick") is not for the whole region: others see only "away" and the dates.

Reproduced on main: every professional of the region read "Ziek" on the ambassadors page and
through the API. The rule is `ambassador_absence.view_reason` in core/policy/ambassadors.py.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import AbsenceReason

pytestmark = pytest.mark.django_db
API = "/api/v1/ambassadors/"


@pytest.fixture
def bert_sick(net):
    today = timezone.localdate()
    return services.absence_add(ambassador=net.amb["bert"], starts_on=today, ends_on=today + timedelta(days=3),
                                reason=AbsenceReason.SICK, recorded_by=net.people["bert"])


@pytest.mark.parametrize(("who", "sees"), [
    ("bert", True),      # the person
    ("anna", True),      # an ambassador of the same organisation (covers for him)
    ("manager", True),   # a manager of the same organisation
    ("admin", True),     # the region administrator
    ("asker", False),    # a professional of the region
    ("gina", False),     # an ambassador of another organisation
])
def test_the_reason_only_for_the_person_colleagues_managers_and_admins(client, net, bert_sick, who, sees):
    person = net.people.get(who) or getattr(net, who)
    client.force_login(person)
    page = client.get(reverse("ambassadors:people")).content.decode()
    assert ("(Ziek)" in page or "(Sick)" in page) is sees  # the reason select of the form is not it
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(person)
    rows = api.get(f"{API}ambassadors/{net.amb['bert'].pk}/absences/").json()
    assert rows[0]["starts_on"] == bert_sick.starts_on.isoformat()
    assert (rows[0]["reason"] == AbsenceReason.SICK) is sees
    if not sees:
        assert rows[0]["reason"] is None
