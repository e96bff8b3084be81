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
        fields = [render_to_string("web/includes/field.html", {"form": form, "field": field})
                  for field in form.visible_fields()]
    assert len(fields) == 5 and all(field.strip() and field in html for field in fields)
    # In the form's order: the search text first, then the choices.
    assert sorted(fields, key=html.index) == fields
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
def test_the_filter_choices_are_rendered_once_per_language_and_values(team, as_user):
    """The filter's choices are a cached fragment (ADR 0014), kept per language and chosen values:
    the same choices in the same language are not rendered again, any other choice is; a choice
    with an error is rendered each time; the search text is never part of the fragment (it is
    often a client's name) and is shown as typed."""
    from django.core.cache import cache

    cache.clear()
    web = as_user(team.jobcoach)

    def renders_choices(query: str, language: str = "nl") -> bool:
        response = web.get(f"/trajectories/?{query}", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        return "trajectories/includes/filter_choices.html" in [t.name for t in response.templates]

    assert renders_choices("") is True
    assert renders_choices("") is False
    assert renders_choices("page=2") is False  # not one of the form's values
    assert renders_choices("", "en") is True
    assert renders_choices("", "en") is False
    assert renders_choices("sort=-started") is True
    assert renders_choices("sort=-started") is False
    assert renders_choices("q=Jansen") is True  # a search: bound, with no choice made
    assert renders_choices("q=Pietersen") is False  # the search text is not part of the fragment
    assert renders_choices("q=" + "x" * 101) is False  # nor its error
    assert renders_choices("q=Jansen&sort=-started") is False  # the choices of "sort=-started"
    # However a checkbox is sent, the key holds what it shows (no key per typed value).
    assert renders_choices("mine=on") is True
    assert renders_choices("mine=" + "x" * 500) is False
    assert renders_choices("mine=0") is False  # Django's checkbox shows "0" as checked, too
    assert renders_choices("mine=false") is False  # unticked: the choices of "q=Jansen" above
    assert renders_choices("sort=bad") is True  # an error: rendered each time
    assert renders_choices("sort=bad") is True
    for name in ("Jansen", "Pietersen"):
        html = web.get(f"/trajectories/?q={name}&sort=-started").content.decode()
        assert f'value="{name}"' in html
        other = {"Jansen": "Pietersen", "Pietersen": "Jansen"}[name]
        assert f'value="{other}"' not in html
    assert not any("Jansen" in str(value) for value in cache._cache.values())
