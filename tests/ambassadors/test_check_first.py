"""Check first in the ambassador API: the action is authorized before the body is read, so someone
who may not act gets the refusal, never a validation error (reproduced on main: 400s)."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
API = "/api/v1/ambassadors"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize(("method", "path"), [
    ("put", "settings/"),  # region administrators only
    ("post", "ambassadors/"),  # appointing: region administrators only
    ("post", "proposals/"),  # ambassadors only
    ("post", "groups/merge/"),  # ambassadors only
    ("post", "topics/"),  # ambassadors and region administrators
])
def test_someone_not_allowed_gets_the_refusal_not_a_validation_error(net, method, path):
    response = getattr(_api(net.asker), method)(f"{API}/{path}", {"bad": "body"}, format="json")
    assert response.status_code in (403, 404), response.content


def test_stand_ins_topic_and_transition_are_checked_before_the_body(net):
    from werkbrug.ambassadors.models import Topic

    topic = Topic.objects.filter(region=net.region).first()
    assert _api(net.asker).patch(f"{API}/topics/{topic.pk}/", {"active": "x"}, format="json").status_code == 404
    response = _api(net.people["gina"]).put(f"{API}/ambassadors/{net.amb['anna'].pk}/stand-ins/", {"stand_ins": "x"},
                                            format="json")
    assert response.status_code == 404, response.content
