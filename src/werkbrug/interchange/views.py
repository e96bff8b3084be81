"""The region administrator's pages for connected systems. Each view checks first."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from werkbrug.core import policy
from werkbrug.web.forms import apply_validation_error

from . import imports, selectors, services
from .forms import ImportForm, SystemChangeForm, SystemForm


@login_required
@require_http_methods(["GET"])
def systems(request: HttpRequest) -> HttpResponse:
    return render(request, "interchange/systems.html", {"systems": selectors.system_list(user=request.user)})


def _secret_page(request: HttpRequest, system, secret: str) -> HttpResponse:
    token_url = settings.WERKBRUG_BASE_URL.rstrip("/") + "/oauth/token"
    response = render(request, "interchange/secret.html", {"system": system, "secret": secret, "token_url": token_url})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def system_add(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "system.manage", None)
    form = SystemForm(request.POST or None, region_id=request.user.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            system, secret = services.system_register(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return _secret_page(request, system, secret)
    return render(request, "interchange/system_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def system_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Whom the system acts for and its public keys."""
    system = selectors.system_get(user=request.user, pk=pk)
    initial = {"acting_person": system.acting_person, "persons": list(system.persons.all()),
               "jwks": json.dumps(system.jwks, indent=2) if system.jwks else ""}
    form = SystemChangeForm(request.POST or None, initial=initial, system=system)
    if request.method == "POST" and form.is_valid():
        try:
            services.system_change(actor=request.user, system=system, acting_person=form.cleaned_data["acting_person"],
                                   persons=list(form.cleaned_data["persons"]), jwks=form.cleaned_data["jwks"])
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The system has been changed."))
            return redirect("interchange:systems")
    return render(request, "interchange/system_change.html", {"form": form, "system": system})


@login_required
@require_http_methods(["POST"])
def system_renew(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.system_get(user=request.user, pk=pk)
    try:
        secret = services.system_renew_secret(actor=request.user, system=system)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("interchange:systems")
    return _secret_page(request, system, secret)


@login_required
@require_http_methods(["POST"])
def system_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.system_get(user=request.user, pk=pk)
    services.system_revoke(actor=request.user, system=system)
    messages.success(request, _("The system has been revoked: its tokens no longer work."))
    return redirect("interchange:systems")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest) -> HttpResponse:
    """Import organisations, people or clients: the kinds this person may import, a dry run first."""
    kinds = [(name, str(kind.label)) for name, kind in imports.KINDS.items() if imports.may_import(request.user, name)]
    if not kinds:
        policy.authorize(request.user, "client.register", None)  # refused: the page's 403, logged
    form = ImportForm(request.POST or None, request.FILES or None, kinds=kinds)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.import_table(actor=request.user, kind=form.cleaned_data["kind"],
                                      upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        if result.applied:
            messages.success(request, _("%(n)s lines imported.") % {"n": result.created})
    columns = {name: (kind.required, kind.optional) for name, kind in imports.KINDS.items()
               if name in dict(kinds)}
    return render(request, "interchange/import.html", {"form": form, "result": result, "columns": columns,
                                                       "kinds": dict(kinds)})
