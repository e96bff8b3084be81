"""Pages: caseload, trajectory, integrated intake, team and plan director.

Thin views. Every view that names a trajectory fetches it through `selectors.trajectory_get` with
the action it is about to do, before it reads any input (for every method): a missing and a
forbidden trajectory answer the same 404, with one access-log record. The service checks again;
within one request that second, identical check writes no second record.
"""

from __future__ import annotations

from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import werkbrug
from werkbrug.core import policy
from werkbrug.core.policy.trajectories import trajectory_categories
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import (
    ArchiveFilter,
    CaseloadFilter,
    CloseForm,
    HandOverForm,
    IntakeForm,
    ReopenForm,
    TeamMemberAddForm,
)
from .intake import SECTIONS
from .paging import page_of
from .workflow import trajectory_is_open

PAGE_SIZE = 25

# The caseload's plan column: the tag's modifier and text per plan state (dicts: the template
# looks keys up without the exceptions an index into a tuple costs).
PLAN_TAGS = {
    state: {"modifier": modifier, "label": label} for state, modifier, label in (
        ("agreed", "ok", gettext_lazy("Agreed")), ("awaiting", "warn", gettext_lazy("Waiting for agreement")),
        ("disagreed", "bad", gettext_lazy("Not agreed")), ("draft", "neutral", gettext_lazy("Draft")),
        ("none", "neutral", gettext_lazy("No plan yet")),
    )
}


@lru_cache(maxsize=4096)
def _short_date(value, language: str) -> str:
    """As the template filter `date:"j F Y"` shows it (in `language`, the active one); "" for None."""
    return date_format(value, "j F Y") if value else ""


@lru_cache(maxsize=1)
def _phase_label():
    """employment's `ips_phase_label` (value → translated name), or the bare value without that app."""
    try:
        from werkbrug.employment.selectors import ips_phase_label
    except ImportError:
        return lambda value: value or ""
    return ips_phase_label


@lru_cache(maxsize=16)
def _plan_tags(language: str) -> dict[str, dict[str, str]]:
    """PLAN_TAGS with the labels translated into `language` (the active one), kept per language."""
    return {state: {"modifier": tag["modifier"], "label": str(tag["label"])} for state, tag in PLAN_TAGS.items()}


def _choices_key(form: CaseloadFilter) -> str | None:
    """The key of the filter's choices fragment: the values its widgets show (a checkbox's as
    True/False, however it was sent), so the key is bounded and one key is one rendering."""
    names = [name for name in form.fields if name != "q"]
    if any(name in form.errors for name in names):
        return None
    return repr((werkbrug.__version__, [(name, form[name].value()) for name in names]))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The caseload: one access-log record, a constant number of queries per page."""
    values = {name: request.GET[name] for name in CaseloadFilter.base_fields if name in request.GET}
    form = CaseloadFilter(values or None)
    data = form.cleaned_data if form.is_valid() else {}
    trajectories = selectors.caseload_search(
        user=request.user, q=data.get("q", ""), role=data.get("role", ""),
        plan_state=data.get("plan_state", ""), sort=data.get("sort") or "name", i_direct=data.get("mine", False),
    )
    page = page_of(trajectories, request.GET.get("page"), PAGE_SIZE)
    you, me, language = _("You"), request.user.pk, get_language()
    plan_tags = _plan_tags(language)
    phase_label = _phase_label()
    rows = [{  # what the table shows, in the person's language
        "url": reverse("trajectories:detail", args=[t.pk]), "name": t.client.full_name,
        "pseudonym": t.client.pseudonym, "phase": phase_label(getattr(t, "ips_phase", None)) or "—",
        "due": _short_date(t.next_action_due, language) or "—",
        "signals": "—" if "open_signals" in t.hidden_columns else t.open_signals or 0,
        "plan_tag": plan_tags.get(t.plan_state),
        "director": you if t.plan_director_id == me else t.plan_director.get_full_name(),
        "started": _short_date(t.started_on, language),
    } for t in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "trajectories/index.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(),
        # The filter's choices (not the search text: often a client's name, never kept in the
        # shared cache) are a cached fragment per language, release and chosen values (ADR 0014);
        # rendered afresh when one of them has an error.
        "choices_key": _choices_key(form),
        "can_register": policy.can(request.user, "client.register", None),
    })


def _expert_suggestion(trajectory) -> str | None:
    try:
        from werkbrug.experience_experts.selectors import expert_suggestion
    except ImportError:
        return None
    try:
        return expert_suggestion(trajectory=trajectory)
    except Exception:  # noqa: BLE001 — another app's hint must never break the trajectory page
        return None


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_get(user=request.user, pk=pk)
    user = request.user
    members = list(selectors.team_members(trajectory=trajectory))
    is_active = trajectory_is_open(trajectory)
    return render(request, "trajectories/detail.html", {
        "trajectory": trajectory, "client": trajectory.client, "members": members,
        "history": selectors.plan_director_history(trajectory=trajectory),
        "events": selectors.trajectory_events(trajectory=trajectory),
        "intake": selectors.intake_for(trajectory=trajectory),
        "is_director": trajectory.plan_director_id == user.pk,
        "is_active": is_active,
        # A closed trajectory is archived: read-only, no write form is shown.
        "can_change_team": is_active and policy.can(user, "team.change", trajectory),
        "can_reopen": not is_active and policy.can(user, "trajectory.reopen", trajectory),
        "expert_suggestion": _expert_suggestion(trajectory) if is_active else None,
        "close_form": CloseForm(), "reopen_form": ReopenForm(),
    })


@login_required
def intake(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":  # the service logs each category it writes
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action="intake.change")
    else:
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="intake.view")
    current = selectors.intake_for(trajectory=trajectory)
    categories = trajectory_categories(request.user, trajectory)
    editable = request.user.is_professional and trajectory_is_open(trajectory)
    visible_fields = [name for s in SECTIONS if s.category in categories for name in s.fields] if editable else []
    form = IntakeForm(
        request.POST if request.method == "POST" else None, instance=current, visible_fields=visible_fields,
        initial={"expected_version": current.version if current else 0},
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in visible_fields}
        try:
            saved = services.intake_save(
                trajectory=trajectory, saved_by=request.user, data=data,
                expected_version=form.cleaned_data.get("expected_version"),
                complete="complete" in request.POST,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if saved.status == "complete":
                messages.success(request, _("The intake is saved and complete."))
            else:
                messages.success(request, _("The intake is saved as a draft. You can complete it later."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    sections = [
        {"section": s, "visible": s.category in categories, "fields": form.section_fields(s),
         "values": [(current._meta.get_field(n).verbose_name, getattr(current, n)) for n in s.fields] if current else []}
        for s in SECTIONS
    ]
    return render(request, "trajectories/intake.html", {
        "trajectory": trajectory, "client": trajectory.client, "intake": current, "form": form,
        "sections": sections, "editable": editable, "hidden_any": any(not s["visible"] for s in sections),
        "is_open": trajectory_is_open(trajectory),
    })


@login_required
def team_add(request: HttpRequest, pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="team.change")
    form = TeamMemberAddForm(request.POST if request.method == "POST" else None, candidates=selectors.team_candidates(trajectory=trajectory))
    if request.method == "POST":
        form.is_valid()
        try:
            person = selectors.team_candidate_get(trajectory=trajectory, pk=request.POST.get("person"))
            services.team_member_add(trajectory=trajectory, person=person, role=request.POST.get("role", ""),
                                     added_by=request.user)
        except ValidationError as exc:
            form.errors.clear()
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has joined the team.") % {"name": person.get_full_name()})
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/team_add.html", {"trajectory": trajectory, "client": trajectory.client, "form": form})


@login_required
@require_POST
def team_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="team.change")
    membership = selectors.team_membership_of(trajectory=trajectory, pk=member_pk)
    try:
        services.team_member_remove(membership=membership, removed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s has left the team.") % {"name": membership.person.get_full_name()})
    return redirect("trajectories:detail", pk=trajectory.pk)


@login_required
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    action = "trajectory.hand_over" if request.method == "POST" else "trajectory.view"
    trajectory = selectors.trajectory_get(user=request.user, pk=pk, action=action)
    members = [m for m in selectors.team_members(trajectory=trajectory) if m.person_id != trajectory.plan_director_id]
    form = HandOverForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST":
        form.is_valid()
        try:
            new = selectors.team_candidate_get(trajectory=trajectory, pk=request.POST.get("new_director"))
            services.plan_director_hand_over(trajectory=trajectory, new_director=new, handed_over_by=request.user,
                                             note=request.POST.get("note", "")[:300])
        except ValidationError as exc:
            exc = ValidationError({"new_director": exc.messages}) if not hasattr(exc, "error_dict") else exc
            if "person" in exc.error_dict:
                exc.error_dict["new_director"] = exc.error_dict.pop("person")
            form.errors.clear()
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s is now the plan director.") % {"name": new.get_full_name()})
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/hand_over.html", {
        "trajectory": trajectory, "client": trajectory.client, "form": form,
        "is_director": trajectory.plan_director_id == request.user.pk,
    })


@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the closing form; POST: close. Afterwards the file opens read-only from the archive."""
    action = "trajectory.close"
    if request.method == "POST":
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action=action)
    else:
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action=action)
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.trajectory_close(trajectory=trajectory, closed_by=request.user, reason=data["reason"],
                                      outcome=data["outcome"], note=data["note"], ended_on=data["ended_on"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The trajectory is closed. The former team finds it in the archive."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/close.html", {"trajectory": trajectory, "client": trajectory.client, "form": form})


@login_required
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        trajectory = selectors.trajectory_check(user=request.user, pk=pk, action="trajectory.reopen")
    else:
        trajectory = selectors.trajectory_get(user=request.user, pk=pk, action="trajectory.reopen")
    form = ReopenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.trajectory_reopen(trajectory=trajectory, reopened_by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The trajectory is reopened."))
            return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "trajectories/reopen.html", {"trajectory": trajectory, "client": trajectory.client, "form": form})


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """Closed trajectories of your former teams, searchable; each opens read-only."""
    form = ArchiveFilter(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = selectors.archive_search(user=request.user, q=data.get("q", ""), reason=data.get("reason", ""))
    page = page_of(found, request.GET.get("page"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "trajectories/archive.html", {"form": form, "page": page, "query": query.urlencode()})
