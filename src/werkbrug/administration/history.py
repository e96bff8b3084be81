"""An audit event's before and after in words, for the audit trail page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, User

from .models import AdministrationEvent


def _labels() -> dict[str, str]:
    return {
        "name": _("Name"), "short_name": _("Short name"), "type": _("Kind of organisation"),
        "website": _("Website"), "email": _("E-mail address"), "phone": _("Phone number"),
        "first_name": _("First name"), "last_name": _("Last name"), "organisation_id": _("Organisation"),
        "job_title": _("Job title"), "roles": _("Roles"), "two_factor": _("Two-factor sign-in required"),
        "subject": _("Identifier at the sign-in provider (sub)"), "label": _("Description"),
        "is_active": _("Active"), "api_tokens_revoked": _("API tokens revoked"),
        "reason": _("Reason"), "set_password_link": _("Link to choose a password sent"),
        "ambassador": _("Ambassador questions"), "coordinated_experts": _("Experience experts coordinated"),
        "coordinator": _("New coordinator"), "expert_requests": _("Deployment requests"),
        "expert_profile_active": _("Experience-expert profile active"), "calendar_feed": _("Calendar feed"),
    }


def _names(ids) -> dict[int, str]:
    return {p.pk: p.get_full_name() for p in User.objects.filter(pk__in=[i for i in ids if isinstance(i, int)])}


def _numbers(ids) -> str:
    return ", ".join(f"#{i}" for i in ids) or "—"


def _handed_over(name: str, value: Any) -> str | None:
    """The positions a deactivation handed over, in words (questions and requests by number)."""
    if name == "ambassador" and isinstance(value, dict):
        if "open_questions" in value:
            return _numbers(value["open_questions"])
        holders = value.get("questions", {})
        ids = [int(h.split(":")[1]) for h in holders.values() if ":" in h]
        names = _names(ids)
        parts = []
        for question, holder in holders.items():
            kind, _sep, pk = holder.partition(":")
            who = names.get(int(pk), "—") if pk.isdigit() else str(_("nobody"))
            parts.append(f"#{question} → {who}" + (f" ({_('fallback')})" if kind == "fallback" else ""))
        return "; ".join(parts) or "—"
    if name == "coordinated_experts" and isinstance(value, list):
        names = _names(value)
        return ", ".join(names.get(i, str(i)) for i in value) or "—"
    if name == "coordinator":
        return _names([value]).get(value, "—") if value else str(_("nobody"))
    if name == "expert_requests":
        if isinstance(value, dict):
            return "; ".join([f"{_('open again')}: {_numbers(value.get('reopened', []))}",
                              f"{_('cancelled')}: {_numbers(value.get('cancelled', []))}"])
        return _numbers(value)
    return None


def _value(name: str, value: Any) -> str:
    described = _handed_over(name, value)
    if described is not None:
        return described
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "roles":
        labels = dict(Role.choices)
        return ", ".join(str(labels.get(role, role)) for role in value) or "—"
    if name == "type":
        return str(dict(OrganisationType.choices).get(value, value))
    if name == "organisation_id":
        organisation = Organisation.objects.filter(pk=value).first()
        return organisation.name if organisation else str(value)
    return str(value)


def describe(event: AdministrationEvent) -> list[tuple[str, str, str]]:
    """[(what, before, after)] for the fields the event records."""
    if event.action == "handed_over":
        return _describe_hand_over(event)
    labels = _labels()
    names = list(dict.fromkeys([*event.before, *event.after]))
    return [(labels.get(name, name), _value(name, event.before.get(name)) if name in event.before else "",
             _value(name, event.after.get(name)) if name in event.after else "") for name in names]


def _describe_hand_over(event: AdministrationEvent) -> list[tuple[str, str, str]]:
    people = {p.pk: p.get_full_name() for p in User.objects.filter(
        pk__in=[v.get("person") for v in event.after.values() if isinstance(v, dict) and v.get("person")])}
    rows = []
    for trajectory, after in event.after.items():
        before = event.before.get(trajectory, {})
        place = _("plan director") if before.get("plan_director") else _("team member")
        kind = after.get("kind")
        if kind == "leave":
            outcome = _("left the team")
        elif kind == "appoint":
            outcome = _("%(name)s appointed plan director") % {"name": people.get(after.get("person"), "—")}
        else:
            outcome = _("taken over by %(name)s") % {"name": people.get(after.get("person"), "—")}
        rows.append((_("Trajectory %(number)s") % {"number": trajectory}, str(place), outcome))
    return rows
