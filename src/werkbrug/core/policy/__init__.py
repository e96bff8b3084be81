"""The one access policy: "may this user do this action on this object?"

Every web page, API endpoint, command and task asks here and nowhere else. Rules are plain
functions registered per action name (`"plan.agree"`, `"client.view"` …) in the modules of this
package, one module per domain, so that the whole policy can be read in one folder.

- `decide(user, action, obj)` returns a `Decision` and has no side effects;
- `can(user, action, obj)` is its yes/no, for templates and menus;
- `authorize(user, action, obj)` is what views call: it writes the access-log record when the
  decision concerns client-level data (granted *or* denied — exactly one record per call) and
  raises `Http404` on denial about a named object (missing and forbidden look the same) or where
  the rule says existence would leak, else `PermissionDenied` (a whole page refused). Within
  one request, the same granted check (user, action, object) is logged once: a write view
  checks before it reads its input, and the service it calls checks again;
- `scope(user, action, queryset)` narrows a list to what the user may see, in the database.

The facts rules read from the database (team roles, consents, study and ambassador places) are
remembered for one request or task in `memo`, and forgotten there by the services that change them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

if TYPE_CHECKING:
    from ..models import User

__all__ = ["Decision", "Refused", "authorize", "can", "check", "decide", "rule", "scope", "scope_rule", "DENY", "ALLOW"]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    # Set for client-level data, which makes `authorize` write an access-log record.
    client: Any = None
    category: str = ""
    code: str = "R"
    purpose: str = ""
    role: str = ""
    relation: bool = False
    consent: bool = False
    emergency: bool = False
    # Answer 404 rather than 403 when denied, so the answer does not reveal that it exists.
    hide: bool = True
    # Log even without a client (e.g. reading the access log itself).
    log: bool = False
    # Further data categories the same access covers (the intake's sections): each is logged as
    # a record of its own, in the same INSERT, so that the log names every kind of data touched.
    more_categories: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return self.allowed

    def with_code(self, code: str) -> Decision:
        return replace(self, code=code)


class Refused(Http404, PermissionDenied):
    """A refusal about a named object. Pages and the API answer it as not found, since a 403
    would tell the asker that the object exists; code that handles refusals still sees a
    `PermissionDenied`."""


ALLOW = Decision(True)
DENY = Decision(False, reason="no rule allows this")

Rule = Callable[["User", Any], Decision]
Scope = Callable[["User", QuerySet], QuerySet]
_RULES: dict[str, Rule] = {}
_SCOPES: dict[str, Scope] = {}
RULE_MODULES = [
    "core",
    "clients",
    "trajectories",
    "plans",
    "portal",
    "collaboration",
    "employment",
    "ambassadors",
    "experience_experts",
    "knowledge_map",
    "evaluations",
    "reporting",
    "notifications",
    "casefile",
    "administration",
    "appointments",
    "interchange",
]


def rule(*actions: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        for action in actions:
            if action in _RULES:
                raise RuntimeError(f"a rule for {action!r} is registered twice")
            _RULES[action] = func
        return func

    return register


def scope_rule(*actions: str) -> Callable[[Scope], Scope]:
    def register(func: Scope) -> Scope:
        for action in actions:
            _SCOPES[action] = func
        return func

    return register


def load_rules() -> None:
    for name in RULE_MODULES:
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise


def registered_actions() -> list[str]:
    return sorted(_RULES)


def decide(user: User | None, action: str, obj: Any = None) -> Decision:
    if user is None or not user.is_authenticated or not user.is_active:
        return Decision(False, reason="not signed in", hide=False)
    try:
        func = _RULES[action]
    except KeyError:
        raise LookupError(f"no policy rule for action {action!r}") from None
    return func(user, obj)


def can(user: User | None, action: str, obj: Any = None) -> bool:
    return decide(user, action, obj).allowed


def authorize(user: User, action: str, obj: Any = None) -> Decision:
    """Decide, log client-data access (granted or denied), and raise on denial."""
    decision = decide(user, action, obj)
    if (decision.client is not None or decision.log) and not _granted_before(user, action, obj, decision):
        from ..access_log import access_log_write

        client = decision.client
        write = access_log_write
        if not decision.allowed:
            from django.db import connection

            from ..context import pending_denials

            pending = pending_denials.get()
            if pending is not None and connection.in_atomic_block:
                write = lambda **record: pending.append(record)  # noqa: E731 — see context.py
        write(
            actor=user,
            code=decision.code,
            action=action,
            granted=decision.allowed,
            client_pseudonym=getattr(client, "pseudonym", "") if client is not None else "",
            data_category=decision.category,
            more_categories=decision.more_categories,
            # A rule's object may stand for a model instance (`logged_object`), e.g. a part of it.
            obj=logged if hasattr(logged := getattr(obj, "logged_object", obj), "_meta") else None,
            purpose=decision.purpose,
            role=decision.role,
            relation=decision.relation,
            consent=decision.consent,
            emergency=decision.emergency,
            region_id=getattr(client, "region_id", None) if client is not None else None,
        )
    if not decision.allowed:
        # A refusal about a named object looks like a missing one, whatever the rule says: a 403
        # would tell the asker the object exists. Only refusals of a whole page (no object) are 403.
        if decision.hide:
            raise Http404
        if hasattr(obj, "_meta"):
            raise Refused(decision.reason)
        raise PermissionDenied(decision.reason)
    return decision


def _granted_before(user: User, action: str, obj: Any, decision: Decision) -> bool:
    """Whether this request was already granted this very check (then it is not logged again);
    remembers a granted check for the rest of the request."""
    from ..context import granted_checks

    granted = granted_checks.get()
    if granted is None or not decision.allowed:
        return False
    meta = getattr(obj, "_meta", None)
    key = (user.pk, action, meta.label if meta else type(obj).__name__, getattr(obj, "pk", None) if meta else None)
    if key in granted:
        return True
    granted.add(key)
    return False


def check(user: User, action: str, obj: Any = None) -> None:
    """Check first, for a write whose service authorizes (and logs) the request itself.

    A write view calls this on the object it names before it parses any input. Refused: exactly
    as `authorize` (the refusal logged, 404 for a named object). Allowed: nothing is logged here,
    because the service the view goes on to call writes the one record of the request."""
    if not can(user, action, obj):
        authorize(user, action, obj)


def scope(user: User, action: str, queryset: QuerySet) -> QuerySet:
    """The part of `queryset` the user may see for `action` (empty when no scope allows it)."""
    if not user.is_authenticated:
        return queryset.none()
    func = _SCOPES.get(action)
    if func is None:
        raise LookupError(f"no policy scope for action {action!r}")
    return func(user, queryset)
