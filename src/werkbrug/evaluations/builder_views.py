"""Pages of the questionnaire builder: edit, delete and move a question, the preview, versions and
the REDCap data dictionary (download and import).

Thin like `views.py`: a POST checks the study first (`selectors.study_check`, the service logs
once), a GET reads it with `selectors.study_get`. Whether questions may still change is decided
by `builder.lock_error` only; the pages show its message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.web.forms import apply_validation_error

from . import builder, redcap, selectors, services
from .forms import DictionaryImportForm, QuestionForm
from .models import Question, QuestionType

CLOSED_TYPES = (QuestionType.GRADE, QuestionType.LIKERT, QuestionType.SINGLE, QuestionType.MULTIPLE)


def respondent_rows(questions: list[Question], values: dict[str, Any], errors: dict[str, list[str]]) -> list[dict]:
    """The questions as the respondent sees them (the answer form and the preview alike)."""
    by_id = {q.pk: q for q in questions}
    rows = []
    for q in questions:
        value = values.get(q.code, [] if q.type == QuestionType.MULTIPLE else "")
        condition = by_id.get(q.show_if_question_id) if q.show_if_question_id else None
        condition_label = ""
        if condition is not None:
            condition_label = dict((str(v), label) for v, label in condition.options()).get(q.show_if_value, q.show_if_value)
        rows.append({
            "q": q, "options": q.options(), "errors": errors.get(f"q_{q.code}", []),
            "value": [str(v) for v in value] if isinstance(value, list) else str(value or ""),
            "fieldset": q.type in CLOSED_TYPES, "condition": condition, "condition_label": condition_label,
            "min": builder.dutch(q.min_value) if q.min_value is not None else "",
            "max": builder.dutch(q.max_value) if q.max_value is not None else "",
        })
    return rows


def _questionnaire(request: HttpRequest, pk: int, questionnaire_pk: int):
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
    else:
        study = selectors.study_get(user=request.user, pk=pk, action="study.change")
    return study, selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)


def _back(pk: int, questionnaire_pk: int):
    return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=questionnaire_pk)


@login_required
def question_edit(request: HttpRequest, pk: int, questionnaire_pk: int, question_pk: int) -> HttpResponse:
    study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    question = selectors.question_fetch(questionnaire=questionnaire, pk=question_pk)
    earlier = [q for q in questionnaire.questions.all() if (q.order, q.pk) < (question.order, question.pk)]
    form = QuestionForm(request.POST or None, questions=earlier, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, changed_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The question has been changed."))
            return _back(pk, questionnaire_pk)
    return render(request, "evaluations/question_form.html", {
        "study": study, "questionnaire": questionnaire, "question": question, "form": form,
        "locked": builder.lock_error(questionnaire),
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, questionnaire_pk: int, question_pk: int) -> HttpResponse:
    _study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    question = selectors.question_fetch(questionnaire=questionnaire, pk=question_pk)
    try:
        services.question_delete(question=question, deleted_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The question has been deleted."))
    return _back(pk, questionnaire_pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, questionnaire_pk: int, question_pk: int) -> HttpResponse:
    _study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    question = selectors.question_fetch(questionnaire=questionnaire, pk=question_pk)
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        raise Http404
    ids = list(questionnaire.questions.order_by("order", "id").values_list("pk", flat=True))
    index = ids.index(question.pk)
    other = index + step
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    try:
        services.questions_reorder(questionnaire=questionnaire, question_ids=ids, changed_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _back(pk, questionnaire_pk)


@login_required
def questionnaire_preview(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """The questionnaire as the respondent sees it; nothing can be sent from here."""
    study = selectors.study_get(user=request.user, pk=pk)
    questionnaire = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
    return render(request, "evaluations/respond.html", {
        "questionnaire": questionnaire, "study": study, "preview": True, "is_open": True, "answered": False,
        "rows": respondent_rows(list(questionnaire.questions.select_related("show_if_question")), {}, {}),
        "errors": [], "has_errors": False,
    })


@login_required
@require_POST
def questionnaire_version(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """Make a new version (a draft copy of the questions) to change an answered questionnaire."""
    _study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    try:
        copy = services.questionnaire_version_create(questionnaire=questionnaire, created_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(pk, questionnaire_pk)
    messages.success(request, _("Version %(n)s has been made: change its questions here.") % {"n": copy.version})
    return _back(pk, copy.pk)


@login_required
@require_POST
def questionnaire_version_use(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """Put a draft new version into use: it opens and the schedule asks it from now on."""
    _study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    try:
        services.questionnaire_version_use(questionnaire=questionnaire, used_by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Version %(n)s is in use: the schedule sends it from now on.")
                         % {"n": questionnaire.version})
    return _back(pk, questionnaire_pk)


def dictionary_response(questionnaire) -> HttpResponse:
    """The REDCap data dictionary as a CSV download (page and API alike)."""
    questions = list(questionnaire.questions.order_by("order", "id"))
    response = HttpResponse(redcap.dictionary_csv(questionnaire, questions), content_type="text/csv; charset=utf-8")
    name = redcap.form_name(questionnaire)
    response["Content-Disposition"] = f'attachment; filename="{name}_datadictionary.csv"'
    return response


@login_required
def dictionary_download(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    _study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    return dictionary_response(questionnaire)


@login_required
def dictionary_import(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    """Check a REDCap data dictionary (dry run), then store it in place of the questions."""
    study, questionnaire = _questionnaire(request, pk, questionnaire_pk)
    form = DictionaryImportForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = services.questionnaire_dictionary_import(
                    questionnaire=questionnaire, upload=data["file"], imported_by=request.user, form=data["form"],
                    dry_run=not data["store"],
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                if result.stored:
                    messages.success(request, _("%(n)s questions imported.") % {"n": len(result.questions)})
                    return _back(pk, questionnaire_pk)
                status = 200 if result.ok else 400
    return render(request, "evaluations/dictionary_import.html", {
        "study": study, "questionnaire": questionnaire, "form": form, "result": result,
        "locked": builder.lock_error(questionnaire),
    }, status=status)
