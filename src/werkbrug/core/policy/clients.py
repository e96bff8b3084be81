"""Rules for client-level data: team relation × consent per organisation and category.

Least privilege (domain rules): a professional sees a client only as a member of that client's
team, and only the categories the client consented to for the professional's organisation. The
client always sees their own file. Everyone else — managers, researchers, ambassadors — reads
client data only through the aggregate or pseudonymised routes of their own modules.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from ..choices import BSN_LEGAL_BASIS, CASEWORK_ROLES, DataCategory, OrganisationType, Role
from ..sql import prepared_cursor
from . import ALLOW, Decision, memo, rule, scope_rule
from .memo import forget  # the one invalidation, also under its old name here

if TYPE_CHECKING:
    from werkbrug.clients.models import Client

    from ..models import User


# The two facts under every decision about client data — the user's roles in the client's active
# teams, the categories the client consents to for the user's organisation — as two scalar
# subqueries in SQL, each folding its rows into one comma-separated column. Built with the ORM
# (querysets, a UNION, Subquery/OuterRef) they cost about 1 ms of Python per decision to resolve and
# compile, several times the query itself; the policy sits on every client-data request. Table and
# column names come from the models, every value is a parameter.
#
# (Reading the facts as extra columns of the client's own query was measured too: the ORM's
# annotate() and the correlated subplans cost more CPU than this separate small query saves.)
_facts_sql: dict[str, tuple[str, str]] = {}


def _decision_facts_sql(connection) -> tuple[str, str]:
    """(roles, consents). Parameters: roles (user, client, "active"); consents (client,
    organisation, True, today)."""
    key = connection.vendor
    if key not in _facts_sql:
        from werkbrug.clients.models import ConsentState, current_consent_sql
        from werkbrug.trajectories.models import TeamMembership, Trajectory

        from ..sql import string_agg_function

        agg = string_agg_function(connection.vendor)
        qn = connection.ops.quote_name

        def column(model, name: str) -> str:
            return qn(model._meta.get_field(name).column)

        # A client has at most one active trajectory (constraint `trajectory_one_active_per_client`),
        # so the trajectory is a scalar subquery: PostgreSQL plans that in half the time of a join.
        active_trajectory = (
            f"SELECT t.{column(Trajectory, 'id')} FROM {qn(Trajectory._meta.db_table)} t "  # noqa: S608
            f"WHERE t.{column(Trajectory, 'client')} = %s AND t.{column(Trajectory, 'status')} = %s"
        )
        roles = (
            f"SELECT {agg}(tm.{column(TeamMembership, 'role')}, ',') "  # noqa: S608 — names only
            f"FROM {qn(TeamMembership._meta.db_table)} tm "
            f"WHERE tm.{column(TeamMembership, 'person')} = %s AND tm.{column(TeamMembership, 'left_at')} IS NULL "
            f"AND tm.{column(TeamMembership, 'trajectory')} = ({active_trajectory})"
        )
        # "Current" as `ConsentState.objects.current()` defines it (`current_consent_sql`).
        current = current_consent_sql(f"cs.{column(ConsentState, 'granted')}", f"cs.{column(ConsentState, 'valid_until')}")
        consents = (
            f"SELECT {agg}(cs.{column(ConsentState, 'category')}, ',') "  # noqa: S608 — names only
            f"FROM {qn(ConsentState._meta.db_table)} cs "
            f"WHERE cs.{column(ConsentState, 'client')} = %s "
            f"AND cs.{column(ConsentState, 'organisation')} = %s AND {current}"
        )
        _facts_sql[key] = (roles, consents)
    return _facts_sql[key]


def _today(connection):
    return connection.ops.adapt_datefield_value(timezone.localdate())


def _min_role(joined: str | None) -> str | None:
    return min(joined.split(","), default=None) if joined else None


def _categories(joined: str | None) -> frozenset[str]:
    return frozenset(joined.split(",")) if joined else frozenset()


def _membership_role(user: User, client: Client) -> str | None:
    """The user's role in one of the client's active teams, or None. Remembered for the request
    (`memo`).

    The same round trip also reads the client's consents for the user's organisation: every
    decision about client data needs both, so one query answers both (the policy sits on every
    client-data request).
    """
    role = memo.get(memo.TEAM_ROLE, user, client.pk)
    if role is not memo.MISSING:
        return role
    from django.db import connection

    roles_sql, consents_sql = _decision_facts_sql(connection)
    consents_key = (client.pk, user.organisation_id)
    with_consents = user.organisation_id is not None and not memo.known(memo.CONSENTS, user, consents_key)
    params = [user.pk, client.pk, "active"]
    if with_consents:
        sql = f"SELECT ({roles_sql}), ({consents_sql})"
        params += [client.pk, user.organisation_id, True, _today(connection)]
    else:
        sql = f"SELECT ({roles_sql})"
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if with_consents:
        memo.remember(memo.CONSENTS, user, consents_key, _categories(row[1]))
    return memo.remember(memo.TEAM_ROLE, user, client.pk, _min_role(row[0]))


_client_with_facts_sql: dict[str, tuple[str, list[str]]] = {}


def client_with_facts(user: User, pk: int) -> Client | None:
    """The client with primary key `pk` (None when there is none) and, in the same round trip,
    the two facts every decision about that client needs for `user`: their roles in its active
    team and its consents for their organisation, remembered for the request (`memo`).

    A page about one client reads the client first and decides next; reading the facts as two
    uncorrelated subqueries of that read (every value a parameter, so PostgreSQL runs each once)
    saves the decision its own round trip. For users the facts do not apply to (clients, people
    without an organisation) it is the plain read.
    """
    from django.db import connection

    from werkbrug.clients.models import Client

    if not user.is_professional or user.organisation_id is None:
        return next(iter(Client.objects.filter(pk=pk).order_by()[:1]), None)
    low, high = connection.ops.integer_field_range(Client._meta.pk.get_internal_type())
    if not (low is None or low <= pk) or not (high is None or pk <= high):
        return None  # as the ORM answers an id the column cannot hold: no such client
    if connection.vendor not in _client_with_facts_sql:
        roles_sql, consents_sql = _decision_facts_sql(connection)
        qn = connection.ops.quote_name
        fields = Client._meta.concrete_fields
        columns = ", ".join(f"c.{qn(f.column)}" for f in fields)
        sql = (
            f"SELECT {columns}, ({roles_sql}) AS wb_roles, ({consents_sql}) AS wb_consents "  # noqa: S608 — names only
            f"FROM {qn(Client._meta.db_table)} c WHERE c.{qn(Client._meta.pk.column)} = %s"
        )
        _client_with_facts_sql[connection.vendor] = (sql, [f.attname for f in fields])
    sql, attnames = _client_with_facts_sql[connection.vendor]
    params = [user.pk, pk, "active", pk, user.organisation_id, True, _today(connection), pk]
    if connection.vendor == "postgresql":
        # psycopg returns every column of a client as the model keeps it: no converters needed.
        with prepared_cursor(connection) as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        client = Client.from_db(connection.alias, attnames, row[: len(attnames)])
        roles, consents = row[len(attnames):]
    else:
        # Elsewhere (SQLite) the ORM's raw query converts the columns (dates come as text).
        client = next(iter(Client.objects.raw(sql, params)), None)
        if client is None:
            return None
        roles, consents = client.__dict__.pop("wb_roles"), client.__dict__.pop("wb_consents")
    memo.remember(memo.TEAM_ROLE, user, client.pk, _min_role(roles))
    memo.remember(memo.CONSENTS, user, (client.pk, user.organisation_id), _categories(consents))
    return client


def consented_categories(client: Client, organisation_id: int | None, user: User | None = None) -> frozenset[str]:
    """Categories the client currently consents to for this organisation (remembered for the
    request when asked for a decision of `user`)."""
    if organisation_id is None:
        return frozenset()

    def read() -> frozenset[str]:
        from django.db import connection

        _roles_sql, consents_sql = _decision_facts_sql(connection)
        with prepared_cursor(connection) as cursor:
            cursor.execute(f"SELECT ({consents_sql})", [client.pk, organisation_id, True, _today(connection)])
            return _categories(cursor.fetchone()[0])

    if user is None:
        return read()
    return memo.recall(memo.CONSENTS, user, (client.pk, organisation_id), read)


def is_own_file(user: User, client: Client) -> bool:
    return user.is_client and client.user_id == user.pk


def client_data(user: User, client: Client, category: str, *, code: str = "R") -> Decision:
    """May `user` work with `category` data of `client`? The one question under most rules."""
    if is_own_file(user, client):
        return Decision(
            True, client=client, category=category, code=code, purpose="own file",
            role="client", relation=True, consent=True,
        )
    if not user.is_professional or user.region_id != client.region_id:
        return Decision(False, reason="not in this region", client=client, category=category, code=code)
    role = _membership_role(user, client)
    consent = category in consented_categories(client, user.organisation_id, user)
    allowed = role is not None and consent
    reason = "" if allowed else ("not in the client's team" if role is None else "no consent")
    return Decision(
        allowed,
        reason=reason,
        client=client,
        category=category,
        code=code,
        purpose="team member" if role else "",
        role=role or user.primary_role,
        relation=role is not None,
        consent=consent,
    )


@rule("client.view")
def view_client(user: User, client: Client) -> Decision:
    return client_data(user, client, DataCategory.PARTICIPATION)


@rule("client.change")
def change_client(user: User, client: Client) -> Decision:
    if user.is_client:
        return Decision(False, reason="clients change their details through their team", client=client,
                        category=DataCategory.PARTICIPATION, code="U")
    return client_data(user, client, DataCategory.PARTICIPATION, code="U")


@rule("client.view_bsn")
def view_bsn(user: User, client: Client) -> Decision:
    decision = client_data(user, client, DataCategory.PARTICIPATION)
    if decision.allowed and not is_own_file(user, client):
        organisation = user.organisation
        if organisation is None or organisation.type not in BSN_LEGAL_BASIS:
            return Decision(
                False, reason="no legal basis for the BSN", client=client,
                category=DataCategory.PARTICIPATION, relation=True, consent=True, hide=False,
            )
    return decision


@rule("client.register")
def register_client(user: User, _obj: object) -> Decision:
    from ..choices import CASEWORK_ROLES

    return ALLOW if user.is_professional and user.roles & CASEWORK_ROLES else Decision(False, hide=False)


@rule("client.known_check")
def known_check(user: User, _obj: object) -> Decision:
    """"Known in the region?": a professional in a casework role asks whether a person with a name
    and date of birth may already have a file in their region. The answer names nobody; the
    question is a probe, so every one is logged (one record, with the matched client's pseudonym
    when there is one: the client sees in the portal that someone asked) and rate limited
    (`clients.known`)."""
    allowed = user.is_professional and user.region_id is not None and bool(user.roles & CASEWORK_ROLES)
    return Decision(allowed, reason="" if allowed else "casework roles only", code="R",
                    category=DataCategory.PARTICIPATION, purpose="known in the region?", role=user.primary_role,
                    hide=False, log=True)


@rule("join_request.view")
def view_join_request(user: User, request) -> Decision:
    return decide_join_request(user, request).with_code("R")


@rule("join_request.decide")
def decide_join_request(user: User, request) -> Decision:
    """The plan director of the requested file answers a request to join (a closed file's plan
    director reads it from the archive; adding needs the file reopened first)."""
    from .trajectories import view_trajectory

    trajectory = request.trajectory
    decision = view_trajectory(user, trajectory).with_code("U")
    if decision.allowed and trajectory.plan_director_id != user.pk:
        return replace(decision, allowed=False, reason="plan director only")
    return decision


@rule("client.merge")
def merge_clients(user: User, client: Client) -> Decision:
    """The region administrator merges two files of one person (both of their region). The
    region administrator is in no team: the merge logs what they see (name, date of birth, the
    number of trajectories) as `participation`, purpose "merge"."""
    allowed = (user.is_professional and Role.REGION_ADMIN in user.roles and client.region_id == user.region_id
               and client.merged_into_id is None and client.anonymised_at is None)
    return Decision(allowed, reason="" if allowed else "region administrator of the client's region only",
                    client=client, category=DataCategory.PARTICIPATION, code="U", purpose="merge",
                    role=Role.REGION_ADMIN if allowed else user.primary_role, relation=allowed, consent=allowed)


@rule("client.merge_page")
def merge_page(user: User, _obj: object) -> Decision:
    allowed = user.is_professional and Role.REGION_ADMIN in user.roles and user.region_id is not None
    return ALLOW if allowed else Decision(False, reason="region administrators only", hide=False)


@rule("consent.view")
def view_consent(user: User, client: Client) -> Decision:
    return client_data(user, client, DataCategory.PARTICIPATION)


@dataclass(frozen=True)
class ConsentChange:
    """A consent to give or withdraw: the client, the organisation it is for, the data category."""

    client: Client
    organisation_id: int
    category: str


# Categories a professional records for their own organisation before being in the client's
# team: taking part (the consent that lets a team member add them) and research (a study's
# institute has no team). Neither shows them anything by itself.
_BEFORE_JOINING = frozenset({DataCategory.PARTICIPATION, DataCategory.RESEARCH})


def _change_consent(user: User, change: ConsentChange, code: str) -> Decision:
    """Consent belongs to the client: the client gives and withdraws it for any organisation (in
    the portal); a professional records only what the client said to THEIR OWN organisation —
    as a member of the client's team, or, for taking part or research, as a professional of the
    client's region in a role that does that work. Nobody records or withdraws consent for
    another organisation. Recording needs the relation, not consent (that is what is given).
    """
    client, category = change.client, change.category
    if is_own_file(user, client):
        return Decision(True, client=client, category=category, code=code, purpose="own file",
                        role="client", relation=True, consent=True)
    if not user.is_professional or user.region_id != client.region_id or user.organisation_id is None:
        return Decision(False, reason="not in this region", client=client, category=category, code=code)
    role = _membership_role(user, client)
    facts = {"client": client, "category": category, "code": code, "role": role or user.primary_role,
             "relation": role is not None}
    if change.organisation_id != user.organisation_id:
        # A team member sees the client, so the refusal need not hide it.
        return Decision(False, reason="consent for another organisation", hide=role is None, **facts)
    if role is None:
        organisation = user.organisation
        joins = category == DataCategory.PARTICIPATION and bool(user.roles & CASEWORK_ROLES)
        studies = category == DataCategory.RESEARCH and organisation.type == OrganisationType.RESEARCH
        if category not in _BEFORE_JOINING or not (joins or studies):
            return Decision(False, reason="not in the client's team", **facts)
    return Decision(True, purpose="recording consent", consent=False, **facts)


def consent_organisations(user: User, client: Client, organisations: QuerySet) -> QuerySet:
    """The organisations (of `organisations`) `user` may give or record consent for, whatever
    the category: the client any of their region's, a professional only their own."""
    organisations = organisations.filter(region_id=client.region_id)
    if is_own_file(user, client):
        return organisations
    if not user.is_professional or user.organisation_id is None:
        return organisations.none()
    return organisations.filter(pk=user.organisation_id)


@rule("consent.record")
def record_consent(user: User, change: ConsentChange) -> Decision:
    """Give consent (the client) or record consent given (a professional, own organisation)."""
    return _change_consent(user, change, "U")


@rule("consent.manage")
def manage_consent(user: User, client: Client) -> Decision:
    """The consent page's and API's writes, checked before their input is read: the client, or a
    member of the client's team (the page shows the client, so nobody else may reach it; the
    service then decides the one change). A professional outside the team learns nothing, not
    even that the client exists."""
    decision = _change_consent(user, ConsentChange(client, user.organisation_id or 0, DataCategory.PARTICIPATION), "U")
    if decision.allowed and not decision.relation:
        return replace(decision, allowed=False, reason="not in the client's team", hide=True)
    return decision


@rule("consent.withdraw")
def withdraw_consent(user: User, change: ConsentChange) -> Decision:
    """Withdraw consent: the client for any organisation, a professional only their own."""
    return _change_consent(user, change, "U")


@scope_rule("client.view")
def visible_clients(user: User, queryset: QuerySet) -> QuerySet:
    if user.is_client:
        return queryset.filter(user=user)
    if not user.is_professional or user.region_id is None:
        return queryset.none()
    from werkbrug.clients.models import ConsentState

    # The same consent as `client_data`: current (given and not past its end date).
    consenting = ConsentState.objects.current().filter(
        organisation_id=user.organisation_id, category=DataCategory.PARTICIPATION,
    ).values("client_id")
    return queryset.filter(
        region_id=user.region_id,
        trajectories__status="active",
        trajectories__team__person=user,
        trajectories__team__left_at__isnull=True,
        pk__in=consenting,
    ).distinct()


__all__ = ["ConsentChange", "client_data", "consent_organisations", "consented_categories", "forget", "is_own_file", "Role"]
