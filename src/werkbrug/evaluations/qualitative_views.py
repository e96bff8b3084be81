"""Pages for span coding, memos, code changes, co-occurrence and the REFI-QDA project.

Same shape as `views.py`: GETs authorise through `selectors.study_get` (access-logged); POSTs
check first (`selectors.study_check`, `policy.check` for a memo) before any input is parsed, and
the service they call logs the request once.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.web.forms import apply_validation_error

from . import qualitative, refiqda, selectors
from .models import Code, CodeChange, Memo, Passage
from .qualitative_forms import (
    DeleteForm,
    MemoForm,
    MergeForm,
    ProjectImportForm,
    RenameForm,
    SpanCodingForm,
)


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _code(study, pk: int) -> Code:
    code = Code.objects.filter(study=study, pk=pk).first()
    if code is None:
        raise Http404
    return code


@login_required
@require_POST
def coding_add(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    """Code a passage or a span of it (the interview page's forms post here)."""
    study = selectors.study_check(user=request.user, pk=pk)
    item = selectors.interview_fetch(study=study, pk=interview_pk)
    form = SpanCodingForm(request.POST, codes=selectors.codebook(study=study))
    anchor = ""
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a code and a level; positions are whole numbers."))
        passage = Passage.objects.filter(pk=form.cleaned_data["passage"], interview=item).first()
        code = study.codes.filter(pk=form.cleaned_data["code"]).first()
        if passage is None or code is None:
            raise Http404
        anchor = f"#passage-{passage.pk}"
        coding = qualitative.coding_span_add(
            passage=passage, code=code, level=form.cleaned_data["level"], coder=request.user,
            start=form.cleaned_data["start"], end=form.cleaned_data["end"], quote=form.cleaned_data["quote"],
        )
        if coding.is_span:
            messages.success(request, _("Code “%(code)s” added to a part of passage %(n)s.") % {"code": code.name, "n": passage.number})
        else:
            messages.success(request, _("Code “%(code)s” added to passage %(n)s.") % {"code": code.name, "n": passage.number})
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("evaluations:interview", kwargs={"pk": pk, "interview_pk": interview_pk}) + anchor)


@login_required
@require_POST
def passage_memo(request: HttpRequest, pk: int, interview_pk: int, passage_pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    item = selectors.interview_fetch(study=study, pk=interview_pk)
    passage = Passage.objects.filter(pk=passage_pk, interview=item).first()
    if passage is None:
        raise Http404
    form = MemoForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the memo."))
        qualitative.memo_add(study=study, author=request.user, text=form.cleaned_data["text"], passage=passage)
        messages.success(request, _("Memo saved."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(reverse("evaluations:interview", kwargs={"pk": pk, "interview_pk": interview_pk}) + f"#passage-{passage.pk}")


@login_required
@require_POST
def memo_change(request: HttpRequest, pk: int, memo_pk: int) -> HttpResponse:
    """Change or delete your own memo (`action=delete`)."""
    memo = Memo.objects.select_related("study", "passage__interview").filter(study_id=pk, pk=memo_pk).first()
    if memo is None:
        raise Http404
    policy.check(request.user, "memo.change", memo)
    back = (reverse("evaluations:code", kwargs={"pk": pk, "code_pk": memo.code_id}) if memo.code_id else
            reverse("evaluations:interview", kwargs={"pk": pk, "interview_pk": memo.passage.interview_id}) + f"#passage-{memo.passage_id}")
    try:
        if request.POST.get("action") == "delete":
            qualitative.memo_delete(memo=memo, deleted_by=request.user)
            messages.success(request, _("Memo deleted."))
        else:
            form = MemoForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Write the memo."))
            qualitative.memo_update(memo=memo, text=form.cleaned_data["text"], changed_by=request.user)
            messages.success(request, _("Memo saved."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect(back)


@login_required
def code(request: HttpRequest, pk: int, code_pk: int) -> HttpResponse:
    """One code: its memos and history; rename, merge, delete, add a memo."""
    forms = {"rename": RenameForm(prefix="r"), "memo": MemoForm(prefix="m"), "delete": DeleteForm(prefix="d")}
    status = 200
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        item = _code(study, code_pk)
        tree = selectors.codebook(study=study)
        action = request.POST.get("action")
        merge = MergeForm(request.POST if action == "merge" else None, codes=tree, exclude=item.pk, prefix="g")
        form = None
        try:
            if action == "rename":
                form = forms["rename"] = RenameForm(request.POST, prefix="r")
                if form.is_valid():
                    qualitative.code_rename(code=item, renamed_by=request.user, **form.cleaned_data)
                    messages.success(request, _("Code renamed."))
                    return redirect("evaluations:code", pk=pk, code_pk=item.pk)
            elif action == "merge":
                form = merge
                if form.is_valid():
                    into = _code(study, form.cleaned_data["into"])
                    qualitative.code_merge(code=item, into=into, merged_by=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Code “%(a)s” merged into “%(b)s”.") % {"a": item.name, "b": into.name})
                    return redirect("evaluations:code", pk=pk, code_pk=into.pk)
            elif action == "delete":
                form = forms["delete"] = DeleteForm(request.POST, prefix="d")
                if form.is_valid():
                    qualitative.code_delete(code=item, deleted_by=request.user, **form.cleaned_data)
                    messages.success(request, _("Code “%(a)s” deleted.") % {"a": item.name})
                    return redirect("evaluations:codes", pk=pk)
            elif action == "memo":
                form = forms["memo"] = MemoForm(request.POST, prefix="m")
                if form.is_valid():
                    qualitative.memo_add(study=study, author=request.user, text=form.cleaned_data["text"], code=item)
                    messages.success(request, _("Memo saved."))
                    return redirect("evaluations:code", pk=pk, code_pk=item.pk)
            else:
                raise Http404
        except ValidationError as exc:
            apply_validation_error(form, exc)
        status = 400
        item.refresh_from_db()
    else:
        study = selectors.study_get(user=request.user, pk=pk)
        item = _code(study, code_pk)
        tree = selectors.codebook(study=study)
        merge = MergeForm(codes=tree, exclude=item.pk, prefix="g")
    return render(request, "evaluations/code.html", {
        "study": study, "code": item, "merge_form": merge, **{f"{k}_form": v for k, v in forms.items()},
        "memos": item.memos.select_related("author").order_by("created_at", "pk"),
        "history": CodeChange.objects.filter(study=study, code_guid=item.guid).select_related("changed_by")
        | CodeChange.objects.filter(study=study, into=item).select_related("changed_by"),
        "codings": item.codings.count(),
    }, status=status)


@login_required
def code_changes(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk)
    return render(request, "evaluations/code_changes.html", {"study": study, "changes": qualitative.code_history(study=study)})


@login_required
def co_occurrence(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk)
    return render(request, "evaluations/co_occurrence.html", {"study": study, "table": qualitative.co_occurrence(study=study)})


def project_response(study) -> HttpResponse:
    """The study's REFI-QDA project; the page and the API both answer with this."""
    response = HttpResponse(refiqda.project_export(study=study), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="study-{study.pk}.qdpx"'
    return response


@login_required
def project_export(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk, action="study.export")
    return project_response(study)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    """Export the study as a REFI-QDA project, or import one into it."""
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        form = ProjectImportForm(request.POST, request.FILES)
        try:
            if form.is_valid():
                counts = refiqda.project_import(
                    study=study, data=form.cleaned_data["file"].read(refiqda.MAX_UPLOAD + 1), imported_by=request.user,
                    respondent_role=form.cleaned_data["respondent_role"], level=form.cleaned_data["level"],
                )
                messages.success(request, _("Imported: %(sources)s interviews, %(codings)s codings, %(memos)s memos "
                                            "(%(skipped)s selections skipped).") % counts)
                return redirect("evaluations:interviews", pk=pk)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        status = 400
    else:
        study = selectors.study_get(user=request.user, pk=pk)
        form, status = ProjectImportForm(), 200
    return render(request, "evaluations/project.html", {"study": study, "form": form}, status=status)
