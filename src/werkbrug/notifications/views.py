"""The inbox: a person's own notifications, filters by kind, read marks, and mail preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import InboxFilter, PreferencesForm
from .kinds import Kind


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = InboxFilter(request.GET or None)
    kind, unread = "", False
    if form.is_valid():
        kind, unread = form.cleaned_data["kind"], form.cleaned_data["unread"]
    page = Paginator(selectors.inbox(user=request.user, kind=kind, unread=unread), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/index.html", {"form": form, "page": page, "kind": kind})


@login_required
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification (from the inbox or a mail): mark it read and go to its page."""
    notification = selectors.notification_get(user=request.user, pk=pk, action="notification.change")
    services.notification_mark_read(user=request.user, notification=notification)
    if not url_has_allowed_host_and_scheme(notification.link, allowed_hosts=None):
        return redirect("notifications:index")
    return redirect(notification.link)


@login_required
@require_POST
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get(user=request.user, pk=pk, action="notification.change")
    services.notification_mark_read(user=request.user, notification=notification)
    return redirect(request.POST.get("next") if url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}) else "notifications:index")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind", "")
    count = services.notifications_mark_all_read(user=request.user, kind=kind if kind in Kind.values else "")
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("notifications:index")


@login_required
def unread(request: HttpRequest) -> JsonResponse:
    """The header badge's count, polled by a few lines of JavaScript."""
    return JsonResponse({"unread": selectors.unread_count(user=request.user)})


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = {kind: services.channel_for(request.user, kind) for kind in Kind.values}
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        for kind, channel in form.cleaned_data.items():
            services.preference_set(user=request.user, kind=kind, channel=channel)
        messages.success(request, _("Your choices are saved. Urgent signals are always mailed at once."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
