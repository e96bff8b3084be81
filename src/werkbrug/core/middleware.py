"""Request-wide concerns: request ids (with the request's policy state), idle timeout, two-factor
enforcement, security headers."""

from __future__ import annotations

import re
import time
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation import gettext as _
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as _OTPMiddleware

from . import context
from .client_ip import client_ip
from .policy import memo

# Paths a signed-in user may reach before completing two-factor set-up or verification.
# An incoming X-Request-ID is used only when it is this plain (it ends up in logs and the access log).
REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{7,63}")

TWO_FACTOR_EXEMPT = ("/account/", "/static/", "/i18n/", "/demo/", "/health")


class RequestIdMiddleware:
    """The request's id and network address (for the log and the access log), and the request's
    own policy state: the granted checks, the pending denials and the memo of the policy's facts
    (`policy.memo`), each fresh for every request and reset at its end."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        # A proxy's id (Caddy's and nginx's are UUIDs with dashes) is kept when it is plain.
        request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = context.current.set(context.RequestContext(request_id, client_ip(request)))
        denials_token = context.pending_denials.set([])
        granted_token = context.granted_checks.set(set())
        try:
            with memo.scope():
                response = self.get_response(request)
            self._write_pending_denials()
            if getattr(response, "streaming", False) and not isinstance(response, FileResponse):
                # An export decides while it streams, after the view (a file is only sent).
                response.streaming_content = memo.streamed(response.streaming_content)
        finally:
            context.granted_checks.reset(granted_token)
            context.pending_denials.reset(denials_token)
            context.current.reset(token)
        response["X-Request-ID"] = request_id
        return response

    @staticmethod
    def _write_pending_denials() -> None:
        from .access_log import access_log_write

        for record in context.pending_denials.get() or []:
            access_log_write(**record)


class OversizedNumberMiddleware:
    """A path with a number beyond 64 bits (`/clients/99999999999999999999/`) names nothing:
    404 before any view hands it to the database, whose driver would fail with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.http import Http404

        from .numbers import path_has_oversized_number

        if path_has_oversized_number(request.path_info):
            raise Http404
        return self.get_response(request)


class DatabaseUnavailableMiddleware:
    """Turn an unreachable database into a clear 503 instead of a 500.

    Services run in transactions, so nothing is half-written when the database goes away.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.db import InterfaceError, OperationalError

        if isinstance(exception, OperationalError | InterfaceError):
            from werkbrug.web.views.errors import database_unavailable

            return database_unavailable(request)
        return None


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _unwrap(lazy: SimpleLazyObject):
    if lazy._wrapped is empty:
        lazy._setup()
    return lazy._wrapped


class IdleTimeoutMiddleware:
    """Sign out after SESSION_IDLE_SECONDS without a request (the absolute limit is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            # Every later middleware, view and template asks for the user, many times per page;
            # each access through the lazy wrapper costs a detour. It is needed now anyway.
            user = request.user = _unwrap(user)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = int(time.time())
            last = request.session.get("last_activity")
            if last is not None and now - last > settings.SESSION_IDLE_SECONDS:
                logout(request)
                if _is_api(request):
                    return JsonResponse(
                        {"type": "about:blank", "title": _("Your session has expired."), "status": 401},
                        status=401, content_type="application/problem+json",
                    )
                messages.info(request, _("You were signed out because you were inactive for a while."))
                return redirect(f"{reverse('web:login')}?next={request.path}")
            # Write the session at most once a minute: enough precision, far fewer writes.
            if last is None or now - last >= 60:
                request.session["last_activity"] = now
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Everyone whose roles reach client data must pass a TOTP check in this session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            settings.REQUIRE_2FA
            and user is not None
            and user.is_authenticated
            and getattr(user, "needs_two_factor", False)
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_EXEMPT)
            # API tokens are only handed out after a verified session; DRF checks them itself.
            and not (_is_api(request) and "HTTP_AUTHORIZATION" in request.META)
        ):
            if _is_api(request):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": _("Two-factor authentication is required."),
                        "status": 403,
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            from django_otp import user_has_device

            target = "/account/2fa/verify/" if user_has_device(user) else "/account/2fa/setup/"
            return redirect(f"{target}?next={request.get_full_path()}")
        return self.get_response(request)


class OTPMiddleware(_OTPMiddleware):
    """django-otp's middleware, taking the session's device from the person's confirmed devices
    that `principal` loaded with the user (no query per request). The same checks apply: the
    device must belong to the user and be confirmed, or the session loses its verification."""

    def _verify_user_sync(self, request, user):
        devices = getattr(user, "confirmed_devices", None)
        if devices is None or not user.is_authenticated:
            return super()._verify_user_sync(request, user)
        self._init_user_fields(user)
        persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
        device = devices.get(self._normalize_persistent_id(persistent_id)) if persistent_id else None
        user.otp_device = self._finalize_device(request, user, device)
        return user


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages of signed-in users can hold client data: never keep them in any cache.
            response["Cache-Control"] = "no-store"
        return response
