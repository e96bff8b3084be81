"""The directory lists (people, organisations) answer from plain rows: same shape, few queries.

The lean `list` must answer exactly what the declared serializer (the schema's shape, used by
`retrieve`) would: the tests compare every row with the serializer's output.
"""

from __future__ import annotations

import pytest
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator

from werkbrug.api.pagination import PageFirstPaginator
from werkbrug.core.api.serializers import OrganisationSerializer, PersonSerializer
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, User


@pytest.fixture
def directory(region, other_region, ggz, uwv, make_org, make_person):
    """People with no, one and several roles, one without organisation, one inactive, one elsewhere."""
    admin = make_person(ggz, Role.REGION_ADMIN, Role.PRIVACY_OFFICER, first_name="Ada", last_name="Beheer")
    make_person(ggz, Role.THERAPIST, Role.JOBCOACH, Role.AMBASSADOR, first_name="Bo", last_name="Veel", job_title="Therapeut")
    make_person(uwv, first_name="Cas", last_name="Geen", email="cas@example.org")
    make_person(uwv, Role.EDITOR, first_name="Eva", last_name="Redactie")
    loose = make_person(uwv, Role.MANAGER, first_name="", last_name="Zonderorg")
    User.objects.filter(pk=loose.pk).update(organisation=None)
    make_person(uwv, Role.JOBCOACH, first_name="Dirk", last_name="Weg", is_active=False)
    make_person(make_org(OrganisationType.UWV, "UWV elders", in_region=other_region), Role.JOBCOACH)
    make_org(OrganisationType.MUNICIPALITY, "Gemeente Test")
    return admin


def _serialized_people(region) -> list[dict]:
    people = (
        User.objects.filter(region=region, kind="professional", is_active=True)
        .prefetch_related("role_assignments").order_by("last_name", "first_name", "id")
    )
    return [dict(row) for row in PersonSerializer(people, many=True).data]


def test_people_list_matches_the_serializer_row_by_row(as_user, directory, region):
    body = as_user(directory).get("/api/v1/people/").json()
    expected = _serialized_people(region)
    assert body == {"count": len(expected), "next": None, "previous": None, "results": expected}
    by_name = {person["name"]: person for person in body["results"]}
    assert by_name["Bo Veel"]["roles"] == ["ambassador", "jobcoach", "therapist"]  # sorted
    assert by_name["Cas Geen"]["roles"] == [] and by_name["Cas Geen"]["email"] == "cas@example.org"
    assert by_name["Zonderorg"]["organisation"] is None  # name without first name: stripped
    assert "Dirk Weg" not in by_name  # inactive
    assert all(person["id"] in set(User.objects.filter(region=region).values_list("id", flat=True)) for person in body["results"])


def test_people_retrieve_keeps_the_same_shape(as_user, directory, region):
    listed = as_user(directory).get("/api/v1/people/").json()["results"]
    for person in listed:
        assert as_user(directory).get(f"/api/v1/people/{person['id']}/").json() == person


def test_people_list_pages(as_user, directory, region):
    c = as_user(directory)
    everyone = c.get("/api/v1/people/").json()["results"]
    first = c.get("/api/v1/people/?page_size=2").json()
    second = c.get("/api/v1/people/?page_size=2&page=2").json()
    last = c.get("/api/v1/people/?page_size=2&page=3").json()
    assert first["count"] == second["count"] == last["count"] == len(everyone) == 5
    assert first["previous"] is None and first["next"].endswith("page=2&page_size=2")
    assert last["next"] is None and last["previous"].endswith("page=2&page_size=2")
    assert first["results"] + second["results"] + last["results"] == everyone
    beyond = c.get("/api/v1/people/?page_size=2&page=4")
    assert beyond.status_code == 404 and beyond["Content-Type"].startswith("application/problem+json")
    assert c.get("/api/v1/people/?page=x").status_code == 404
    assert c.get("/api/v1/people/?page=last&page_size=2").json() == last


def test_people_list_is_one_query_for_a_page_that_is_not_full(as_user, directory, django_assert_max_num_queries):
    c = as_user(directory)
    c.get("/api/v1/people/")  # session and user loaded once
    with django_assert_max_num_queries(1 + _request_baseline(c)):
        body = c.get("/api/v1/people/").json()
    assert len(body["results"]) == 5 and body["count"] == 5


def test_people_list_queries_do_not_grow_with_the_number_of_people(as_user, directory, ggz, make_person,
                                                                    django_assert_max_num_queries):
    for n in range(60):
        make_person(ggz, Role.JOBCOACH, Role.THERAPIST, last_name=f"Extra{n:02}")
    c = as_user(directory)
    c.get("/api/v1/people/")
    with django_assert_max_num_queries(2 + _request_baseline(c)):  # a full page: count + rows
        body = c.get("/api/v1/people/").json()
    assert body["count"] == 65 and len(body["results"]) == 50
    assert all(sorted(p["roles"]) == p["roles"] for p in body["results"])


def _request_baseline(c) -> int:
    """Queries every signed-in API request makes before the view (session, user, roles …)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        c.get("/api/v1/regions/")
    return max(len(queries.captured_queries) - 1, 0)  # minus the region query itself


def test_organisations_list_matches_the_serializer(as_user, directory, region):
    body = as_user(directory).get("/api/v1/organisations/").json()
    expected = [dict(row) for row in OrganisationSerializer(
        Organisation.objects.filter(region=region).order_by("name"), many=True).data]
    assert body["results"] == expected and body["count"] == 3
    assert {org["name"] for org in body["results"]} == {"GGZ Test", "UWV Test", "Gemeente Test"}


def test_directory_lists_stay_refused_to_clients(as_user, client_user):
    c = as_user(client_user)
    assert c.get("/api/v1/people/").status_code == 403
    assert c.get("/api/v1/organisations/").status_code == 403


# The paginator on its own, against Django's.


@pytest.mark.parametrize("per_page", [1, 2, 3, 5, 7])
def test_page_first_paginator_answers_as_django(db, region, make_person, ggz, per_page):
    for n in range(5):
        make_person(ggz, last_name=f"P{n}")
    qs = User.objects.filter(region=region).order_by("last_name")
    for number in range(1, 8):
        ours, theirs = PageFirstPaginator(qs, per_page), Paginator(qs, per_page)
        try:
            expected = theirs.page(number)
        except Exception as exc:  # noqa: BLE001 — compare the exception too
            with pytest.raises(type(exc), match=str(exc)):
                ours.page(number)
            continue
        page = ours.page(number)
        assert list(page) == list(expected)
        assert ours.count == theirs.count and page.has_next() == expected.has_next()
        assert page.has_previous() == expected.has_previous()


def test_page_first_paginator_on_an_empty_list(db):
    empty = User.objects.none().order_by("id")
    page = PageFirstPaginator(empty, 10).page(1)
    assert list(page) == [] and page.paginator.count == 0 and not page.has_next()
    with pytest.raises(EmptyPage):
        PageFirstPaginator(empty, 10, allow_empty_first_page=False).page(1)
    with pytest.raises(PageNotAnInteger):
        PageFirstPaginator(empty, 10).page("x")
    with pytest.raises(EmptyPage):
        PageFirstPaginator(empty, 10).page(0)
