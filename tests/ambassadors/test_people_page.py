"""The ambassadors page: a region administrator appoints ambassadors, and stand-ins are chosen there."""

from __future__ import annotations

import pytest

from werkbrug.ambassadors.models import Ambassador
from werkbrug.ambassadors.services import ambassador_appoint
from werkbrug.core.choices import OrganisationType, Role

pytestmark = pytest.mark.django_db

URL = "/ambassadors/people/"


@pytest.fixture
def setting(region, make_org, make_person):
    from types import SimpleNamespace

    org = make_org(OrganisationType.MUNICIPALITY, "Gemeente Hier")
    admin = make_person(org, Role.REGION_ADMIN, first_name="Ria", last_name="Beheer")
    first = make_person(org, Role.AMBASSADOR, first_name="Anna", last_name="Eerst")
    second = make_person(org, Role.AMBASSADOR, first_name="Bram", last_name="Tweede")
    jobcoach = make_person(org, Role.JOBCOACH, first_name="Joop", last_name="Coach")
    a = ambassador_appoint(person=first, appointed_by=admin)
    return SimpleNamespace(org=org, admin=admin, first=first, second=second, jobcoach=jobcoach, a=a)


def test_a_region_administrator_appoints_an_ambassador(setting, as_user):
    web = as_user(setting.admin)
    page = web.get(URL).content.decode()
    assert "Bram Tweede" in page and 'name="appoint"' in page
    response = web.post(URL, {"appoint": "1", "person": setting.second.pk, "position": "2"})
    assert response.status_code == 302
    appointed = Ambassador.objects.get(person=setting.second)
    assert (appointed.active, appointed.position, appointed.organisation_id) == (True, 2, setting.org.pk)
    # Appointed people are no longer offered.
    assert f'value="{setting.second.pk}"' not in web.get(URL).content.decode().split('name="appoint"')[0].split("<h2>")[-1]


def test_only_people_with_the_role_are_offered_and_others_refused(setting, as_user):
    web = as_user(setting.admin)
    page = web.get(URL).content.decode()
    assert "Joop Coach" not in page
    response = web.post(URL, {"appoint": "1", "person": setting.jobcoach.pk, "position": "0"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Ambassador.objects.filter(person=setting.jobcoach).exists()
    response = web.post(URL, {"appoint": "1", "person": setting.second.pk, "position": "-1"})
    assert response.status_code == 200 and not Ambassador.objects.filter(person=setting.second).exists()


def test_someone_who_is_not_a_region_administrator_cannot_appoint(setting, as_user):
    web = as_user(setting.first)  # an ambassador
    assert 'name="appoint"' not in web.get(URL).content.decode()
    response = web.post(URL, {"appoint": "1", "person": setting.second.pk, "position": "0"})
    assert response.status_code == 403
    assert not Ambassador.objects.filter(person=setting.second).exists()


def test_stand_ins_are_chosen_on_the_page(setting, as_user):
    b = ambassador_appoint(person=setting.second, appointed_by=setting.admin, position=1)
    web = as_user(setting.first)
    page = web.get(URL).content.decode()
    assert f'id="standin-{setting.a.pk}-{b.pk}"' in page
    response = web.post(URL, {"set_stand_ins": setting.a.pk, "stand_ins": [b.pk]}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert list(setting.a.stand_ins.all()) == [b]
    assert "De vervangers zijn opgeslagen." in response.content.decode()
    web.post(URL, {"set_stand_ins": setting.a.pk})  # none ticked: none left
    assert not setting.a.stand_ins.exists()


def test_a_stand_in_of_another_organisation_is_refused_and_nothing_changes(setting, as_user, make_org, make_person):
    other_org = make_org(OrganisationType.GGZ, "GGZ Elders")
    outsider = ambassador_appoint(person=make_person(other_org, Role.AMBASSADOR), appointed_by=setting.admin)
    web = as_user(setting.admin)
    response = web.post(URL, {"set_stand_ins": setting.a.pk, "stand_ins": [outsider.pk]}, follow=True,
                        HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert "Een vervanger moet een andere ambassadeur van dezelfde organisatie zijn." in response.content.decode()
    assert not setting.a.stand_ins.exists()


def test_stand_ins_refused_for_a_jobcoach_and_unknown_ambassadors_not_found(setting, as_user):
    web = as_user(setting.jobcoach)
    assert web.post(URL, {"set_stand_ins": setting.a.pk}).status_code in (403, 404)
    assert as_user(setting.admin).post(URL, {"set_stand_ins": "x"}).status_code == 404
    assert as_user(setting.admin).post(URL, {"set_stand_ins": 987654}).status_code == 404
