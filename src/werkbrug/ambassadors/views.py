"""Pages of the ambassador network. Thin: parse input, call one service or selector, render."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.models import Organisation, Region, User
from werkbrug.web.charts import Series, bar_chart
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import (
    AbsenceForm,
    AppointForm,
    AskForm,
    MergeForm,
    ProposalForm,
    PublishForm,
    QuestionFilter,
    RateForm,
    ReportFilter,
    SettingsForm,
    SplitForm,
    TextForm,
    TopicForm,
    TransitionForm,
    UnpublishForm,
)
from .models import Ambassador, ProposalStatus, Topic
from .settings import for_region
from .workflow import ALLOWED_TRANSITIONS


def _region(request: HttpRequest) -> Region:
    return selectors.user_region(user=request.user)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassadors.use", None)
    user = request.user
    is_ambassador = policy.can(user, "ambassador_group.view", None)
    mine = selectors.question_list(user=user).filter(asked_by=user)[:10]
    to_answer = (selectors.question_list(user=user, status="open").filter(assignee__person=user)[:20] if is_ambassador else [])
    return render(request, "ambassadors/index.html", {
        "mine": mine, "to_answer": to_answer, "is_ambassador": is_ambassador,
        "can_report": policy.can(user, "ambassador_report.view", None),
        "can_settings": policy.can(user, "ambassador_topic.change", None),
        "rules": for_region(_region(request)), "now": timezone.now(),
    })


def _check_payload(request: HttpRequest, body: str) -> dict:
    warnings = services.identity_check(body, writer=request.user, region_id=request.user.region_id)
    suggestions = selectors.similar_questions(user=request.user, query=body) if len(body.strip()) >= 8 else []
    return {"warnings": warnings, "suggestions": suggestions}


@login_required
def ask(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassador_question.ask", None)
    form = AskForm(request.POST or None, region_id=request.user.region_id)
    check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        check = _check_payload(request, data["text"])
        needs_confirm = any(not w.blocking for w in check["warnings"]) and not data["confirm"]
        if request.POST.get("action") == "send" and not needs_confirm:
            try:
                question = services.question_ask(asked_by=request.user, organisation=data["organisation"], topic=data["topic"],
                                                 text=data["text"], urgency=data["urgency"], confirmed=data["confirm"])
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("Your question was sent. You will get an answer before %(d)s.") % {
                    "d": timezone.localtime(question.deadline_at).strftime("%d-%m-%Y %H:%M")})
                return redirect("ambassadors:question", pk=question.pk)
        elif request.POST.get("action") == "send":
            form.add_error("confirm", _("Your question may identify the client. Change it, or confirm that it does not."))
    elif request.method == "POST" and form.data.get("text"):
        check = _check_payload(request, form.data.get("text", ""))
    return render(request, "ambassadors/ask.html", {"form": form, "check": check})


@login_required
def ask_check(request: HttpRequest) -> JsonResponse:
    """JSON for ask.js: identity warnings and similar answered questions while typing."""
    policy.authorize(request.user, "ambassador_question.ask", None)
    body = request.GET.get("text", "")[:5000]
    payload = _check_payload(request, body)
    return JsonResponse({
        "warnings": [w.as_dict() for w in payload["warnings"]],
        "suggestions": [
            {"id": s.id, "question": s.question, "answer": s.answer[:300], "score": s.score,
             "url": reverse("ambassadors:qa_detail" if s.published else "ambassadors:question", args=[s.id])}
            for s in payload["suggestions"]],
    })


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassadors.use", None)
    form = QuestionFilter(request.GET or None, region_id=request.user.region_id)
    filters = form.cleaned_data if form.is_valid() else {}
    questions = selectors.question_list(
        user=request.user, timeliness=filters.get("timeliness", ""), status=filters.get("status", ""),
        organisation_id=getattr(filters.get("organisation"), "pk", None), topic_id=getattr(filters.get("topic"), "pk", None),
    )
    page = Paginator(questions, 25).get_page(request.GET.get("page"))
    now = timezone.now()
    for q in page:
        q.timeliness = selectors.timeliness_of(q, now)
    is_ambassador = policy.can(request.user, "ambassador_group.view", None)
    rates = {}
    if is_ambassador:
        scoped = selectors.question_list(user=request.user)
        rates = {"organisation": selectors.in_time_rates(scoped, by="organisation", now=now),
                 "ambassador": selectors.in_time_rates(scoped, by="ambassador", now=now)}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "ambassadors/question_list.html", {
        "form": form, "page": page, "query": query.urlencode(), "rates": rates, "is_ambassador": is_ambassador})


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = selectors.question_get(user=request.user, pk=pk)
    user = request.user
    context = {
        "question": question, "thread": question.messages.select_related("author"), "events": question.events.select_related("ambassador__person", "actor"),
        "timeliness": selectors.timeliness_of(question, timezone.now()),
        "can_answer": policy.can(user, "ambassador_question.answer", question),
        "can_follow_up": policy.can(user, "ambassador_question.follow_up", question),
        "can_rate": policy.can(user, "ambassador_question.rate", question) and question.answered_at is not None,
        "can_publish": policy.can(user, "ambassador_question.publish", question) and question.answered_at is not None,
        "can_unpublish": question.published and policy.can(user, "ambassador_qa.unpublish", question),
        "unpublish_form": UnpublishForm(),
        "answer_form": TextForm(prefix="answer"), "follow_form": TextForm(prefix="follow"), "rate_form": RateForm(),
        "publish_form": PublishForm(initial={
            "public_question": question.public_question or question.text,
            "public_answer": question.public_answer or next((m.text for m in question.messages.all() if m.kind == "answer"), ""),
        }),
    }
    return render(request, "ambassadors/question_detail.html", context)


def _post_to_service(request: HttpRequest, pk: int, action: str, make_form, call, success: str) -> HttpResponse:
    # Check first: the question is fetched and the action authorized before the form is read.
    question = selectors.question_get(user=request.user, pk=pk, action=action)
    form = make_form()
    if form.is_valid():
        try:
            call(question, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("ambassadors:question", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("ambassadors:question", pk=pk)


@login_required
@require_POST
def question_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_service(request, pk, "ambassador_question.answer", lambda: TextForm(request.POST, prefix="answer"),
                            lambda q, d: services.question_answer(question=q, author=request.user, text=d["text"],
                                                                  confirmed=d["confirm"]), _("Your answer was saved."))


@login_required
@require_POST
def question_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_service(request, pk, "ambassador_question.follow_up", lambda: TextForm(request.POST, prefix="follow"),
                            lambda q, d: services.question_follow_up(question=q, author=request.user, text=d["text"],
                                                                     confirmed=d["confirm"]), _("Your message was saved."))


@login_required
@require_POST
def question_rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_service(request, pk, "ambassador_question.rate", lambda: RateForm(request.POST),
                            lambda q, d: services.question_rate(question=q, person=request.user, useful=d["useful"]), _("Thank you for your rating."))


@login_required
@require_POST
def question_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_to_service(request, pk, "ambassador_question.publish", lambda: PublishForm(request.POST),
                            lambda q, d: services.question_publish(question=q, person=request.user, **d), _("The Q&A was published."))


@login_required
@require_POST
def question_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    _post_to_service(request, pk, "ambassador_qa.unpublish", lambda: UnpublishForm(request.POST),
                     lambda q, d: services.question_unpublish(question=q, person=request.user, reason=d["reason"]),
                     _("The Q&A was taken back."))
    # A region administrator may take a Q&A back without reading the question itself.
    if policy.can(request.user, "ambassador_question.view", selectors.question_fetch(pk=pk)):
        return redirect("ambassadors:question", pk=pk)
    return redirect("ambassadors:qa")


@login_required
def qa_list(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassadors.use", None)
    query = request.GET.get("q", "").strip()[:200]
    page = Paginator(selectors.qa_list(user=request.user, query=query), 20).get_page(request.GET.get("page"))
    return render(request, "ambassadors/qa_list.html", {"page": page, "q": query, "query": f"q={query}" if query else ""})


@login_required
def qa_detail(request: HttpRequest, pk: int) -> HttpResponse:
    qa = selectors.qa_get(user=request.user, pk=pk)
    can_unpublish = policy.can(request.user, "ambassador_qa.unpublish", qa)
    return render(request, "ambassadors/qa_detail.html", {"qa": qa, "unpublish_form": UnpublishForm() if can_unpublish else None})


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.group_list(user=request.user))
    details = selectors.group_details(groups)
    for g in groups:
        g.details = details[g.pk]
    merge_form = MergeForm(request.POST or None, region_id=request.user.region_id)
    if request.method == "POST" and merge_form.is_valid():
        try:
            group = services.groups_merge(groups=list(merge_form.cleaned_data["groups"]), by=request.user, title=merge_form.cleaned_data["title"])
        except ValidationError as exc:
            apply_validation_error(merge_form, exc)
        else:
            messages.success(request, _("The groups were merged."))
            return redirect("ambassadors:group", pk=group.pk)
    return render(request, "ambassadors/group_list.html", {"groups": groups, "merge_form": merge_form})


@login_required
@require_POST
def group_rebuild(request: HttpRequest) -> HttpResponse:
    groups = services.groups_rebuild(region=_region(request), by=request.user)
    messages.success(request, _("Questions regrouped: %(n)s groups.") % {"n": len(groups)})
    return redirect("ambassadors:groups")


@login_required
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk)
    form = SplitForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.group_split(group=group, question_ids=[int(x) for x in form.cleaned_data["questions"]], by=request.user,
                                       title=form.cleaned_data["title"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The questions were moved to a new group."))
            return redirect("ambassadors:group", pk=new.pk)
    details = selectors.group_details([group])[group.pk]
    return render(request, "ambassadors/group_detail.html", {"group": group, "details": details, "form": form})


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    proposals = selectors.proposal_list(user=request.user)
    return render(request, "ambassadors/proposal_list.html", {
        "proposals": proposals, "can_change": policy.can(request.user, "ambassador_proposal.change", None)})


@login_required
def proposal_create(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassador_proposal.change", None)
    initial = {"groups": [g for g in request.GET.getlist("group") if g.isdigit()]}
    form = ProposalForm(request.POST or None, region_id=request.user.region_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_draft(region=_region(request), by=request.user, title=data["title"], problem=data["problem"],
                                               process=data["process"], proposal=data["proposal"], audience=data["audience"],
                                               groups=list(data["groups"]), organisations=list(data["organisations"]),
                                               audience_organisation=data["audience_organisation"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The proposal was saved as a draft."))
            return redirect("ambassadors:proposal", pk=proposal.pk)
    return render(request, "ambassadors/proposal_form.html", {"form": form})


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    if request.method == "POST":  # check first: a change is authorized before the form is read
        policy.authorize(request.user, "ambassador_proposal.change", proposal)
    choices = [(s, ProposalStatus(s).label) for s in ProposalStatus.values if s in ALLOWED_TRANSITIONS[proposal.status]]
    form = TransitionForm(request.POST or None, choices=choices, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_transition(proposal=proposal, to_status=form.cleaned_data["to_status"], by=request.user,
                                         on=form.cleaned_data["on"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The status was changed."))
            return redirect("ambassadors:proposal", pk=pk)
    return render(request, "ambassadors/proposal_detail.html", {
        "proposal": proposal, "form": form if choices and policy.can(request.user, "ambassador_proposal.change", proposal) else None,
        "events": proposal.events.select_related("by"), "groups": proposal.groups.all(), "organisations": proposal.organisations.all()})


def _report_context(request: HttpRequest) -> dict:
    today = timezone.localdate()
    default_start = date(today.year - 1, today.month, 1) + timedelta(days=0)
    form = ReportFilter(request.GET or None, initial={"start": default_start, "end": today})
    start, end = default_start, today
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.region_report(user=request.user, region=_region(request), start=start, end=end)
    charts = {
        "months": bar_chart(title=_("Questions per month"), labels=[m.strftime("%m-%Y") for m, _n in report["months"]],
                            series=[Series(_("Questions"), [n for _m, n in report["months"]])]),
        "topics": bar_chart(title=_("Questions per topic"), labels=[r["topic__name"] for r in report["per_topic"]],
                            series=[Series(_("Questions"), [r["n"] for r in report["per_topic"]])]),
    }
    return {"form": form, "report": report, "charts": charts, "region": _region(request)}


@login_required
def report(request: HttpRequest) -> HttpResponse:
    context = _report_context(request)
    return render(request, "ambassadors/report.html", {**context, "pdf_query": request.GET.urlencode()})


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    from werkbrug.web.pdf import render_pdf

    context = _report_context(request)
    return render_pdf(request, "ambassadors/report.html", context, filename="ambassadeurs-rapportage.pdf")


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    policy.authorize(request.user, "ambassador_topic.change", region)
    rules = for_region(region)
    can_settings = policy.can(request.user, "ambassador_settings.change", region)
    if request.POST.get("form") == "settings":  # check first, before the form is read
        policy.authorize(request.user, "ambassador_settings.change", region)
    settings_form = SettingsForm(request.POST if request.POST.get("form") == "settings" else None,
                                 initial={"deadline_hours": rules.deadline_hours, "deadline_mode": rules.deadline_mode})
    topic_form = TopicForm(request.POST if request.POST.get("form") == "topic" else None)
    try:
        if request.POST.get("form") == "settings" and settings_form.is_valid():
            services.region_settings_update(region=region, changed_by=request.user, **settings_form.cleaned_data)
            messages.success(request, _("The settings were saved."))
            return redirect("ambassadors:settings")
        if request.POST.get("form") == "topic" and topic_form.is_valid():
            services.topic_add(region=region, name=topic_form.cleaned_data["name"], added_by=request.user)
            messages.success(request, _("The topic was added."))
            return redirect("ambassadors:settings")
        if request.POST.get("form") == "topic_toggle":
            topic = Topic.objects.filter(region=region, pk=request.POST.get("topic")).first()
            if topic is not None:
                services.topic_update(topic=topic, changed_by=request.user, active=not topic.active)
                return redirect("ambassadors:settings")
    except ValidationError as exc:
        apply_validation_error(settings_form if request.POST.get("form") == "settings" else topic_form, exc)
    return render(request, "ambassadors/settings.html", {
        "settings_form": settings_form if can_settings else None, "topic_form": topic_form,
        "topics": selectors.topics_for(region_id=region.pk, active_only=False), "rules": rules})


def _step_down(request: HttpRequest) -> None:
    target = selectors.ambassador_get(region_id=request.user.region_id, pk=request.POST["step_down"])
    try:
        services.ambassador_step_down(ambassador=target, changed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer an ambassador; their open questions went to a colleague.")
                         % {"name": target.person.get_full_name()})


def _set_stand_ins(request: HttpRequest) -> None:
    target = selectors.ambassador_get(region_id=request.user.region_id, pk=request.POST["set_stand_ins"])
    chosen = [value for value in request.POST.getlist("stand_ins") if value.isdigit()]
    stand_ins = list(Ambassador.objects.filter(pk__in=chosen, organisation__region_id=request.user.region_id))
    try:
        services.ambassador_set_stand_ins(ambassador=target, stand_ins=stand_ins, changed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The stand-ins were saved."))


def _remove_absence(request: HttpRequest) -> None:
    absence = selectors.absence_get(region_id=request.user.region_id, pk=request.POST["remove_absence"])
    services.absence_remove(absence=absence, removed_by=request.user)
    messages.success(request, _("The absence was removed."))


# The page's buttons that do one thing and come back to the page (by the button's name).
_PEOPLE_ACTIONS = {"step_down": _step_down, "set_stand_ins": _set_stand_ins, "remove_absence": _remove_absence}


@login_required
def ambassadors_page(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "ambassador.view", None)
    if request.method == "POST":
        action = next((name for name in _PEOPLE_ACTIONS if name in request.POST), None)
        if action is not None:
            _PEOPLE_ACTIONS[action](request)
            return redirect("ambassadors:people")
    ambassadors = selectors.ambassador_list(region_id=request.user.region_id)
    can_appoint = policy.can(request.user, "ambassador.manage", None)
    appoint_form = AppointForm(request.POST if "appoint" in request.POST else None,
                               people=selectors.appointable_people(region_id=request.user.region_id) if can_appoint else ())
    form = AbsenceForm(request.POST if "starts_on" in request.POST else None)
    if request.method == "POST" and "appoint" in request.POST:
        if not can_appoint:
            policy.authorize(request.user, "ambassador.manage", None)  # refused: 403, and logged
        if appoint_form.is_valid():
            person = User.objects.select_related("organisation").get(pk=appoint_form.cleaned_data["person"])
            try:
                services.ambassador_appoint(person=person, appointed_by=request.user,
                                            position=appoint_form.cleaned_data["position"])
            except ValidationError as exc:
                apply_validation_error(appoint_form, exc)
            else:
                messages.success(request, _("%(name)s is now an ambassador.") % {"name": person.get_full_name()})
                return redirect("ambassadors:people")
    if request.method == "POST" and "starts_on" in request.POST:
        raw = request.POST.get("ambassador", "")
        target = Ambassador.objects.filter(pk=int(raw) if raw.isdigit() else 0,
                                           organisation__region_id=request.user.region_id).first()
        if target is not None:  # check first, before the form is read
            policy.authorize(request.user, "ambassador_absence.record", target)
        if target is not None and form.is_valid():
            try:
                services.absence_add(ambassador=target, recorded_by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, _("The absence was recorded."))
                return redirect("ambassadors:people")
    today = timezone.localdate()
    ambassadors = list(ambassadors)
    for a in ambassadors:
        a.can_record = a.active and policy.can(request.user, "ambassador_absence.record", a)
        a.can_see_reason = policy.can(request.user, "ambassador_absence.view_reason", a)
        a.current = [x for x in a.absences.all() if x.ends_on >= today]
        chosen = {s.pk for s in a.stand_ins.all()}
        a.colleagues = [(c, c.pk in chosen) for c in ambassadors
                        if c.organisation_id == a.organisation_id and c.pk != a.pk and c.active]
    return render(request, "ambassadors/ambassadors.html", {
        "ambassadors": ambassadors, "form": form, "appoint_form": appoint_form if can_appoint else None,
        "can_appoint": can_appoint,
        "organisations": Organisation.objects.filter(region_id=request.user.region_id)})


