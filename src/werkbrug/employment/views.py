"""Pages for IPS phases, employer contacts, jobs and outcomes. Thin: parse, call, render.

Every form page fetches its trajectory (or job) through a selector that authorizes the write
action, before it reads any input, for every method (one access-log record; the service's own
check of the same action writes no second one).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.trajectories.workflow import trajectory_is_open
from werkbrug.web.charts import Series, bar_chart
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import EmployerContactForm, JobEndForm, JobStartForm, PhaseForm
from .models import IPSPhase


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """IPS outcome measures for the user's caseload."""
    rows, totals = selectors.caseload_outcomes_for(user=request.user)
    labels = [str(label) for _v, label in IPSPhase.choices]
    counts = {value: 0 for value in IPSPhase.values}
    for _t, phase, _o in rows:
        if phase:
            counts[phase] += 1
    chart = bar_chart(
        title=_("Clients per IPS phase"), labels=labels, series=[Series(_("Clients"), [counts[v] for v in IPSPhase.values])],
        description=_("Number of clients in your caseload per IPS phase; the same figures are in the table below."),
    )
    phase_rows = [(label, counts[value]) for value, label in IPSPhase.choices]
    rows = [(t, IPSPhase(phase).label if phase else "", o) for t, phase, o in rows]
    return render(request, "employment/index.html", {
        "rows": rows, "totals": totals, "chart": chart, "phase_rows": phase_rows, "as_of": timezone.localdate(),
    })


@login_required
def ips(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk)
    return render(request, "employment/ips.html", {
        "trajectory": trajectory,
        "current": selectors.current_phase(trajectory=trajectory),
        "history": selectors.phase_history(trajectory=trajectory),
        "contacts": selectors.employer_contacts(trajectory=trajectory),
        "jobs": selectors.jobs(trajectory=trajectory),
        "outcomes": selectors.client_outcomes_for(trajectory=trajectory),
        # A closed trajectory is archived: read-only, no write form is shown.
        "may_change": not request.user.is_client and trajectory_is_open(trajectory),
    })


def _form_page(request: HttpRequest, trajectory_pk: int, action: str, form_class, save, template: str, title: str,
               initial=None):
    trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action=action)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(trajectory, form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("employment:ips", trajectory_pk=trajectory.pk)
    else:
        form = form_class(initial=initial or {})
    return render(request, template, {"trajectory": trajectory, "form": form, "title": title})


@login_required
def phase_change(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    return _form_page(
        request, trajectory_pk, "ips_phase.change", PhaseForm,
        lambda t, d: services.phase_change(trajectory=t, changed_by=request.user, phase=d["phase"],
                                           changed_on=d["changed_on"], note=d["note"]),
        "employment/form.html", _("Change the IPS phase"), {"changed_on": timezone.localdate()},
    )


@login_required
def employer_contact_create(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    return _form_page(
        request, trajectory_pk, "employer_contact.create", EmployerContactForm,
        lambda t, d: services.employer_contact_record(trajectory=t, recorded_by=request.user, **d),
        "employment/form.html", _("Record an employer contact"), {"contacted_on": timezone.localdate()},
    )


@login_required
def job_start(request: HttpRequest, trajectory_pk: int) -> HttpResponse:
    return _form_page(
        request, trajectory_pk, "job.start", JobStartForm,
        lambda t, d: services.job_start(trajectory=t, recorded_by=request.user, **d),
        "employment/form.html", _("Record a job start"), {"competitive": True},
    )


@login_required
def job_end(request: HttpRequest, trajectory_pk: int, pk: int) -> HttpResponse:
    job = selectors.job_get(user=request.user, pk=pk, trajectory_pk=trajectory_pk, action="job.end")
    if request.method == "POST":
        form = JobEndForm(request.POST)
        if form.is_valid():
            try:
                services.job_end(job=job, ended_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("employment:ips", trajectory_pk=trajectory_pk)
    else:
        form = JobEndForm(initial={"end": timezone.localdate()})
    return render(request, "employment/form.html", {
        "trajectory": job.trajectory, "form": form, "job": job,
        "title": _("Record the end of a job"),
    })
