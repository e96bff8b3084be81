"""Pages of region administration. Each view checks first (the named person or organisation,
or the page itself), then parses its input and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkbrug.core import policy
from werkbrug.core.choices import Role
from werkbrug.core.models import User
from werkbrug.core.numbers import MAX_ID
from werkbrug.web.forms import apply_validation_error

from . import selectors, services
from .forms import (
    DeactivateForm,
    EventFilterForm,
    IdentityForm,
    InviteForm,
    OrganisationForm,
    PeopleFilterForm,
    PersonForm,
    ReactivateForm,
    RoleForm,
)
from .history import describe

GET_POST = require_http_methods(["GET", "POST"])


def _positive(value: str) -> int | None:
    return int(value) if value.isdigit() and 0 < int(value) <= MAX_ID else None


@login_required
@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Who holds which role: the region's people, filtered by organisation and role."""
    policy.authorize(request.user, "administration.view", None)
    form = PeopleFilterForm(request.GET or None, region_id=request.user.region_id)
    organisation_id, role, active = None, "", True
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        organisation_id = organisation.pk if organisation else None
        role = form.cleaned_data["role"]
        active = {"": True, "inactive": False, "all": None}[form.cleaned_data["status"]]
    people = selectors.person_list(user=request.user, organisation_id=organisation_id, role=role, active=active)
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "administration/index.html", {
        "form": form, "page": page, "people": page.object_list,
        "query": _query(request),
    })


@login_required
@require_http_methods(["GET"])
def organisations(request: HttpRequest) -> HttpResponse:
    orgs = selectors.organisation_list(user=request.user)
    return render(request, "administration/organisations.html", {"organisations": orgs})


@login_required
@GET_POST
def organisation_add(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "organisation.change", None)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The organisation has been added."))
            return redirect("administration:organisations")
    return render(request, "administration/organisation_form.html", {"form": form})


@login_required
@GET_POST
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(user=request.user, pk=pk)
    initial = {name: getattr(organisation, name) for name in OrganisationForm.base_fields}
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("administration:organisations")
    return render(request, "administration/organisation_form.html", {"form": form, "organisation": organisation})


@login_required
@GET_POST
def person_invite(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "administration.view", None)
    form = InviteForm(request.POST or None, region_id=request.user.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_invite(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("%(name)s has been invited: the mail with the link to choose a password is on its way.")
                             % {"name": person.get_full_name()})
            return redirect("administration:person", pk=person.pk)
    return render(request, "administration/invite.html", {"form": form})


def _person_forms(request: HttpRequest, person: User, data=None, do: str = "") -> dict:
    def bound(name):
        return data if do == name else None

    initial = {name: getattr(person, name) for name in ("first_name", "last_name", "email", "job_title", "phone")}
    initial["organisation"] = person.organisation_id
    return {
        "edit_form": PersonForm(bound("edit"), initial=initial, region_id=request.user.region_id, prefix="edit"),
        "role_form": RoleForm(bound("give"), exclude=person.roles, prefix="give"),
        "identity_form": IdentityForm(bound("link"), prefix="link"),
    }


@login_required
@GET_POST
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: details, roles (give and take), sign-in identities, invitation, deactivation."""
    person = selectors.person_get(user=request.user, pk=pk)
    do = request.POST.get("do", "") if request.method == "POST" else ""
    forms = _person_forms(request, person, request.POST, do)
    if request.method == "POST":
        done = _person_action(request, person, do, forms)
        if done is not None:
            return done
    seats = selectors.open_seats(person)
    return render(request, "administration/person.html", {
        "person": person, **forms, "roles": sorted(person.roles, key=Role.values.index),
        "role_labels": dict(Role.choices), "identities": person.oidc_identities.order_by("linked_at"),
        "seats": seats, "invited": not person.has_usable_password(),
        "events": _described(selectors.event_list(user=request.user, person_id=person.pk)[:10]),
    })


def _person_action(request: HttpRequest, person: User, do: str, forms: dict) -> HttpResponse | None:
    here = reverse("administration:person", kwargs={"pk": person.pk})
    try:
        if do == "edit":
            form = forms["edit_form"]
            if not form.is_valid():
                return None
            services.person_update(person=person, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The details have been saved."))
        elif do == "give":
            form = forms["role_form"]
            if not form.is_valid():
                return None
            services.role_give(person=person, role=form.cleaned_data["role"], actor=request.user)
            messages.success(request, _("The role has been given."))
        elif do == "take":
            services.role_take(person=person, role=request.POST.get("role", ""), actor=request.user)
            messages.success(request, _("The role has been taken away."))
        elif do == "link":
            form = forms["identity_form"]
            if not form.is_valid():
                return None
            services.identity_link(person=person, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The sign-in identity has been linked."))
        elif do == "unlink":
            pk = _positive(request.POST.get("identity", ""))
            if pk is None:
                raise Http404
            services.identity_unlink(identity=selectors.identity_get(person=person, pk=pk), actor=request.user)
            messages.success(request, _("The sign-in identity has been unlinked."))
        elif do == "resend":
            services.invitation_resend(person=person, actor=request.user)
            messages.success(request, _("The invitation has been sent again."))
        elif do == "deactivate":
            # First the places in client teams (per client), then the preview of everything else.
            if selectors.open_seats(person):
                messages.warning(request, _("First hand over this person's places in client teams; then deactivate the account."))
                return redirect(reverse("administration:hand_over", kwargs={"pk": person.pk}) + "?then=deactivate")
            return redirect("administration:deactivate", pk=person.pk)
        else:
            messages.error(request, _("Choose what to do."))
    except ValidationError as exc:
        if getattr(exc, "code", None) == "hand_over_first" and do == "deactivate":
            messages.warning(request, _("First hand over this person's places in client teams; then deactivate the account."))
            return redirect(reverse("administration:hand_over", kwargs={"pk": person.pk}) + "?then=deactivate")
        form = {"edit": "edit_form", "give": "role_form", "link": "identity_form"}.get(do)
        if form is not None:
            apply_validation_error(forms[form], exc)
            return None
        for message in exc.messages:
            messages.error(request, message)
    return redirect(here)


@login_required
@GET_POST
def deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """What deactivating the account hands over, and to whom; the administrator chooses the
    successor where there is a choice and confirms. Places in client teams are handed over first
    (their own page, per client)."""
    person = selectors.person_get(user=request.user, pk=pk)
    if not person.is_active:
        return redirect("administration:person", pk=person.pk)
    positions = selectors.positions_of(person)
    if positions.seats:
        messages.warning(request, _("First hand over this person's places in client teams; then deactivate the account."))
        return redirect(reverse("administration:hand_over", kwargs={"pk": person.pk}) + "?then=deactivate")
    form = DeactivateForm(request.POST if request.method == "POST" else None, candidates=positions.coordinator_candidates,
                          needs_coordinator=bool(positions.coordinated))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_deactivate(person=person, actor=request.user, reason=form.cleaned_data["reason"],
                                       **form.successor())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The account has been deactivated."))
            return redirect("administration:person", pk=person.pk)
    return render(request, "administration/deactivate.html", {
        "person": person, "positions": positions, "form": form, "roles": _role_labels(person),
    }, status=400 if form.errors else 200)


@login_required
@GET_POST
def reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a deactivated account again, with a reason; the roles are given again one by one."""
    person = selectors.person_get(user=request.user, pk=pk)
    if person.is_active:
        return redirect("administration:person", pk=person.pk)
    form = ReactivateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_reactivate(person=person, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The account is active again and the person has been told by mail. "
                                        "Give the roles they need now."))
            return redirect(reverse("administration:person", kwargs={"pk": person.pk}) + "#roles")
    return render(request, "administration/reactivate.html", {"person": person, "form": form},
                  status=400 if form.errors else 200)


def _role_labels(person: User) -> list[str]:
    labels = dict(Role.choices)
    return [str(labels[role]) for role in sorted(person.roles, key=Role.values.index)]


@login_required
@require_http_methods(["GET"])
def hand_overs(request: HttpRequest) -> HttpResponse:
    """The people whose places can be handed over by the user: the region's (administrator) or
    the own organisation's (manager)."""
    policy.authorize(request.user, "handover.list", None)
    people = selectors.hand_over_people(user=request.user)
    return render(request, "administration/hand_overs.html", {"people": people})


@login_required
@GET_POST
def hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Hand over a leaving person's places, per client or all at once."""
    person = selectors.person_get(user=request.user, pk=pk, action="handover.manage")
    seats = selectors.open_seats(person)
    candidates = selectors.colleagues(person)
    may_appoint = policy.can(request.user, "person.change", person)
    then = request.GET.get("then", "") == "deactivate"
    errors: dict[str, list[str]] = {}
    chosen: dict[str, str] = {}
    if request.method == "POST":
        successors, chosen, errors = _parse_successors(request.POST, seats)
        if not errors:
            try:
                services.person_hand_over(person=person, successors=successors, actor=request.user)
            except ValidationError as exc:
                errors = {k: [str(m) for e in v for m in e.messages] for k, v in exc.error_dict.items()} \
                    if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            else:
                messages.success(request, _("The places in client teams have been handed over."))
                if then and policy.can(request.user, "person.change", person):
                    return redirect("administration:deactivate", pk=person.pk)
                return redirect("administration:hand_over", pk=person.pk)
    rows = []
    for seat in seats:
        options = [(f"colleague:{c.pk}", c.get_full_name()) for c in candidates]
        appoint = [(f"appoint:{m.person_id}", f"{m.person.get_full_name()} ({m.organisation})")
                   for m in seat.team if seat.is_director and may_appoint and m.person.is_active]
        rows.append({
            "seat": seat, "name": f"seat_{seat.trajectory.pk}", "colleagues": options, "appoint": appoint,
            "may_leave": not seat.is_director, "chosen": chosen.get(f"seat_{seat.trajectory.pk}", ""),
            "errors": errors.get(f"seat_{seat.trajectory.pk}", []),
        })
    return render(request, "administration/hand_over.html", {
        "person": person, "rows": rows, "colleagues": [(f"colleague:{c.pk}", c.get_full_name()) for c in candidates],
        "all_chosen": chosen.get("all", ""), "errors": errors.get("__all__", []) + errors.get("all", []),
        "may_appoint": may_appoint, "then": then,
    })


def _parse_successors(data, seats) -> tuple[dict, dict, dict]:
    """`seat_<trajectory>` (or `all` where a row is left on "as for all"): `colleague:<id>`,
    `appoint:<id>` or `leave`."""
    successors, chosen, errors = {}, {"all": data.get("all", "")}, {}
    for seat in seats:
        name = f"seat_{seat.trajectory.pk}"
        chosen[name] = data.get(name, "")
        value = chosen[name] or chosen["all"]
        kind, _sep, number = value.partition(":")
        if value == "leave":
            successors[seat.trajectory.pk] = services.Successor("leave")
        elif kind in ("colleague", "appoint") and _positive(number) is not None:
            successors[seat.trajectory.pk] = services.Successor(kind, int(number))
        else:
            errors[name] = [_("Choose who takes over.")]
    return successors, chosen, errors


@login_required
@require_http_methods(["GET"])
def events(request: HttpRequest) -> HttpResponse:
    """The audit trail: every change in the region's administration, newest first."""
    form = EventFilterForm(request.GET or None)
    action = form.cleaned_data["action"] if form.is_valid() else ""
    person_id = _positive(request.GET.get("person", ""))
    rows = selectors.event_list(user=request.user, person_id=person_id, action=action)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "administration/events.html", {
        "form": form, "page": page, "events": _described(page.object_list), "query": _query(request),
    })


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _described(events) -> list:
    events = list(events)
    for event in events:
        event.described = describe(event)
    return events


@require_http_methods(["GET", "POST"])
def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited person chooses a password through the mailed link (no sign-in needed)."""
    person = _invited(uidb64, token)
    if person is None:
        return render(request, "administration/welcome_invalid.html", status=404)
    form = SetPasswordForm(person, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(person=person, token=token, password=form.cleaned_data["new_password1"])
        except ValidationError:
            return render(request, "administration/welcome_invalid.html", status=404)
        messages.success(request, _("Your password has been set. Sign in with your user name %(username)s.")
                         % {"username": person.username})
        return redirect("web:login")
    return render(request, "administration/welcome.html", {"form": form, "person": person})


def _invited(uidb64: str, token: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk <= MAX_ID:
        return None
    person = User.objects.filter(pk=pk, is_active=True, kind="professional").first()
    if person is None or not default_token_generator.check_token(person, token):
        return None
    return person
