"""The facts the policy decides on, remembered for one request (or one task) and no longer.

A decision about client data rests on facts read from the database: the user's role in the
client's active team, the client's consents for the user's organisation, the user's role in a
closed trajectory's former team, a researcher's place in a study's team or among its auditors,
the organisations an ambassador serves. One page asks the policy several times about the same
client (the record, the BSN, whether to offer "change"), so each fact is read once per request
and remembered here, keyed by (fact, user id, key).

The memo is a dict held in a context variable, so every request, thread, Celery task and test
has its own, and nothing is kept on the user object (which the principal cache shares between
requests):

- `RequestIdMiddleware` opens a fresh scope for every request, also for the streaming of its
  response, and closes it at the end;
- a Celery task runs in a scope of its own (`task_prerun`/`task_postrun`, see
  `connect_celery_signals`), or in the scope of the request that ran it eagerly;
- `with scope(): …` opens one anywhere else (a test, a command's unit of work).

Outside a scope nothing is remembered: every question reads the database.

A service that changes a fact (team membership, a trajectory's status, consent, a study's
researchers or auditors, an ambassador's appointment) calls `forget(facts=…)` after the change,
so that the rest of the request decides on the new state.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

T = TypeVar("T")

# The facts, each with what its key is.
TEAM_ROLE = "team_role"  # client id → the user's lowest role in the client's active team, or None
CONSENTS = "consents"  # (client id, organisation id) → the categories the client consents to
FORMER_ROLE = "former_role"  # trajectory id → the user's role in its (closed) team, or None
STUDY_RESEARCHER = "study_researcher"  # study id → in the study's research team?
STUDY_AUDITOR = "study_auditor"  # study id → one of the study's auditors?
AMBASSADOR_ORGS = "ambassador_orgs"  # None → the organisations the user is ambassador of
FACTS = frozenset(
    {TEAM_ROLE, CONSENTS, FORMER_ROLE, STUDY_RESEARCHER, STUDY_AUDITOR, AMBASSADOR_ORGS}
)

_memo: contextvars.ContextVar[dict[tuple[str, Any, Any], Any] | None] = contextvars.ContextVar(
    "werkbrug_policy_memo", default=None
)
MISSING: Any = object()
# A page remembers a handful of facts; a task that decides about every client of a region would
# otherwise keep them all.
MAX_FACTS = 10_000


def _user_id(user: Any) -> Any:
    return user if user is None or isinstance(user, int) else user.pk


def active() -> bool:
    """Is a scope open (are facts remembered)?"""
    return _memo.get() is not None


def known(fact: str, user: Any, key: Any) -> bool:
    memo = _memo.get()
    return memo is not None and (fact, _user_id(user), key) in memo


def get(fact: str, user: Any, key: Any, default: Any = MISSING) -> Any:
    """The remembered fact, or `default` (`MISSING` unless given) when it is not remembered."""
    memo = _memo.get()
    return default if memo is None else memo.get((fact, _user_id(user), key), default)


def remember(fact: str, user: Any, key: Any, value: T) -> T:
    """Keep `value` for the rest of the scope (nothing outside a scope); returns it."""
    memo = _memo.get()
    if memo is not None:
        if len(memo) >= MAX_FACTS:
            memo.clear()  # a long task deciding about many clients: bounded memory, facts read again
        memo[(fact, _user_id(user), key)] = value
    return value


def recall(fact: str, user: Any, key: Any, read: Callable[[], T]) -> T:
    """The remembered fact, or `read()`'s answer, remembered."""
    value = get(fact, user, key)
    return remember(fact, user, key, read()) if value is MISSING else value


def forget(user: Any = None, /, *, facts: Iterable[str] = FACTS) -> None:
    """Drop the remembered `facts` (all by default) of `user` (a user or an id), or of everyone
    when no user is named. Services call it after a write that changes a fact; everyone's,
    because a change to one client's team or consent changes the facts of each of its members."""
    facts = frozenset(facts)
    unknown = facts - FACTS
    if unknown:
        raise ValueError(f"no such policy facts: {sorted(unknown)}")
    memo = _memo.get()
    if not memo:
        return
    user_id = _user_id(user)
    for entry in [e for e in memo if e[0] in facts and (user is None or e[1] == user_id)]:
        del memo[entry]


def size() -> int:
    """How many facts the current scope holds (0 outside a scope)."""
    return len(_memo.get() or ())


@contextmanager
def scope() -> Iterator[None]:
    """A fresh, empty memo for the block; the one around it (if any) comes back afterwards."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def streamed(chunks: Iterable[bytes]) -> Iterator[bytes]:
    """A streamed response's chunks, produced in a scope of their own: they are made after the
    request's scope has closed (an export reads and decides while the server sends it)."""
    token = _memo.set({})
    try:
        yield from chunks
    finally:
        try:
            _memo.reset(token)
        except ValueError:  # closed from another context
            _memo.set(None)


# --- Celery -------------------------------------------------------------------------------------

_task_tokens: dict[str, contextvars.Token] = {}


def _task_started(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    # A task run eagerly inside a request shares the request's scope, so that what it changes is
    # forgotten there too; a task in a worker gets a fresh one.
    if _memo.get() is None and task_id is not None:
        _task_tokens[task_id] = _memo.set({})


def _task_ended(task_id: str | None = None, **kwargs: Any) -> None:
    token = _task_tokens.pop(task_id, None) if task_id is not None else None
    if token is not None:
        try:
            _memo.reset(token)
        except ValueError:  # ended in another context than it started in
            _memo.set(None)


def connect_celery_signals() -> None:
    from celery.signals import task_postrun, task_prerun

    task_prerun.connect(
        _task_started, dispatch_uid="werkbrug.core.policy.memo.task_prerun", weak=False
    )
    task_postrun.connect(
        _task_ended, dispatch_uid="werkbrug.core.policy.memo.task_postrun", weak=False
    )
