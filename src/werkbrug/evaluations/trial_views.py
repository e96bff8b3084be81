"""Pages of the trial's lifecycle, screening log, allocation log, unblinding and imports.

Check first: each view fetches and authorises its study before it parses the form (POST) or
reads it (GET); the services ask the lifecycle (`workflow.study_require`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import User

from . import allocation_log, selectors, services, workflow
from .trial_forms import (
    AmendmentForm,
    CloseForm,
    ImportForm,
    PersonForm,
    ScreeningForm,
    UnblindForm,
)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def trial_context(study, user) -> dict:
    """What the study page shows of the trial (its lifecycle actions, trail and screening form)."""
    return {
        "can": {action: workflow.study_allows(study, action) for action in (
            workflow.StudyAction.START, workflow.StudyAction.DELETE, workflow.StudyAction.CLOSE,
            workflow.StudyAction.AMEND, workflow.StudyAction.PARTICIPANTS, workflow.StudyAction.TEAM,
        )},
        "events": study.events.select_related("actor"),
        "screening_form": ScreeningForm(candidates=_candidates(study)),
        "amendment_form": AmendmentForm(),
        "close_form": CloseForm(),
        "auditor_form": PersonForm(people=_auditor_candidates(study)),
        "auditors": study.auditors.all(),
    }


def _candidates(study) -> list[str]:
    return list(selectors.screening_candidates(study=study).order_by("pseudonym").values_list("pseudonym", flat=True)[:500])


def _auditor_candidates(study):
    return (User.objects.filter(region_id=study.region_id, is_active=True, role_assignments__role=Role.RESEARCHER)
            .exclude(pk__in=study.researchers.values("pk")).exclude(pk__in=study.auditors.values("pk"))
            .distinct().order_by("last_name", "first_name"))


@login_required
@require_POST
def lifecycle(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    action = request.POST.get("action")
    try:
        if action == "start":
            services.study_start(study=study, started_by=request.user)
            messages.success(request, _("The study has started: the protocol is locked."))
        elif action == "close":
            form = CloseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("The reason is too long."))
            services.study_close(study=study, closed_by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The study is closed."))
        elif action == "delete":
            services.study_delete(study=study, deleted_by=request.user)
            messages.success(request, _("The draft study has been deleted."))
            return redirect("evaluations:index")
        elif action == "amend":
            form = AmendmentForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            services.study_amend(study=study, amended_by=request.user, reason=form.cleaned_data["reason"],
                                 effective_on=form.cleaned_data["effective_on"], changes=form.changes())
            messages.success(request, _("The amendment has been recorded."))
        else:
            raise ValidationError(_("Choose an action."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("evaluations:study", pk=pk)


@login_required
@require_POST
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    form = ScreeningForm(request.POST, candidates=_candidates(study))
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        data = form.cleaned_data
        client = selectors.screening_candidates(study=study).filter(pseudonym=data["client"]).first() if data["client"] else None
        services.screening_record(study=study, outcome=data["outcome"], reason=data["reason"],
                                  screened_on=data["screened_on"], client=client, screened_by=request.user)
        messages.success(request, _("The assessment has been recorded."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("evaluations:study", pk=pk)


@login_required
@require_POST
def auditor_add(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    people = _auditor_candidates(study)
    form = PersonForm(request.POST, people=people)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a researcher."))
        services.study_auditor_add(study=study, person=people.get(pk=form.cleaned_data["person"]), added_by=request.user)
        messages.success(request, _("The auditor has been added."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("evaluations:study", pk=pk)


@login_required
def allocations(request: HttpRequest, pk: int) -> HttpResponse:
    """The allocation log (team and auditors); `?format=csv` downloads it (logged as an export)."""
    csv = request.GET.get("format") == "csv"
    study = selectors.study_get(user=request.user, pk=pk, action="study.allocations.export" if csv else "study.allocations")
    rows = allocation_log.allocation_log(study=study, user=request.user)
    if csv:
        response = StreamingHttpResponse(allocation_log.csv_rows(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="allocation-log-{study.pk}.csv"'
        return response
    return render(request, "evaluations/allocations.html", {
        "study": study, "rows": rows, "sequence_visible": allocation_log.sequence_visible(user=request.user, study=study),
        "can_unblind": policy.can(request.user, "study.unblind", study) and study.unblinded_at is None
        and workflow.study_allows(study, workflow.StudyAction.UNBLIND),
        "unblind_form": UnblindForm(),
    })


@login_required
@require_POST
def unblind(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk, action="study.unblind")
    form = UnblindForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for unblinding."))
        services.study_unblind(study=study, unblinded_by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The allocation sequence has been unblinded."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("evaluations:allocations", pk=pk)


@login_required
def data_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Import allocations, jobs or answers: a dry run first, then the same file stored."""
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
    else:
        study = selectors.study_get(user=request.user, pk=pk)
    questionnaires = list(study.questionnaires.all())
    form = ImportForm(request.POST or None, request.FILES or None, questionnaires=questionnaires)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            questionnaire = next((q for q in questionnaires if str(q.pk) == data["questionnaire"]), None)
            upload = data["file"]
            try:
                result = services.study_import(
                    study=study, kind=data["kind"], data=upload.read(), imported_by=request.user,
                    dry_run=not data["store"], filename=upload.name or "", questionnaire=questionnaire,
                )
            except ValidationError as exc:
                _fail(request, exc)
                status = 400
            else:
                if not result.ok:
                    status = 400
                elif result.event is not None:
                    messages.success(request, _("%(n)s lines imported.") % {"n": result.rows})
                    return redirect("evaluations:study", pk=pk)
        else:
            status = 400
    return render(request, "evaluations/import.html", {"study": study, "form": form, "result": result}, status=status)
