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
