"""The caseload's filter form: rendered by Django's own widgets, filtering with its cleaned data."""

from __future__ import annotations

import pytest
from django.utils import translation

from werkbrug.trajectories.forms import CaseloadFilter


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "",
        "page=2",
        "role=jobcoach&sort=-started&mine=on",
        "sort=bad&plan_state=agreed",
        "q=Jansen",
        "q=" + "x" * 101,
    ],
)
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_caseload_shows_the_filters_as_the_form_renders_them(team, as_user, query, language):
    from django.http import QueryDict
    from django.template.loader import render_to_string

    web = as_user(team.jobcoach)
    html = web.get(f"/trajectories/?{query}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    with translation.override(language):
        data = QueryDict(query).dict()
        data.pop("page", None)
        form = CaseloadFilter(data or None)
        form.is_valid()
        expected = render_to_string("web/includes/form.html", {"form": form})
    assert expected.strip() and expected in html
    assert ('type="search"' in html) and (
        ("Sorteren op" if language == "nl" else "Sort by") in html
    )


@pytest.mark.django_db
def test_the_caseload_filters_by_role_and_plan_director(team, as_user):
    from werkbrug.core.choices import Role

    web = as_user(team.labour_expert)  # in the team, not the plan director
    name = team.client.full_name
    for query, shown in (
        ("", True),
        ("mine=on", False),
        (f"role={Role.LABOUR_EXPERT.value}", True),
        (f"role={Role.THERAPIST.value}", False),
        ("sort=-started&mine=on", False),
    ):
        html = web.get(f"/trajectories/?{query}").content.decode()
        assert (name in html) is shown, query


@pytest.mark.django_db
def test_the_kept_plan_and_phase_names_follow_the_language(team, as_user):
    """The caseload keeps its plan tags and phase names per language: each page shows its own."""
    from werkbrug.employment.services import phase_change
    from werkbrug.trajectories import views

    phase_change(trajectory=team.trajectory, phase="job_search", changed_by=team.jobcoach)
    web = as_user(team.jobcoach)
    for language, phase in (
        ("nl", "Zoeken naar werk"),
        ("en", "Job search"),
        ("nl", "Zoeken naar werk"),
    ):
        html = web.get("/trajectories/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            tags = {str(tag["label"]) for tag in views.PLAN_TAGS.values()}
        assert f"<td>{phase}</td>" in html, language
        assert any(f">{label}</span>" in html for label in tags), language


@pytest.mark.django_db
def test_the_filter_form_is_rendered_once_per_language_and_values(team, as_user):
    """The filter form's HTML is a cached fragment (ADR 0014), kept per language and filter values:
    the same filters in the same language are not rendered again, any other choice is, and a
    form with a search text or with errors is rendered each time and never kept."""
    from django.core.cache import cache

    cache.clear()
    web = as_user(team.jobcoach)

    def renders_form(query: str, language: str = "nl") -> bool:
        response = web.get(f"/trajectories/?{query}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return "web/includes/form.html" in [t.name for t in response.templates]

    assert renders_form("") is True
    assert renders_form("") is False
    assert renders_form("page=2") is False  # not one of the form's values
    assert renders_form("", "en") is True
    assert renders_form("", "en") is False
    assert renders_form("sort=-started") is True
    assert renders_form("sort=-started") is False
    # A search text is often a client's name: it is never kept in the shared cache.
    assert renders_form("q=Jansen") is True
    assert renders_form("q=Jansen") is True
    # As the browser sends the form: an empty search text is no text.
    assert renders_form("q=&role=&plan_state=&sort=-started") is True
    assert renders_form("q=&role=&plan_state=&sort=-started") is False
    too_long = "q=" + "x" * 101
    assert renders_form(too_long) is True
    assert renders_form(too_long) is True
