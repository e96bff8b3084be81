"""Forms for the plan pages. They parse input only; the rules are in services.py."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from .models import ActionStatus
from .services import CLIENT_OWNER, ActionInput, GoalInput


class PlanMetaForm(forms.Form):
    based_on = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # The plan's revision the editor started from (see services.plan_save): without it a save
    # could revert a change (an action's status) the editor has not seen.
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    note = forms.CharField(label=_("What did you change?"), required=False, max_length=300,
                           help_text=_("A short note for the team and the client."))
    submit = forms.BooleanField(label=_("Ask everyone to agree to this version now"), required=False, initial=True)


class GoalForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Goal"), max_length=200)
    description = forms.CharField(label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ActionForm(forms.Form):
    key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    goal = forms.TypedChoiceField(label=_("For goal"), coerce=int)
    title = forms.CharField(label=_("Action"), max_length=200)
    owner = forms.ChoiceField(label=_("Who does it"))
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.OPEN)

    def __init__(self, *args, goal_choices=(), owner_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].choices = goal_choices
        self.fields["owner"].choices = owner_choices
        # A blank extra row posts the first option of each list; with these as initial values it
        # counts as unchanged, so Django skips it instead of asking to fill it in.
        self.fields["goal"].initial = 0
        self.fields["owner"].initial = CLIENT_OWNER


GoalFormSet = formset_factory(GoalForm, extra=1, can_delete=True)
ActionFormSet = formset_factory(ActionForm, extra=2, can_delete=True)


def owner_choices(trajectory, members) -> list[tuple[str, str]]:
    return [(CLIENT_OWNER, _("%(name)s (the client)") % {"name": trajectory.client.full_name})] + [
        (str(m.person_id), f"{m.person.get_full_name()} ({m.organisation})") for m in members
    ]


def goal_choices(goal_formset_data_titles: list[str]) -> list[tuple[int, str]]:
    return [(i, f"{i + 1}. {title or _('(new goal)')}") for i, title in enumerate(goal_formset_data_titles)]


def initial_from(content: list[dict]) -> tuple[list[dict], list[dict]]:
    goals, actions = [], []
    for gi, item in enumerate(content):
        g = item["goal"]
        goals.append({"key": g.key, "title": g.title, "description": g.description})
        for a in item["actions"]:
            actions.append({
                "key": a.key, "goal": gi, "title": a.title, "due_on": a.due_on, "status": a.status,
                "owner": CLIENT_OWNER if a.owner_is_client else str(a.owner_id),
            })
    return goals, actions


def to_input(goal_formset, action_formset) -> tuple[list[GoalInput], list[str]]:
    """Service input from valid formsets; errors for actions pointing at a removed goal."""
    by_index: dict[int, GoalInput] = {}
    for i, form in enumerate(goal_formset.forms):
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        by_index[i] = GoalInput(key=data.get("key"), title=data["title"], description=data.get("description", ""), actions=[])
    problems = []
    for form in action_formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        goal = by_index.get(data["goal"])
        if goal is None:
            problems.append(str(_("The action “%(action)s” belongs to a goal that is removed or empty. Choose another goal.")
                                % {"action": data["title"]}))
            continue
        goal.actions.append(ActionInput(key=data.get("key"), title=data["title"], owner=data["owner"],
                                        due_on=data["due_on"], status=data["status"]))
    return list(by_index.values()), problems


class AnswerForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    for_client = forms.BooleanField(widget=forms.HiddenInput, required=False)
    comment = forms.CharField(label=_("Why do you not agree?"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=2000)


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


def content_from_version(content: list[dict], client_name: str) -> list[dict]:
    """A saved version's goals and actions (`selectors.version_content`) for display next to an input."""
    return [{
        "title": item["goal"].title, "description": item["goal"].description,
        "actions": [{
            "title": a.title, "due_on": a.due_on, "status": a.get_status_display(),
            "owner": client_name if a.owner_is_client else (a.owner.get_full_name() if a.owner else ""),
        } for a in item["actions"]],
    } for item in content]


def content_from_input(goals: list[GoalInput], owners: list[tuple[str, str]]) -> list[dict]:
    """The editor's unsaved goals and actions (service input) in the same shape."""
    names = dict(owners)
    return [{
        "title": g.title, "description": g.description,
        "actions": [{
            "title": a.title, "due_on": a.due_on, "status": ActionStatus(a.status).label if a.status in ActionStatus.values else a.status,
            "owner": names.get(str(a.owner), str(a.owner)),
        } for a in sorted(g.actions or [], key=lambda a: a.due_on)],
    } for g in goals]
