"""Pages for the client record and consent. Thin: parse input, call a service or selector, render.

Every view that names a client fetches it through `selectors.client_get` with the action it is
about to do, before it reads any input: missing and forbidden answer the same 404, with one
access-log record (the service's own check of the same action writes no second one).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.core.models import Organisation
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import (
    ClientEditForm,
    ClientRegisterForm,
    ConsentGrantForm,
    ConsentWithdrawForm,
    JoinAskForm,
    KnownCheckForm,
    MergeForm,
)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("trajectories:index")


# The BSN never reaches an error report (mail to the administrators, the debug page): neither
# the posted field nor the local variables that hold it.
BSN_VARIABLES = ("form", "data", "bsn", "initial", "exc")


@sensitive_post_parameters("bsn")
@sensitive_variables(*BSN_VARIABLES)
@login_required
def register(request: HttpRequest) -> HttpResponse:
    from werkbrug.trajectories.services import client_register_and_start

    policy.authorize(request.user, "client.register", None)
    form = ClientRegisterForm(request.POST if request.method == "POST" else None, user=request.user)
    ask_form = None
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        different_person = data.pop("different_person", False)
        try:
            # Known in the region? Asked before a second file is made; confirmed, it is not asked again.
            known = None if different_person else services.known_check(
                user=request.user, first_name=data["first_name"], last_name=data["last_name"],
                date_of_birth=data["date_of_birth"])
            if known is None or not known.possibly_known:
                trajectory = client_register_and_start(registered_by=request.user, **data)
        except services.KnownCheckLimit as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if known is not None and known.possibly_known:
                form.data = form.data.copy()
                form.data["different_person"] = "True"
                ask_form = JoinAskForm(user=request.user, initial={
                    name: data[name] for name in ("first_name", "last_name", "date_of_birth")})
            else:
                messages.success(request, _("The client is registered and the trajectory has started."))
                return redirect("trajectories:detail", pk=trajectory.pk)
    return render(request, "clients/register.html", {"form": form, "ask_form": ask_form})


@login_required
def known(request: HttpRequest) -> HttpResponse:
    """Known in the region? Yes or no, nothing more; every check logged and rate limited."""
    policy.check(request.user, "client.known_check", None)  # each check itself is logged by the service
    form = KnownCheckForm(request.POST if request.method == "POST" else None)
    answer, ask_form, status = None, None, 200
    if request.method == "POST" and form.is_valid():
        try:
            answer = services.known_check(user=request.user, **form.cleaned_data)
        except services.KnownCheckLimit as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            if answer.possibly_known:
                ask_form = JoinAskForm(user=request.user, initial=form.cleaned_data)
    return render(request, "clients/known.html", {"form": form, "answer": answer, "ask_form": ask_form},
                  status=status)


@login_required
@require_POST
def known_ask(request: HttpRequest) -> HttpResponse:
    """Ask the plan director of the possibly matching file(s) to add you to the team."""
    policy.check(request.user, "client.known_check", None)
    form = JoinAskForm(request.POST, user=request.user)
    status = 200
    if form.is_valid():
        try:
            services.join_request_create(user=request.user, **form.cleaned_data)
        except services.KnownCheckLimit as exc:
            form.add_error(None, str(exc))
            status = 429
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            # The same answer whether or not a request went out: the asker learns nothing more.
            messages.success(request, _("Your request is sent. If a plan director adds you to the team, you are told."))
            return redirect("clients:known")
    return render(request, "clients/known.html", {"form": KnownCheckForm(), "answer": None, "ask_form": form},
                  status=status)


@login_required
def join_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan director's page: add the asker to the team, or decline."""
    action = "join_request.decide" if request.method == "POST" else "join_request.view"
    join = selectors.join_request_get(user=request.user, pk=pk, action=action)
    if request.method == "POST":
        try:
            services.join_request_decide(request=join, decided_by=request.user, accept="accept" in request.POST)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            if "accept" in request.POST:
                messages.success(request, _("%(name)s has joined the team.") % {"name": join.requested_by.get_full_name()})
            else:
                messages.success(request, _("The request is declined. The asker is told."))
            return redirect("trajectories:detail", pk=join.trajectory_id)
        return redirect("clients:join_request", pk=join.pk)
    return render(request, "clients/join_request.html", {"join": join, "trajectory": join.trajectory,
                                                         "client": join.trajectory.client})


@login_required
def merge(request: HttpRequest) -> HttpResponse:
    """The region administrator merges two files of one person: check, then confirm."""
    policy.authorize(request.user, "client.merge_page", None)
    form = MergeForm(request.POST if request.method == "POST" else None)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            surviving = _merge_side(form, "surviving", request.user, data["surviving"])
            merged = _merge_side(form, "merged", request.user, data["merged"])
            if surviving is not None and merged is not None:
                pair = f"{surviving.pseudonym}>{merged.pseudonym}"
                if data["confirm"] == pair:
                    services.client_merge(surviving=surviving, merged=merged, merged_by=request.user,
                                          reason=data["reason"])
                    messages.success(request, _("The files are merged. %(id)s is the file that stays.")
                                     % {"id": surviving.pseudonym})
                    return redirect("clients:merge")
                preview = _merge_preview(surviving, merged)
                form.data = form.data.copy()
                form.data["confirm"] = pair
        except ValidationError as exc:
            apply_validation_error(form, exc)
    return render(request, "clients/merge.html", {"form": form, "preview": preview})


def _merge_side(form, field: str, user, pseudonym: str):
    try:
        return selectors.client_for_merge(user=user, pseudonym=pseudonym)
    except ValidationError as exc:
        form.add_error(field, exc)
        return None


def _merge_preview(surviving, merged) -> list[dict]:
    from werkbrug.trajectories.selectors import client_trajectory_list

    return [{"label": label, "client": c, "trajectories": client_trajectory_list(client=c)}
            for label, c in ((_("Stays"), surviving), (_("Is merged into it"), merged))]


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk)
    from werkbrug.trajectories.selectors import client_trajectory_list

    return render(request, "clients/detail.html", {
        "client": client,
        "show_bsn": policy.can(request.user, "client.view_bsn", client),
        "can_change": policy.can(request.user, "client.change", client),
        "trajectories": client_trajectory_list(client=client),
    })


@sensitive_post_parameters("bsn")
@sensitive_variables(*BSN_VARIABLES)
@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_get(user=request.user, pk=pk, action="client.change")
    show_bsn = policy.can(request.user, "client.view_bsn", client)
    initial = {name: getattr(client, name) for name in (
        "first_name", "last_name", "date_of_birth", "email", "phone", "address", "postcode", "city", "benefit", "status")}
    if show_bsn:
        initial["bsn"] = client.reveal_bsn()
    form = ClientEditForm(request.POST if request.method == "POST" else None, initial=initial, show_bsn=show_bsn)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        bsn = data.pop("bsn", None)
        if bsn is not None and bsn == initial.get("bsn"):
            bsn = None  # unchanged
        try:
            services.client_update(client=client, changed_by=request.user, bsn=bsn, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The client's details are saved."))
            return redirect("clients:detail", pk=client.pk)
    return render(request, "clients/edit.html", {"client": client, "form": form})


def _organisations(client, user):
    """The organisations the form offers: the policy's `consent_organisations` (a professional
    records consent for their own organisation only)."""
    from werkbrug.core.policy.clients import consent_organisations

    return consent_organisations(user, client, Organisation.objects.order_by("name"))


@login_required
def consents(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        client = selectors.client_check(user=request.user, pk=pk, action="consent.manage")
    else:
        client = selectors.client_get(user=request.user, pk=pk, action="consent.view")
    if request.method == "POST":
        form = ConsentGrantForm(request.POST, organisations=_organisations(client, request.user))
    else:
        form = ConsentGrantForm(organisations=_organisations(client, request.user),
                                initial={"seen_event": selectors.latest_consent_event_id(client)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.consent_grant_many(
                client=client, organisation=data["organisation"], categories=data["categories"],
                recorded_by=request.user, method=data["method"], given_on=data["given_on"],
                valid_until=data["valid_until"], note=data["note"], evidence=data["evidence"],
                seen_event=data["seen_event"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            if getattr(exc, "code", None) == "stale":
                # The page now shows the current consent; sending the form again records it.
                form.data = form.data.copy()
                form.data["seen_event"] = str(selectors.latest_consent_event_id(client))
        else:
            messages.success(request, _("The consent is recorded."))
            return redirect("clients:consents", pk=client.pk)
    return render(request, "clients/consents.html", _consent_context(client, form, request.user))


def _consent_context(client, form, user) -> dict:
    from werkbrug.core.policy.clients import ConsentChange

    states = list(selectors.consent_states(client=client))
    for state in states:
        state.may_withdraw = state.granted and policy.can(
            user, "consent.withdraw", ConsentChange(client, state.organisation_id, state.category))
        state.withdraw_form = ConsentWithdrawForm(
            initial={"organisation": state.organisation_id, "category": state.category,
                     "expected_version": state.version}, prefix=f"w{state.pk}",
        )
    return {
        "client": client, "form": form, "states": states,
        "history": selectors.consent_history(client=client),
    }


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    client = selectors.client_check(user=request.user, pk=pk, action="consent.manage")
    prefix = request.POST.get("prefix", "")
    form = ConsentWithdrawForm(request.POST, prefix=prefix or None)
    error = _("The form was incomplete. Try again.")
    if form.is_valid():
        data = form.cleaned_data
        organisation = Organisation.objects.filter(pk=data["organisation"], region_id=client.region_id).first()
        try:
            if organisation is None:
                raise ValidationError(_("This organisation is not in the client's region."), code="other_region")
            services.consent_withdraw(
                client=client, organisation=organisation, category=data["category"], recorded_by=request.user,
                method=data["method"], expected_version=data["expected_version"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The consent is withdrawn. This takes effect at once."))
            return redirect("clients:consents", pk=client.pk)
    messages.error(request, error)
    return redirect("clients:consents", pk=client.pk)
