"""The main navigation per role. A module's entry shows once its `<app>:index` URL exists."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from werkbrug.core import policy
from werkbrug.core.choices import CASEWORK_ROLES, Role

if TYPE_CHECKING:
    from werkbrug.core.models import User


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: frozenset[str] | None = None  # None: every professional
    clients: bool = False  # shown to clients (portal) instead of professionals
    action: str = ""  # or a policy action that must be allowed


ITEMS = [
    NavItem(_("Home"), "web:home", clients=True),
    NavItem(_("Appointments"), "appointments:index", clients=True),
    NavItem(_("My portal"), "portal:index", frozenset(), clients=True),
    NavItem(_("My questionnaires"), "evaluations:my_questionnaires", frozenset(), clients=True),
    NavItem(_("Caseload"), "trajectories:index", CASEWORK_ROLES),
    NavItem(_("Incoming referrals"), "collaboration:index", CASEWORK_ROLES),
    NavItem(_("IPS outcomes"), "employment:index", CASEWORK_ROLES),
    NavItem(_("Ambassadors"), "ambassadors:index"),
    NavItem(_("Experience experts"), "experience_experts:index"),
    NavItem(_("Knowledge map"), "knowledge_map:index"),
    NavItem(_("Research"), "evaluations:index", frozenset({Role.RESEARCHER})),
    NavItem(_("Region dashboard"), "reporting:index",
            frozenset({Role.MANAGER, Role.PORTFOLIO_HOLDER, Role.REGION_ADMIN}),
            action="region_dashboard.view"),
    NavItem(_("Organisations"), "web:organisations"),
    NavItem(_("Merge client files"), "clients:merge", frozenset({Role.REGION_ADMIN}), action="client.merge_page"),
    NavItem(_("Access log"), "web:access_log", action="access_log.search"),
    NavItem(_("Region administration"), "administration:index", frozenset({Role.REGION_ADMIN}),
            action="administration.view"),
    NavItem(_("Hand-overs"), "administration:hand_overs", frozenset({Role.MANAGER}), action="handover.list"),
]


@lru_cache(maxsize=256)
def _url(url_name: str, script_prefix: str) -> str | None:
    """The entry's URL; the URL configuration does not change while the process runs, so each
    name is reversed once per script prefix instead of on every page."""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def items_for(user: User, current_path: str, counts: dict[str, int] | None = None) -> list[dict]:
    """The entries the person sees; `counts` (per URL name) is the open work shown beside them
    ("99+" past `my_work.CAP`: the lists are counted no further)."""
    from .my_work import count_shown

    counts = counts or {}
    result = []
    for item in ITEMS:
        if user.is_client:
            if not item.clients:
                continue
        else:
            if item.roles == frozenset() and item.clients:
                continue
            if item.roles is not None and not (user.roles & item.roles) and not user.is_superuser:
                continue
            if item.action and not policy.can(user, item.action):
                continue
        url = _url(item.url_name, get_script_prefix())
        if url is None:
            continue
        active = current_path == url if url == "/" else current_path.startswith(url)
        count = counts.get(item.url_name, 0)
        result.append({"label": item.label, "url": url, "active": active, "count": count,
                       "count_shown": count_shown(count)})
    return result


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":  # tests swap URL configurations
        _url.cache_clear()
