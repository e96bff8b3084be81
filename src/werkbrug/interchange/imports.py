"""Getting started: importing organisations, people with their roles, and clients (with the
evidence of their consent) from a CSV or XLSX file, with a dry run and line-numbered errors.

Every line goes through the same service as the pages (`organisation_create`, `person_invite`,
`client_register_and_start`, `consent_grant_many`), so the same rules, audit trail, access log
and invitation mails apply. The whole file is one transaction: when any line is wrong nothing is
written, and a dry run writes nothing either (mails wait for the commit, so none are sent).

Knowledge items have their own import in the knowledge map (`knowledge_map/services.py`).

A client line is a "Known in the region?" probe as well: each one is checked, logged and counted
against the professional's hourly limit exactly as the check in the pages, so that an import
cannot be used to find out who is known in the region. A region that brings in its caseloads
raises `known_checks_per_hour` in its settings for that period.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from werkbrug.core import policy
from werkbrug.core.choices import DataCategory, OrganisationType, Role
from werkbrug.core.models import Organisation, User
from werkbrug.core.tables import read_table


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    lines: int = 0
    created: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.errors and self.created > 0


@dataclass(frozen=True)
class Kind:
    label: Any
    action: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    handler: Callable[[User, dict, dict], Any]
    probe: Callable[[User, list, dict], list[LineError]] | None = None


def _choice(value: str, choices, column: str) -> str:
    """A code (`ggz`) or its Dutch or English label, case-insensitive."""
    wanted = (value or "").strip().lower()
    for code, label in choices:
        if wanted in (str(code).lower(), str(label).lower()):
            return code
    from django.utils import translation

    with translation.override("nl"):
        for code, label in choices:
            if wanted == str(label).lower():
                return code
    raise ValidationError({column: ValidationError(_("Unknown value: %(value)s") % {"value": value[:60]},
                                                   code="choice")})


def _list(value: Any) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|]", str(value or "")) if part.strip()]


def _date(value: Any, column: str) -> date | None:
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            parsed = datetime.strptime(text, pattern).date()  # noqa: DTZ007 — a date, no time of day
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    raise ValidationError({column: ValidationError(_("Write a date as 17-05-1990."), code="date")})


def _organisation(actor: User, name: Any, cache: dict) -> Organisation:
    key = str(name or "").strip().lower()
    if key not in cache.setdefault("organisations", {}):
        cache["organisations"][key] = (
            Organisation.objects.filter(region_id=actor.region_id).filter(name__iexact=key).first()
            or Organisation.objects.filter(region_id=actor.region_id, short_name__iexact=key).first() if key else None
        )
    found = cache["organisations"][key]
    if found is None:
        raise ValidationError({"organisatie": ValidationError(
            _("No organisation of this name in the region: %(name)s") % {"name": str(name)[:80]}, code="organisation")})
    return found


def _organisation_line(actor: User, row: dict, cache: dict) -> Any:
    from werkbrug.administration.services import organisation_create

    return organisation_create(
        actor=actor, name=row["naam"], short_name=row.get("korte_naam", ""),
        type=_choice(row["soort"], OrganisationType.choices, "soort"), website=row.get("website", ""),
        email=row.get("email", ""), phone=str(row.get("telefoon", "") or ""),
    )


def _person_line(actor: User, row: dict, cache: dict) -> Any:
    from werkbrug.administration.services import person_invite

    roles = [_choice(r, Role.choices, "rollen") for r in _list(row.get("rollen"))]
    return person_invite(
        actor=actor, first_name=row["voornaam"], last_name=row["achternaam"], email=row["email"],
        organisation=_organisation(actor, row["organisatie"], cache), job_title=row.get("functie", ""),
        phone=str(row.get("telefoon", "") or ""), roles=roles,
    )


def _client_line(actor: User, row: dict, cache: dict) -> Any:
    from werkbrug.clients.models import Benefit, ConsentMethod
    from werkbrug.clients.services import consent_grant_many
    from werkbrug.trajectories.services import client_register_and_start

    born = _date(row["geboortedatum"], "geboortedatum")
    if born is None:
        raise ValidationError({"geboortedatum": ValidationError(_("Give the date of birth."), code="required")})
    method = _choice(row.get("toestemming_wijze") or "paper",
                     [(ConsentMethod.PAPER, _("paper")), (ConsentMethod.PAPER, "papier"),
                      (ConsentMethod.VERBAL, _("verbal")), (ConsentMethod.VERBAL, "mondeling")], "toestemming_wijze")
    evidence = str(row.get("toestemming_bewijs") or "").strip()
    if method == ConsentMethod.PAPER and not evidence:
        raise ValidationError({"toestemming_bewijs": ValidationError(
            _("Say where the signed consent is kept (e.g. the form's number)."), code="evidence")})
    categories = [_choice(c, DataCategory.choices, "toestemming") for c in _list(row.get("toestemming"))]
    if cache["known"].get(row["_line"]):
        raise ValidationError({"voornaam": ValidationError(
            _("This person may already be known in the region: register them in the pages, where you can ask to "
              "join their team."), code="possibly_known")})
    trajectory = client_register_and_start(
        registered_by=actor, role=row.get("rol") and _choice(row["rol"], Role.choices, "rol") or actor.primary_role,
        consent_method=method, consent_evidence=evidence,
        first_name=row["voornaam"], last_name=row["achternaam"], date_of_birth=born,
        bsn=str(row.get("bsn") or "").strip(), email=row.get("email", ""), phone=str(row.get("telefoon", "") or ""),
        address=row.get("adres", ""), postcode=row.get("postcode", ""), city=row.get("plaats", ""),
        benefit=_choice(row["uitkering"], Benefit.choices, "uitkering") if row.get("uitkering") else Benefit.NONE,
    )
    more = [c for c in categories if c != DataCategory.PARTICIPATION]
    if more:
        consent_grant_many(client=trajectory.client, organisation=actor.organisation, categories=more,
                           recorded_by=actor, method=method, given_on=_date(row.get("toestemming_datum"),
                                                                           "toestemming_datum"),
                           evidence=evidence)
    return trajectory


def _probe_clients(actor: User, table_rows: list[tuple[int, dict]], cache: dict) -> list[LineError]:
    """Each client line as one "Known in the region?" check, before the import's transaction:
    its access-log record stays even when the import is a dry run or is refused."""
    from werkbrug.clients.services import KnownCheckLimit, known_check

    cache["known"] = {}
    for line, row in table_rows:
        try:
            born = _date(row.get("geboortedatum"), "geboortedatum")
        except ValidationError:
            continue  # reported by the line itself
        if not row.get("voornaam") or not row.get("achternaam") or born is None:
            continue
        try:
            cache["known"][line] = known_check(user=actor, first_name=str(row["voornaam"]),
                                               last_name=str(row["achternaam"]), date_of_birth=born).possibly_known
        except KnownCheckLimit as exc:
            return [LineError(line, "", str(exc))]
    return []


KINDS: dict[str, Kind] = {
    "organisations": Kind(gettext_lazy("Organisations"), "organisation.change", ("naam", "soort"),
                          ("korte_naam", "website", "email", "telefoon"), _organisation_line),
    "people": Kind(gettext_lazy("People and their roles"), "person.change",
                   ("voornaam", "achternaam", "email", "organisatie"), ("functie", "telefoon", "rollen"), _person_line),
    "clients": Kind(gettext_lazy("Clients, with their consent"), "client.register",
                    ("voornaam", "achternaam", "geboortedatum"),
                    ("bsn", "email", "telefoon", "adres", "postcode", "plaats", "uitkering", "rol", "toestemming",
                     "toestemming_wijze", "toestemming_bewijs", "toestemming_datum"), _client_line,
                    _probe_clients),
}


def may_import(user: User, kind: str) -> bool:
    return kind in KINDS and policy.can(user, KINDS[kind].action, None)


def _messages(exc: ValidationError) -> list[tuple[str, str]]:
    if hasattr(exc, "error_dict"):
        return [(column, message) for column, errors in exc.error_dict.items()
                for error in errors for message in error.messages]
    return [("", message) for message in exc.messages]


def import_table(*, actor: User, kind: str, upload, dry_run: bool) -> ImportResult:
    """Check first (may this person import this kind at all), then read the file, then each line."""
    spec = KINDS[kind]
    policy.authorize(actor, spec.action, None)
    result = ImportResult(kind=kind, dry_run=dry_run)
    try:
        table = read_table(upload)
    except ValidationError as exc:
        result.errors = [LineError(0, "", m) for m in exc.messages]
        return result
    missing = [c for c in spec.required if c not in table.header]
    unknown = [c for c in table.header if c not in spec.required + spec.optional]
    for column in missing:
        result.errors.append(LineError(1, column, _("This column is missing.")))
    for column in unknown:
        result.errors.append(LineError(1, column, _("Unknown column.")))
    if result.errors:
        return result
    result.lines = len(table.rows)
    cache: dict = {}
    if spec.probe is not None:
        result.errors = spec.probe(actor, table.rows, cache)
        if result.errors:
            return result
    with transaction.atomic():
        for line, row in table.rows:
            blank = [c for c in spec.required if row.get(c) in ("", None)]
            if blank:
                result.errors += [LineError(line, c, _("This cell is empty.")) for c in blank]
                continue
            try:
                with transaction.atomic():
                    spec.handler(actor, {**row, "_line": line}, cache)
            except ValidationError as exc:
                result.errors += [LineError(line, column if column != "__all__" else "", message)
                                  for column, message in _messages(exc)]
            except PermissionDenied as exc:
                result.errors.append(LineError(line, "", str(exc) or _("You may not do this.")))
            else:
                result.created += 1
        if result.errors or dry_run:
            transaction.set_rollback(True)
    return result
