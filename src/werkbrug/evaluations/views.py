"""Research pages. Thin: parse, call one selector or service, render.

GET pages authorise through `selectors.study_get` / `participant_get` (one access-log record per
request). POSTs check first: `selectors.study_check` / `participant_check` fetch and authorise the
object before any input is parsed (a refusal is logged there, missing and forbidden are both 404),
and the service they call logs the request once.
Researchers see participants by study pseudonym only: no page here reads a client's name.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.models import Organisation
from werkbrug.web.forms import apply_validation_error

from . import analysis, builder, codebook, exports, intercoder, selectors, services, trial_views
from . import fidelity as fidelity_scale
from .builder_views import respondent_rows
from .consort import consort_svg
from .forms import (
    AssessForm,
    CodebookImportForm,
    CodeForm,
    CodingForm,
    ExpectationForm,
    FidelityForm,
    FlowForm,
    InterviewForm,
    JobForm,
    QuestionForm,
    QuestionnaireForm,
    RoundForm,
    SendForm,
    StageForm,
    StudyForm,
)
from .models import Coding, Passage, QuestionType
from .survival_chart import km_svg
from .trial_forms import RandomiseForm


def _posted_pk(request: HttpRequest, name: str) -> int | None:
    """A primary key from the POST data, or None when it is missing or not a number."""
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    studies = selectors.studies_for_user(user=request.user)
    return render(request, "evaluations/index.html", {
        "studies": studies, "can_create": policy.can(request.user, "study.create"),
        "can_fidelity": policy.can(request.user, "fidelity.view"),
    })


@login_required
def study_create(request: HttpRequest) -> HttpResponse:
    if not policy.can(request.user, "study.create"):
        raise PermissionDenied
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            study = services.study_create(created_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The study has been created."))
            return redirect("evaluations:study", pk=study.pk)
    return render(request, "evaluations/study_form.html", {"form": form})


def _study_context(study) -> dict:
    flow = selectors.consort(study=study)
    return {"study": study, "flow": flow, "consort_svg": consort_svg(flow), "arms": list(study.arms.all())}


@login_required
def study(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk)
    context = _study_context(study)
    context.update({
        "participants": selectors.participants(study=study),
        "recruitment": selectors.recruitment(study=study),
        "questionnaires": study.questionnaires.all(),
        "rounds": study.rounds.all(),
        "researchers": study.researchers.all(),
        **trial_views.trial_context(study, request.user),
    })
    return render(request, "evaluations/study.html", context)


@login_required
@require_POST
def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    try:
        count = services.participants_enrol_eligible(study=study, enrolled_by=request.user)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("%(n)s participants added.") % {"n": count})
    return redirect("evaluations:study", pk=pk)


@login_required
def participant(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    if request.method == "POST":
        p = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
        action = request.POST.get("action")
        try:
            if action == "randomise":
                form = RandomiseForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Give a valid date."))
                allocation = services.participant_randomise(participant=p, randomised_by=request.user,
                                                            randomised_on=form.cleaned_data["randomised_on"])
                messages.success(request, _("Randomised to: %(arm)s.") % {"arm": allocation.arm.name})
            elif action == "stage":
                form = StageForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose a stage."))
                services.participant_stage_set(participant=p, recorded_by=request.user, **form.cleaned_data)
                messages.success(request, _("The stage has been saved."))
            elif action == "flow":
                form = FlowForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Choose a status."))
                services.participant_flow_set(participant=p, recorded_by=request.user, **form.cleaned_data)
                messages.success(request, _("The status has been saved."))
            elif action == "job":
                form = JobForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Fill in the start date and the hours."))
                services.recorded_job_add(participant=p, recorded_by=request.user, **form.cleaned_data)
                messages.success(request, _("The job has been recorded."))
            else:
                raise Http404
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("evaluations:participant", pk=pk, participant_pk=participant_pk)
    p = selectors.participant_get(user=request.user, study_pk=pk, pk=participant_pk)
    return render(request, "evaluations/participant.html", {
        "study": p.study, "participant": p, "allocation": getattr(p, "allocation", None),
        "events": p.stage_events.all(), "jobs": p.recorded_jobs.all(),
        "stage_form": StageForm(), "job_form": JobForm(), "flow_form": FlowForm(),
        "research_consent": services.has_research_consent(p.client, p.study),
    })


# --- questionnaires ---------------------------------------------------------------------------


@login_required
def questionnaire_create(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        form = QuestionnaireForm(request.POST)
        if form.is_valid():
            try:
                questionnaire = services.questionnaire_create(study=study, created_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=questionnaire.pk)
    else:
        study = selectors.study_get(user=request.user, pk=pk, action="study.change")
        form = QuestionnaireForm()
    return render(request, "evaluations/questionnaire_form.html", {"study": study, "form": form})


@login_required
def questionnaire(request: HttpRequest, pk: int, questionnaire_pk: int) -> HttpResponse:
    send_form = SendForm(prefix="s")
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        question_form = QuestionForm(prefix="q", questions=q.questions.all())
        action = request.POST.get("action")
        try:
            if action == "question":
                question_form = QuestionForm(request.POST, prefix="q", questions=q.questions.all())
                if question_form.is_valid():
                    services.question_add(questionnaire=q, added_by=request.user, **question_form.service_kwargs())
                    messages.success(request, _("The question has been added."))
                    return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=q.pk)
            elif action == "send":
                send_form = SendForm(request.POST, prefix="s")
                if send_form.is_valid():
                    sent = services.questionnaire_send(questionnaire=q, sent_by=request.user,
                                                       to_participants=send_form.cleaned_data["to_participants"],
                                                       links=send_form.links())
                    messages.success(request, _("%(n)s invitations sent.") % {"n": len(sent)})
                    return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=q.pk)
            elif action == "remind":
                n = services.questionnaire_remind(questionnaire=q, reminded_by=request.user)
                messages.success(request, _("%(n)s reminders sent.") % {"n": n})
                return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=q.pk)
            elif action == "close":
                services.questionnaire_close(questionnaire=q, closed_by=request.user)
                messages.success(request, _("The questionnaire is closed."))
                return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=q.pk)
            else:
                raise Http404
        except ValidationError as exc:
            apply_validation_error(question_form if action == "question" else send_form, exc)
            if action in ("remind", "close"):
                _fail(request, exc)
                return redirect("evaluations:questionnaire", pk=pk, questionnaire_pk=q.pk)
        status = 400
    else:
        study = selectors.study_get(user=request.user, pk=pk)
        q = selectors.questionnaire_fetch(study=study, pk=questionnaire_pk)
        question_form = QuestionForm(prefix="q", questions=q.questions.all())
        status = 200
    ids = set(selectors.analysable_participants(study=study).values_list("pk", flat=True))
    return render(request, "evaluations/questionnaire.html", {
        "study": study, "questionnaire": q, "questions": q.questions.select_related("show_if_question"),
        "locked": builder.lock_error(q), "superseded": builder.newer_version(q) is not None,
        "use_error": services.version_use_error(q),
        "versions": selectors.questionnaire_versions(questionnaire=q),
        "results": selectors.questionnaire_results(questionnaire=q, participant_ids=ids),
        "tracking": selectors.invitation_tracking(questionnaire=q, participant_ids=ids),
        "question_form": question_form, "send_form": send_form,
    }, status=status)


def _respond(request: HttpRequest, invitation, *, respondent, template: str, done_url: str) -> HttpResponse:
    questions = list(invitation.questionnaire.questions.all())
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    if request.method == "POST":
        for q in questions:
            values[q.code] = request.POST.getlist(f"q_{q.code}") if q.type == QuestionType.MULTIPLE else request.POST.get(f"q_{q.code}", "")
        try:
            services.response_submit(invitation=invitation, answers=values, respondent=respondent)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            else:
                errors = {"__all__": exc.messages}
        else:
            messages.success(request, _("Thank you! Your answers have been saved."))
            return redirect(done_url)
    rows = respondent_rows(questions, values, errors)
    return render(request, template, {
        "invitation": invitation, "questionnaire": invitation.questionnaire, "rows": rows,
        "errors": errors.get("__all__", []), "has_errors": bool(errors),
        "is_open": services.is_open(invitation.questionnaire), "answered": invitation.responded_at is not None,
    }, status=400 if errors else 200)


def _own_client(request: HttpRequest):
    client = getattr(request.user, "client_record", None) if request.user.is_client else None
    if client is None:
        raise Http404
    return client


@login_required
def my_questionnaires(request: HttpRequest) -> HttpResponse:
    client = _own_client(request)
    policy.authorize(request.user, "client.view", client)  # the client's own file: one record
    return render(request, "evaluations/my_questionnaires.html", {
        "invitations": selectors.open_questionnaires_for_client(client=client),
    })


@login_required
def my_questionnaire(request: HttpRequest, invitation_pk: int) -> HttpResponse:
    invitation = selectors.invitation_fetch(pk=invitation_pk)
    if request.method != "POST":
        policy.authorize(request.user, "questionnaire.respond", invitation)  # the one record for the GET
    else:
        selectors.invitation_check(user=request.user, invitation=invitation)  # the service logs the POST
    return _respond(request, invitation, respondent=request.user, template="evaluations/respond.html",
                    done_url="evaluations:my_questionnaires")


def token_questionnaire(request: HttpRequest, token: str) -> HttpResponse:
    """A professional's or employer's personal link: no sign-in, the token is the key."""
    invitation = selectors.invitation_by_token(token=token)
    response = _respond(request, invitation, respondent=None, template="evaluations/respond.html",
                        done_url=request.path)
    # The token must not travel on in a Referer header, but with "no-referrer" Chromium posts the
    # form with `Origin: null`, which the CSRF check rightly refuses: send the origin only.
    response["Referrer-Policy"] = "strict-origin"
    return response


# --- interviews and coding ---------------------------------------------------------------------


@login_required
def interviews(request: HttpRequest, pk: int) -> HttpResponse:
    round_form = RoundForm(prefix="r")
    interview_form = InterviewForm(prefix="i")
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        action = request.POST.get("action")
        try:
            if action == "round":
                round_form = RoundForm(request.POST, prefix="r")
                if round_form.is_valid():
                    services.interview_round_create(study=study, created_by=request.user, **round_form.cleaned_data)
                    return redirect("evaluations:interviews", pk=pk)
            elif action == "interview":
                interview_form = InterviewForm(request.POST, prefix="i")
                rnd = study.rounds.filter(pk=_posted_pk(request, "round")).first()
                if rnd is None:
                    raise Http404
                if interview_form.is_valid():
                    interview = services.interview_add(round=rnd, added_by=request.user, **interview_form.cleaned_data)
                    return redirect("evaluations:interview", pk=pk, interview_pk=interview.pk)
            else:
                raise Http404
        except ValidationError as exc:
            apply_validation_error(round_form if action == "round" else interview_form, exc)
    else:
        study = selectors.study_get(user=request.user, pk=pk)
    rounds = list(study.rounds.prefetch_related("interviews"))
    return render(request, "evaluations/interviews.html", {
        "study": study, "rounds": rounds, "round_form": round_form, "interview_form": interview_form,
    }, status=400 if request.method == "POST" else 200)


@login_required
def interview(request: HttpRequest, pk: int, interview_pk: int) -> HttpResponse:
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        item = selectors.interview_fetch(study=study, pk=interview_pk)
        try:
            if request.POST.get("action") == "uncode":
                coding = Coding.objects.filter(pk=_posted_pk(request, "coding"), passage__interview=item).first()
                if coding is None:
                    raise Http404
                services.coding_remove(coding=coding, removed_by=request.user)
            else:
                codes = selectors.codebook(study=study)
                form = CodingForm(request.POST, codes=codes)
                if not form.is_valid():
                    raise ValidationError(_("Choose a code and a level."))
                passage = Passage.objects.filter(pk=form.cleaned_data["passage"], interview=item).first()
                code = study.codes.filter(pk=form.cleaned_data["code"]).first()
                if passage is None or code is None:
                    raise Http404
                services.coding_add(passage=passage, code=code, level=form.cleaned_data["level"], coder=request.user)
                messages.success(request, _("Code “%(code)s” added to passage %(n)s.") % {"code": code.name, "n": passage.number})
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("evaluations:interview", pk=pk, interview_pk=interview_pk)
    study = selectors.study_get(user=request.user, pk=pk)
    item = selectors.interview_fetch(study=study, pk=interview_pk)
    codes = selectors.codebook(study=study)
    passages = []
    for passage in selectors.interview_passages(interview=item):
        passages.append({
            "passage": passage, "form": CodingForm(initial={"passage": passage.pk}, codes=codes, prefix_id=f"p{passage.pk}"),
            "mine": [c for c in passage.codings.all() if c.coder_id == request.user.pk],
            "others": sum(1 for c in passage.codings.all() if c.coder_id != request.user.pk),
        })
    return render(request, "evaluations/interview.html", {
        "study": study, "interview": item, "passages": passages, "has_codes": bool(codes),
    })


@login_required
def codes(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        tree = selectors.codebook(study=study)
        form = CodeForm(request.POST, codes=tree, prefix="c")
        import_form = CodebookImportForm(prefix="f")
        try:
            if request.POST.get("action") == "import":
                import_form = CodebookImportForm(request.POST, request.FILES, prefix="f")
                if not import_form.is_valid():
                    raise ValidationError(_("Choose a file."))
                rows = codebook.from_upload(import_form.cleaned_data["file"])
                n = services.codebook_import(study=study, codes=rows, imported_by=request.user)
                messages.success(request, _("%(n)s codes imported.") % {"n": n})
                return redirect("evaluations:codes", pk=pk)
            if form.is_valid():
                parent = study.codes.filter(pk=form.cleaned_data["parent"]).first() if form.cleaned_data["parent"] else None
                services.code_create(study=study, created_by=request.user, name=form.cleaned_data["name"], parent=parent,
                                     description=form.cleaned_data["description"])
                return redirect("evaluations:codes", pk=pk)
        except ValidationError as exc:
            if request.POST.get("action") == "import":
                apply_validation_error(import_form, exc)
            else:
                apply_validation_error(form, exc)
        status = 400
    else:
        study = selectors.study_get(user=request.user, pk=pk)
        tree = selectors.codebook(study=study)
        form, import_form, status = CodeForm(codes=tree, prefix="c"), CodebookImportForm(prefix="f"), 200
    return render(request, "evaluations/codes.html", {
        "study": study, "tree": tree, "form": form, "import_form": import_form,
        "frequencies": selectors.code_frequencies(study=study), "quotes": selectors.quotes_per_code(study=study),
    }, status=status)


def codebook_response(study, fmt: str) -> HttpResponse:
    """The codebook as CSV or REFI-QDA (.qdc); the page and the API both answer with this."""
    items = list(study.codes.all())
    if fmt == "qdc":
        response = HttpResponse(codebook.to_qdc(items), content_type="application/xml")
    else:
        response = HttpResponse(codebook.to_csv(items), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="codebook-study-{study.pk}.{fmt}"'
    return response


@login_required
def codebook_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk, action="study.export")
    if fmt not in ("csv", "qdc"):
        raise Http404
    return codebook_response(study, fmt)


@login_required
def agreement(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk)
    people = selectors.coders(study=study)
    by_pk = {str(p.pk): p for p in people}
    a = by_pk.get(request.GET.get("a", "")) or (people[0] if people else None)
    b = by_pk.get(request.GET.get("b", "")) or (people[1] if len(people) > 1 else None)
    result = selectors.agreement(study=study, coder_a=a, coder_b=b) if a and b and a != b else None
    everyone = intercoder.coders_agreement(study=study) if len(people) > 1 else None
    return render(request, "evaluations/agreement.html",
                  {"study": study, "coders": people, "a": a, "b": b, "result": result, "everyone": everyone})


@login_required
def expectations(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        rounds = list(study.rounds.all())
        try:
            if request.POST.get("action") == "assess":
                form = AssessForm(request.POST, rounds=rounds)
                if not form.is_valid():
                    raise ValidationError(_("Choose a round and an assessment, and give the evidence."))
                item = study.expectations.filter(pk=form.cleaned_data["expectation"]).first()
                rnd = next((r for r in rounds if r.pk == form.cleaned_data["round"]), None)
                if item is None or rnd is None:
                    raise Http404
                services.expectation_assess(expectation=item, round=rnd, assessed_by=request.user,
                                            assessment=form.cleaned_data["assessment"], evidence=form.cleaned_data["evidence"])
            else:
                form = ExpectationForm(request.POST, rounds=rounds)
                if not form.is_valid():
                    raise ValidationError(_("Give the round, the kind, the level and the text."))
                rnd = next(r for r in rounds if r.pk == form.cleaned_data["round"])
                services.expectation_add(round=rnd, kind=form.cleaned_data["kind"], level=form.cleaned_data["level"],
                                         text=form.cleaned_data["text"], added_by=request.user)
            messages.success(request, _("Saved."))
        except ValidationError as exc:
            _fail(request, exc)
        return redirect("evaluations:expectations", pk=pk)
    study = selectors.study_get(user=request.user, pk=pk)
    rounds = list(study.rounds.all())
    items = [(e, AssessForm(initial={"expectation": e.pk}, rounds=rounds, prefix_id=f"e{e.pk}")) for e in selectors.expectations(study=study)]
    return render(request, "evaluations/expectations.html", {
        "study": study, "items": items, "form": ExpectationForm(rounds=rounds), "rounds": rounds,
    })


# --- outcomes, reports, exports -------------------------------------------------------------------


def _km_chart(result):
    if not result.curves:
        return ""
    return km_svg([(arm.name, curve) for arm, curve in result.curves], result.at_risk.days if result.at_risk else [0])


def _outcomes_context(study) -> dict:
    result = analysis.outcomes(study=study)
    return {"outcomes": result, "km_chart": _km_chart(result)}


@login_required
def outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk)
    return render(request, "evaluations/outcomes.html", {"study": study, **_outcomes_context(study)})


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    as_pdf = request.GET.get("format") == "pdf"  # which action to check; the only input read before it
    study = selectors.study_get(user=request.user, pk=pk, action="study.export" if as_pdf else "study.view")
    interim = request.GET.get("kind") == "interim"
    ids = set(selectors.analysable_participants(study=study).values_list("pk", flat=True))
    context = {
        **_study_context(study), **_outcomes_context(study), "interim": interim,
        "recruitment": selectors.recruitment(study=study),
        "questionnaires": [selectors.questionnaire_results(questionnaire=q, participant_ids=ids) for q in study.questionnaires.all()],
        "frequencies": selectors.code_frequencies(study=study),
        "expectations": selectors.expectations(study=study),
    }
    if as_pdf:
        from werkbrug.web.pdf import render_pdf

        name = f"{'interim-' if interim else ''}report-study-{study.pk}.pdf"
        return render_pdf(request, "evaluations/report.html", context, filename=name)
    return render(request, "evaluations/report.html", context)


def export_response(request: HttpRequest, study, table: str, fmt: str) -> HttpResponse:
    """One export of a study (CSV streamed, XLSX, SPSS .sav, the codebook as a PDF document); the
    page and the API both use it."""
    stem = f"study-{study.pk}-{table}"
    if fmt == "pdf":
        from werkbrug.web.pdf import render_pdf

        tables = exports.data_tables(study)
        entries = exports.codebook_entries(tables)
        sections = [(t, [e for e in entries if e.table == t.name]) for t in tables]
        return render_pdf(request, "evaluations/codebook.html", {
            "study": study, "sections": sections, "count": len(entries), "printed_on": timezone.localdate(),
        }, filename=f"{stem}.pdf")
    if fmt == "xlsx":
        return FileResponse(exports.to_xlsx(study), as_attachment=True, filename=f"study-{study.pk}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    data = exports.build(study, table)
    if fmt == "sav":
        return FileResponse(exports.to_sav(data), as_attachment=True, filename=f"{stem}.sav",
                            content_type="application/x-spss-sav")
    response = StreamingHttpResponse(exports.csv_rows(data), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response


@login_required
def export(request: HttpRequest, pk: int) -> HttpResponse:
    study = selectors.study_get(user=request.user, pk=pk, action="study.export")
    table = request.GET.get("table", "participants")
    fmt = request.GET.get("format", "csv")
    if not exports.exportable(table, fmt):
        raise Http404
    return export_response(request, study, table, fmt)


# --- IPS fidelity -----------------------------------------------------------------------------------


@login_required
def fidelity(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "fidelity.view")
    organisations = Organisation.objects.filter(region_id=request.user.region_id).order_by("name")
    form = FidelityForm(request.POST or None, organisations=organisations)
    item_errors = ""
    status = 200
    if request.method == "POST":
        scores = [request.POST.get(f"item_{i}", "") for i in range(1, 26)]
        if form.is_valid():
            try:
                org = organisations.get(pk=form.cleaned_data["organisation"])
                services.fidelity_review_record(
                    organisation=org, team_name=form.cleaned_data["team_name"], reviewed_on=form.cleaned_data["reviewed_on"],
                    reviewers=form.cleaned_data["reviewers"], scores=scores, recorded_by=request.user,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
                item_errors = "; ".join(exc.messages)
            else:
                messages.success(request, _("The fidelity review has been saved."))
                return redirect("evaluations:fidelity")
        status = 400
    reviews = list(selectors.fidelity_reviews(user=request.user))
    items = [{"number": i + 1, "section": str(fidelity_scale.SECTIONS[s]), "label": str(label),
              "value": request.POST.get(f"item_{i + 1}", "") if request.method == "POST" else ""}
             for i, (s, label) in enumerate(fidelity_scale.ITEMS)]
    return render(request, "evaluations/fidelity.html", {
        "form": form, "items": items, "item_errors": item_errors,
        "trend": selectors.fidelity_trend(reviews=reviews), "bands": fidelity_scale.BANDS,
    }, status=status)
