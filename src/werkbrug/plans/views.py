"""Plan pages for professionals: the plan (list and timeline), edit, answer, versions, diff.

Thin: parse, call one selector or service, render. Every view fetches the trajectory through
`selectors.plan_get` with the action it is about to do, before it reads any input (one
access-log record; the service's own check of the same action writes no second one).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.numbers import parse_int
from werkbrug.trajectories.models import TeamMembership
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .diff import version_diff
from .document import plan_pdf
from .forms import (
    ActionFormSet,
    ActionStatusForm,
    AnswerForm,
    GoalFormSet,
    PlanMetaForm,
    goal_choices,
    initial_from,
    owner_choices,
    to_input,
)
from .models import ActionStatus


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Plans are reached through a trajectory; the caseload lists them."""
    try:
        return redirect("trajectories:index")
    except NoReverseMatch:  # the caseload page is another module's
        return redirect("web:home")


def my_participant(overview, user):
    for p in overview.participants:
        if (p.is_client and user.is_client and p.person_id == user.pk) or (not p.is_client and p.person_id == user.pk):
            return p
    return None


def plan_context(request: HttpRequest, trajectory, *, answer_form: AnswerForm | None = None) -> dict:
    overview = selectors.plan_overview(trajectory=trajectory)
    me = my_participant(overview, request.user)
    version = overview.version
    can_answer = bool(version and version.submitted_at and me and me.answer is None)
    can_edit = not request.user.is_client and policy.can(request.user, "plan.change", trajectory)
    client_answered = any(p.answer for p in overview.participants if p.is_client)
    return {
        "trajectory": trajectory,
        "overview": overview,
        "me": me,
        "is_plan_director": trajectory.plan_director_id == request.user.pk,
        "can_edit": can_edit,
        "can_record_client": bool(version and version.submitted_at and not client_answered
                                  and policy.can(request.user, "plan.agree_for_client", trajectory)),
        "can_answer": can_answer,
        "answer_form": answer_form or AnswerForm(initial={"version": version.number if version else 0}),
        "timeline": sorted((a for item in overview.content for a in item["actions"]), key=lambda a: (a.due_on, a.pk)),
        "status_choices": ActionStatus.choices,
        "can_print": bool(version) and policy.can(request.user, "plan.print", trajectory),
    }


@login_required
def plan(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    return render(request, "plans/plan.html", plan_context(request, trajectory))


def _answer(request: HttpRequest, trajectory_pk: int, kind: str, *, template: str, after: str, context_fn) -> HttpResponse:
    """Agree or disagree; shared with the portal, which renders its own page."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action=f"plan.{kind}")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise Http404
    version = selectors.version_get(trajectory=trajectory, number=form.cleaned_data["version"])
    for_client = form.cleaned_data["for_client"]
    try:
        if kind == "agree":
            services.plan_agree(plan_version=version, person=request.user, for_client=for_client)
        else:
            services.plan_disagree(plan_version=version, person=request.user, comment=form.cleaned_data["comment"],
                                   for_client=for_client)
        if for_client and not request.user.is_client:
            messages.success(request, _("The client's answer to version %(n)s is saved.") % {"n": version.number})
        elif kind == "agree":
            messages.success(request, _("Thank you: you agree to version %(n)s of the plan.") % {"n": version.number})
        else:
            messages.success(request, _("Your answer is saved: you do not agree. The team will talk with you about it."))
    except ValidationError as exc:
        # Authorized (and logged) above; render without asking again.
        apply_validation_error(form, exc)
        return render(request, template, context_fn(request, trajectory, answer_form=form), status=400)
    return redirect(after)


@login_required
@require_POST
def agree(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    return _answer(request, trajectory_pk, "agree", template="plans/plan.html",
                   after=reverse("plans:plan", kwargs={"trajectory_pk": trajectory_pk}), context_fn=plan_context)


@login_required
@require_POST
def disagree(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    return _answer(request, trajectory_pk, "disagree", template="plans/plan.html",
                   after=reverse("plans:plan", kwargs={"trajectory_pk": trajectory_pk}), context_fn=plan_context)


@login_required
@require_POST
def submit(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.submit")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        raise Http404
    version = selectors.version_get(trajectory=trajectory, number=form.cleaned_data["version"])
    try:
        services.plan_submit(plan_version=version, actor=request.user)
        messages.success(request, _("Everyone has been asked to agree to version %(n)s.") % {"n": version.number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:plan", trajectory_pk=trajectory.pk)


@login_required
@require_POST
def action_status(request: HttpRequest, trajectory_pk: int, action_pk: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.action_status")
    action = selectors.action_of(trajectory=trajectory, pk=action_pk)
    form = ActionStatusForm(request.POST)
    if action is None or not form.is_valid():
        raise Http404
    try:
        services.action_status_set(action=action, actor=request.user, status=form.cleaned_data["status"])
        messages.success(request, _("The status of “%(action)s” is saved.") % {"action": action.title})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("plans:plan", trajectory_pk=trajectory.pk)


def _members(trajectory):
    return list(TeamMembership.objects.filter(trajectory=trajectory, left_at__isnull=True)
                .select_related("person", "organisation").order_by("joined_at"))


def _formsets(trajectory, data=None, initial_goals=None, initial_actions=None):
    goals = GoalFormSet(data, prefix="goals", initial=initial_goals)
    if data is not None:
        titles = []
        total = parse_int(data.get("goals-TOTAL_FORMS"), minimum=0) or 0
        for i in range(min(total, 100)):
            titles.append(data.get(f"goals-{i}-title", ""))
    else:
        titles = [g["title"] for g in (initial_goals or [])] + [""] * goals.extra
    actions = ActionFormSet(
        data, prefix="actions", initial=initial_actions,
        form_kwargs={"goal_choices": goal_choices(titles), "owner_choices": owner_choices(trajectory, _members(trajectory))},
    )
    return goals, actions


@login_required
def edit(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    conflict = None
    if request.method != "POST":
        trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.edit")
        current = selectors.current_plan(trajectory=trajectory)
        initial_goals, initial_actions = initial_from(selectors.version_content(current))
        meta = PlanMetaForm(initial={"based_on": current.number if current else 0,
                                     "revision": selectors.plan_revision(trajectory=trajectory)})
        goals, actions = _formsets(trajectory, initial_goals=initial_goals, initial_actions=initial_actions)
        return render(request, "plans/edit.html", {"trajectory": trajectory, "meta": meta, "goals": goals,
                                                   "actions": actions, "current": current})
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.change")
    meta = PlanMetaForm(request.POST)
    goals, actions = _formsets(trajectory, data=request.POST)
    valid = meta.is_valid() & goals.is_valid() & actions.is_valid()
    problems: list[str] = []
    if valid:
        goal_input, problems = to_input(goals, actions)
    if not valid or problems:
        for problem in problems:
            meta.add_error(None, problem)
    else:
        try:
            version = services.plan_save(
                trajectory=trajectory, actor=request.user, based_on=meta.cleaned_data["based_on"],
                revision=meta.cleaned_data["revision"],
                goals=goal_input, note=meta.cleaned_data["note"], submit=meta.cleaned_data["submit"],
            )
        except services.PlanConflict as exc:
            # Nothing was saved. Show the plan as saved now (with the other person's change) next to
            # this editor's unsaved input; only now that the page has shown it is the form based on
            # the newest version and revision, so saving again is a conscious choice.
            from .forms import content_from_input, content_from_version

            base = selectors.version_get(trajectory=trajectory, number=exc.based_on) if exc.based_on else None
            newest = selectors.version_get(trajectory=trajectory, number=exc.current) if exc.current else None
            conflict = {
                "message": exc.messages[0], "newest": newest,
                "changes": version_diff(base, newest) if newest is not None and exc.based_on != exc.current else [],
                "saved": content_from_version(selectors.version_content(newest), trajectory.client.full_name),
                "mine": content_from_input(goal_input, owner_choices(trajectory, _members(trajectory))),
            }
            data = request.POST.copy()
            data["based_on"] = str(exc.current)
            data["revision"] = str(exc.revision)
            meta = PlanMetaForm(data)
            meta.is_valid()
            goals, actions = _formsets(trajectory, data=data)
            goals.is_valid()
            actions.is_valid()
        except ValidationError as exc:
            apply_validation_error(meta, exc)
        else:
            if version.submitted_at:
                messages.success(request, _("Version %(n)s is saved. Everyone is asked to agree to it.") % {"n": version.number})
            else:
                messages.success(request, _("Version %(n)s is saved as a draft.") % {"n": version.number})
            return redirect("plans:plan", trajectory_pk=trajectory.pk)
    return render(request, "plans/edit.html", {"trajectory": trajectory, "meta": meta, "goals": goals,
                                               "actions": actions, "conflict": conflict,
                                               "current": selectors.current_plan(trajectory=trajectory)},
                  status=409 if conflict else 400)


@login_required
def versions(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    return render(request, "plans/versions.html", {"trajectory": trajectory, "versions": selectors.versions(trajectory=trajectory),
                                                   "base": "plans"})


@login_required
def version(request: HttpRequest, trajectory_pk: int, number: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    v = selectors.version_get(trajectory=trajectory, number=number)
    overview = selectors.plan_overview(trajectory=trajectory, version=v)
    return render(request, "plans/version.html", {"trajectory": trajectory, "overview": overview, "version": v})


def diff_context(trajectory, params) -> dict:
    all_versions = list(selectors.versions(trajectory=trajectory))
    if not all_versions:
        raise Http404
    numbers = [v.number for v in all_versions]

    def number(name, default):
        try:
            value = int(params.get(name, default))
        except (TypeError, ValueError):
            value = default
        return value if value in numbers else default

    new_n = number("to", numbers[0])
    old_n = number("from", max(new_n - 1, 0) if new_n - 1 in numbers else numbers[-1])
    by_number = {v.number: v for v in all_versions}
    old, new = by_number.get(old_n), by_number[new_n]
    return {"trajectory": trajectory, "old": old, "new": new, "versions": all_versions,
            "changes": version_diff(old if old_n != new_n else None, new) if old_n != new_n else []}


@login_required
def diff(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk)
    return render(request, "plans/diff.html", {**diff_context(trajectory, request.GET), "base": "plans"})


@login_required
def pdf(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    """The plan as a PDF: the version everyone agreed to, else the current one (marked as such)."""
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.print")
    version = selectors.agreed_or_current(trajectory=trajectory)
    if version is None:
        raise Http404
    return plan_pdf(request, trajectory=trajectory, version=version)


@login_required
def version_pdf(request: HttpRequest, trajectory_pk: int, number: int) -> HttpResponse:
    trajectory = selectors.plan_get(user=request.user, trajectory_pk=trajectory_pk, action="plan.print")
    return plan_pdf(request, trajectory=trajectory, version=selectors.version_get(trajectory=trajectory, number=number))
