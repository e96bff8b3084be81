"""Sign-in, sign-out, two-factor set-up and verification, and the demo's persona sign-in."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.views import LoginView, LogoutView
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from werkbrug.core.choices import Role
from werkbrug.core.models import RoleAssignment


class SignInView(LoginView):
    template_name = "web/account/login.html"
    redirect_authenticated_user = True


class SignOutView(LogoutView):
    pass


def lockout_response(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Too many failures for this name from this address. Says nothing about the account."""
    return render(
        request,
        "web/account/locked.html",
        {"minutes": int(settings.AXES_COOLOFF_TIME * 60)},
        status=429,
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return "/"
    return target


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if user_has_device(request.user):
        return redirect(f"/account/2fa/verify/?next={_safe_next(request)}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is set up."))
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not right. Try the newest code from your app."))
    import segno

    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("QR code"))
    return render(
        request,
        "web/account/2fa_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": device.config_url.split("secret=")[1].split("&")[0],
         "next": _safe_next(request)},
    )


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("This code is not right. Try the newest code from your app."))
    return render(request, "web/account/2fa_verify.html", {"form": form, "next": _safe_next(request)})


@require_http_methods(["GET", "POST"])
def demo_personas(request: HttpRequest) -> HttpResponse:
    """Demo only: sign in as any demo persona in one click. Does not exist outside demo mode."""
    if not settings.DEMO_MODE:
        raise Http404
    User = get_user_model()
    if request.method == "POST":
        with transaction.atomic():
            user = User.objects.filter(pk=request.POST.get("user"), username__startswith="demo.").first()
            if user is None:
                raise Http404
            login(request, user, backend="werkbrug.core.auth.WerkbrugModelBackend")
        return redirect("web:home")
    people = (
        User.objects.filter(username__startswith="demo.", is_active=True)
        .select_related("organisation")
        .order_by("kind", "organisation__name", "last_name")
    )
    roles: dict[int, list[str]] = {}
    for assignment in RoleAssignment.objects.filter(person__in=people):
        roles.setdefault(assignment.person_id, []).append(Role(assignment.role).label)
    personas = [{"user": p, "roles": roles.get(p.pk, [])} for p in people]
    return render(request, "web/account/personas.html", {"personas": personas})
