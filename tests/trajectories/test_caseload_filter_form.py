"""The caseload's filter widgets render in Python exactly as Django's widget templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from werkbrug.trajectories.forms import CaseloadFilter


def _django_rendered(form: forms.Form) -> dict[str, str]:
    out = {}
    for name, field in form.fields.items():
        quick = field.widget
        if name == "q":
            widget = forms.TextInput(attrs={"type": "search", **quick.attrs})
        elif name == "mine":
            widget = forms.CheckboxInput(attrs=quick.attrs)
        else:
            widget = forms.Select(attrs=quick.attrs, choices=quick.choices)
        field.widget = widget
        out[name] = str(form[name])
        field.widget = quick
    return out


@pytest.mark.parametrize("data", [
    None,
    {"q": 'de "Vries" & <Jansen> \'s', "role": "jobcoach", "plan_state": "agreed", "mine": "on", "sort": "-started"},
    {"q": "x" * 101, "role": "nonsense", "sort": "signals"},
])
def test_quick_widgets_render_as_django_does(data):
    with translation.override("nl"):
        form = CaseloadFilter(data)
        form.is_valid()
        quick = {name: str(form[name]) for name in form.fields}
        assert quick == _django_rendered(form)


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "page=2", "role=jobcoach&sort=-started&mine=on", "sort=bad&plan_state=agreed",
                                   "q=Jansen", "q=" + "x" * 101])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_caseload_shows_the_filters_as_the_form_renders_them(team, as_user, query, language):
    """The page keeps the filters' HTML per setting and language: it must be what the form renders."""
    from django.http import QueryDict
    from django.template.loader import render_to_string

    from werkbrug.trajectories import views

    views._filters.cache_clear()
    web = as_user(team.jobcoach)
    for _ in range(2):  # rendered, then kept
        html = web.get(f"/trajectories/?{query}", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            data = QueryDict(query).dict()
            data.pop("page", None)
            form = CaseloadFilter(data or None)
            form.is_valid()
            expected = render_to_string("web/includes/form.html", {"form": form})
        assert expected.strip() and expected in html
    kept = views._filters.cache_info().currsize
    # A search by name is rendered each time, never kept (no client's name stays in memory).
    assert kept == (0 if "q=" in query else 1)


def test_a_kept_filter_setting_is_not_shared_between_languages():
    from werkbrug.trajectories import views

    views._filters.cache_clear()
    with translation.override("nl"):
        dutch, _ = views._filters((), "nl")
    with translation.override("en"):
        english, _ = views._filters((), "en")
    assert "Sorteren op" in dutch and "Sort by" in english


def test_a_kept_filter_setting_keeps_the_forms_cleaned_data():
    """The page filters with the cleaned data kept beside the HTML: it must be the form's own."""
    from werkbrug.trajectories import views

    views._filters.cache_clear()
    for values in ((), (("role", "jobcoach"), ("mine", "on"), ("sort", "-started")), (("sort", "bad"),)):
        for _ in range(2):  # made, then kept
            with translation.override("nl"):
                _, items = views._filters(values, "nl")
            form = CaseloadFilter(dict(values) or None)
            assert dict(items) == (form.cleaned_data if form.is_valid() else {})
    assert views._filters.cache_info().hits == 3


@pytest.mark.django_db
def test_the_caseload_filters_the_same_from_a_kept_setting(team, as_user):
    """The second request of a setting filters with the kept cleaned data: the same rows."""
    from werkbrug.core.choices import Role
    from werkbrug.trajectories import views

    views._filters.cache_clear()
    web = as_user(team.labour_expert)  # in the team, not the plan director
    name = team.client.full_name
    for query, shown in (("", True), ("mine=on", False), (f"role={Role.LABOUR_EXPERT.value}", True),
                         (f"role={Role.THERAPIST.value}", False), ("sort=-started&mine=on", False)):
        for _ in range(2):  # made, then kept
            html = web.get(f"/trajectories/?{query}").content.decode()
            assert (name in html) is shown, query


@pytest.mark.django_db
def test_the_kept_plan_and_phase_names_follow_the_language(team, as_user):
    """The caseload keeps its plan tags and phase names per language: each page shows its own."""
    from werkbrug.employment.services import phase_change
    from werkbrug.trajectories import views

    phase_change(trajectory=team.trajectory, phase="job_search", changed_by=team.jobcoach)
    web = as_user(team.jobcoach)
    for language, phase in (("nl", "Zoeken naar werk"), ("en", "Job search"), ("nl", "Zoeken naar werk")):
        html = web.get("/trajectories/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        with translation.override(language):
            tags = {str(tag["label"]) for tag in views.PLAN_TAGS.values()}
        assert f"<td>{phase}</td>" in html, language
        assert any(f">{label}</span>" in html for label in tags), language
