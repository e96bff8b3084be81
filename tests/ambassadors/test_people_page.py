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


def test_ending_an_appointment_moves_open_questions_and_stops_new_ones(setting, as_user, make_person):
    from werkbrug.ambassadors import services
    from werkbrug.ambassadors.models import Question, Topic

    b = ambassador_appoint(person=setting.second, appointed_by=setting.admin, position=1)
    topic = Topic.objects.create(region=setting.org.region, name="Regels")
    asker = make_person(setting.org, Role.JOBCOACH)
    text = "Hoe werkt de inkomstenverrekening bij een WIA-uitkering als iemand parttime gaat werken?"
    question = services.question_ask(asked_by=asker, organisation=setting.org, topic=topic, text=text)
    assert question.assignee == setting.a
    web = as_user(setting.admin)
    response = web.post(URL, {"step_down": setting.a.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Anna Eerst is geen ambassadeur meer" in response.content.decode()
    setting.a.refresh_from_db()
    question.refresh_from_db()
    assert not setting.a.active and question.assignee == b
    later = services.question_ask(asked_by=asker, organisation=setting.org, topic=topic, text=text + " En nu?")
    assert later.assignee == b
    # Twice: a clear message, nothing changes.
    response = web.post(URL, {"step_down": setting.a.pk}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Deze ambassadeur is al gestopt." in response.content.decode()
    assert Question.objects.filter(assignee=setting.a).count() == 0
    # The person can be appointed again.
    assert f'<option value="{setting.first.pk}"' in web.get(URL).content.decode()


def test_only_a_region_administrator_ends_an_appointment(setting, as_user):
    response = as_user(setting.first).post(URL, {"step_down": setting.a.pk})
    assert response.status_code == 404  # refused about a named ambassador: looks missing
    setting.a.refresh_from_db()
    assert setting.a.active


def test_the_api_ends_an_appointment(setting, client):
    client.force_login(setting.first)
    assert client.delete(f"/api/v1/ambassadors/ambassadors/{setting.a.pk}/").status_code == 404
    client.force_login(setting.admin)
    assert client.delete("/api/v1/ambassadors/ambassadors/987654/").status_code == 404
    assert client.delete(f"/api/v1/ambassadors/ambassadors/{setting.a.pk}/").status_code == 204
    setting.a.refresh_from_db()
    assert not setting.a.active
    again = client.delete(f"/api/v1/ambassadors/ambassadors/{setting.a.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert again.status_code == 400 and again["Content-Type"].startswith("application/problem+json")
