"""Taking back an ambassador's absence: on the ambassadors page and through the API, under the policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import Absence, Ambassador
from werkbrug.core.choices import OrganisationType, Role

from .test_api import API, api, assert_problem

pytestmark = pytest.mark.django_db


def _absence(net, name="anna", days=5):
    today = timezone.localdate()
    return services.absence_add(ambassador=net.amb[name], starts_on=today + timedelta(days=1),
                                ends_on=today + timedelta(days=days), recorded_by=net.admin)


def test_service_follows_the_absence_rule(net):
    absence = _absence(net)
    for outsider in (net.asker, net.people["gina"]):  # a jobcoach; an ambassador of another organisation
        with pytest.raises(PermissionDenied):
            services.absence_remove(absence=absence, removed_by=outsider)
    assert Absence.objects.filter(pk=absence.pk).exists()
    services.absence_remove(absence=absence, removed_by=net.people["bert"])  # a colleague covers for Anna
    assert not Absence.objects.exists()


def test_removing_the_absence_routes_new_questions_to_the_ambassador_again(net, ask):
    today = timezone.localdate()
    absence = services.absence_add(ambassador=net.amb["anna"], starts_on=today, ends_on=today + timedelta(days=3),
                                   recorded_by=net.admin)
    assert ask().assignee != net.amb["anna"]
    services.absence_remove(absence=absence, removed_by=net.people["anna"])
    assert ask().assignee == net.amb["anna"]


def test_page_has_a_remove_button_for_who_may_record(client, net):
    kept, removed = _absence(net, days=2), _absence(net, "bert")
    page = reverse("ambassadors:people")
    client.force_login(net.people["cor"])
    html = client.get(page).content.decode()
    assert f'name="remove_absence" value="{removed.pk}"' in html
    response = client.post(page, {"remove_absence": str(removed.pk)}, follow=True)
    assert response.status_code == 200
    assert list(Absence.objects.values_list("pk", flat=True)) == [kept.pk]
    assert "De afwezigheid is verwijderd." in [str(m) for m in response.context["messages"]]
    client.force_login(net.asker)
    html = client.get(page).content.decode()
    assert "remove_absence" not in html
    assert client.post(page, {"remove_absence": str(kept.pk)}).status_code == 404  # refused: looks missing
    assert client.post(page, {"remove_absence": "x"}).status_code == 404
    assert Absence.objects.filter(pk=kept.pk).exists()


def test_api_delete(net, other_region, make_org, make_person):
    absence = _absence(net)
    url = f"{API}/absences/{absence.pk}/"
    assert_problem(api(net.asker).delete(url), 404)
    org = make_org(OrganisationType.UWV, "UWV Elders", in_region=other_region)
    other_ambassador = Ambassador.objects.create(person=make_person(org, Role.AMBASSADOR, first_name="Els"), organisation=org)
    foreign = Absence.objects.create(ambassador=other_ambassador, starts_on=absence.starts_on, ends_on=absence.ends_on,
                                     recorded_by=other_ambassador.person)
    assert_problem(api(net.admin).delete(f"{API}/absences/{foreign.pk}/"), 404)
    assert Absence.objects.count() == 2
    assert api(net.people["anna"]).delete(url).status_code == 204
    assert list(Absence.objects.values_list("pk", flat=True)) == [foreign.pk]
    assert_problem(api(net.people["anna"]).delete(url), 404)
    assert Ambassador.objects.filter(pk=net.amb["anna"].pk).exists()
