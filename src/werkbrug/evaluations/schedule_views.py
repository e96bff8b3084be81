"""Pages of the longitudinal schedule: the schedule with its response tracking, a participant's
survey queue, and the client's page to choose the password of their new portal account.

Check first: each view fetches and authorises its study or participant before it parses the
form (POST) or reads it (GET); the services ask the lifecycle (`workflow.study_require`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from . import schedule_selectors, selectors, services, workflow
from .forms import DATE
from .models import RespondentKind, ScheduleEvent


class ScheduleEventForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=80)
    offset_months = forms.IntegerField(label=gettext_lazy("Months after randomisation"), min_value=0,
                                       max_value=services.schedules.MAX_MONTHS, initial=0)
    offset_days = forms.IntegerField(label=gettext_lazy("Days after randomisation"), min_value=0,
                                     max_value=services.schedules.MAX_DAYS, initial=0)
    window_days = forms.IntegerField(label=gettext_lazy("Window (days)"), min_value=0,
                                     max_value=services.schedules.MAX_DAYS, initial=28)
    reminder_after_days = forms.IntegerField(label=gettext_lazy("Reminder after (days)"), min_value=0,
                                             max_value=services.schedules.MAX_DAYS, required=False)

    def __init__(self, *args, questionnaires=(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in RespondentKind.choices:
            self.fields[f"q_{kind}"] = forms.TypedMultipleChoiceField(
                label=_("Questionnaires for: %(who)s") % {"who": label}, required=False, coerce=int,
                choices=[(q.pk, q.title) for q in questionnaires], widget=forms.CheckboxSelectMultiple,
            )

    def items(self) -> list[tuple[int, str]]:
        return [(pk, kind) for kind in RespondentKind.values for pk in self.cleaned_data.get(f"q_{kind}") or []]


class EmployerContactForm(forms.Form):
    """The employer research contact; the rules (permission, date, address) live in the service."""

    name = forms.CharField(label=gettext_lazy("Contact person"), max_length=120, required=False)
    email = forms.CharField(label=gettext_lazy("E-mail address"), max_length=254, required=False,
                            widget=forms.EmailInput)
    permission = forms.BooleanField(
        label=gettext_lazy("The client agrees that this employer is contacted for the study"), required=False,
        help_text=gettext_lazy("In IPS the client decides whether their employer may be contacted at all."),
    )
    permission_given_on = forms.DateField(label=gettext_lazy("Date of the client's permission"), required=False,
                                          widget=DATE)


def _form(study, data=None) -> ScheduleEventForm:
    return ScheduleEventForm(data, questionnaires=study.questionnaires.all())


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        study = selectors.study_check(user=request.user, pk=pk)
        form = _form(study, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.schedule_event_add(
                    study=study, added_by=request.user, name=data["name"], offset_months=data["offset_months"],
                    offset_days=data["offset_days"], window_days=data["window_days"],
                    reminder_after_days=data["reminder_after_days"], items=form.items())
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The event has been added to the schedule."))
                return redirect("evaluations:schedule", pk=pk)
        else:
            messages.error(request, _("Check the form."))
    else:
        study = selectors.study_get(user=request.user, pk=pk)
        form = _form(study)
    return render(request, "evaluations/schedule.html", {
        "study": study, "events": schedule_selectors.schedule_events(study=study),
        "tracking": schedule_selectors.response_tracking(study=study), "form": form,
        "editable": workflow.study_allows(study, workflow.StudyAction.EDIT_PROTOCOL),
    })


@login_required
@require_POST
def schedule_event_delete(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    study = selectors.study_check(user=request.user, pk=pk)
    event = ScheduleEvent.objects.filter(study=study, pk=event_pk).first()
    if event is None:
        from django.http import Http404

        raise Http404
    try:
        services.schedule_event_delete(event=event, deleted_by=request.user)
        messages.success(request, _("The event has been removed from the schedule."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("evaluations:schedule", pk=pk)


@login_required
def survey_queue(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    participant = selectors.participant_get(user=request.user, study_pk=pk, pk=participant_pk)
    contact = schedule_selectors.employer_contact(participant=participant)
    initial = ({"name": contact.name, "email": contact.email, "permission": True,
                "permission_given_on": contact.permission_given_on} if contact else {})
    return render(request, "evaluations/survey_queue.html", {
        "study": participant.study, "participant": participant,
        "queue": schedule_selectors.survey_queue(participant=participant),
        "contact": contact, "contact_form": EmployerContactForm(initial=initial),
        "may_change": workflow.study_allows(participant.study, workflow.StudyAction.PARTICIPANTS),
    })


@login_required
@require_POST
def employer_contact(request: HttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    """Record, change or (`action=remove`) erase the participant's employer research contact."""
    participant = selectors.participant_check(user=request.user, study_pk=pk, pk=participant_pk)
    try:
        if request.POST.get("action") == "remove":
            services.employer_contact_remove(participant=participant, removed_by=request.user)
            messages.success(request, _("The employer contact has been removed."))
        else:
            form = EmployerContactForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Check the form."))
            services.employer_contact_set(participant=participant, recorded_by=request.user, **form.cleaned_data)
            messages.success(request, _("The employer contact has been saved."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("evaluations:survey_queue", pk=pk, participant_pk=participant_pk)


@require_http_methods(["GET", "POST"])
def account_welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """A research participant chooses the password of their new portal account (the mailed link)."""
    user = services.portal_account_user(uidb64, token)
    if user is None:
        return render(request, "evaluations/account_invalid.html", status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.portal_account_accept(user=user, token=token, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "evaluations/account_invalid.html", status=404)
        messages.success(request, _("Your password has been set. Sign in with your user name %(username)s.")
                         % {"username": user.username})
        return redirect("web:login")
    response = render(request, "administration/welcome.html", {"form": form, "person": user})
    response["Referrer-Policy"] = "strict-origin"
    return response
