"""Identity warnings: questions to ambassadors carry no client identity.

While a professional types a question, the text is checked for things that identify a client:

- a citizen service number (BSN): nine digits that pass the eleven test — refused, never saved;
- a date that looks like a date of birth (a full date with a year at least 12 years ago);
- the name of one of the asker's own clients (a client in one of their active teams).

Dates and names are warnings: the asker may have a good reason (a date of a hearing, a common
surname that is not the client's), so they confirm before sending. A BSN is always refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from werkbrug.clients.bsn import find_bsns

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october"
)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({MONTHS})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
MIN_AGE_YEARS = 12


@dataclass(frozen=True)
class IdentityWarning:
    kind: str  # "bsn", "date_of_birth" or "client_name"
    excerpt: str
    blocking: bool

    @property
    def message(self) -> str:
        if self.kind == "bsn":
            return _("“%(x)s” looks like a citizen service number (BSN). Remove it: a question may not contain a BSN.") % {"x": self.excerpt}
        if self.kind == "date_of_birth":
            return _("“%(x)s” looks like a date of birth. Leave out anything that identifies the client.") % {"x": self.excerpt}
        return _("“%(x)s” is the name of one of your clients. Leave out anything that identifies the client.") % {"x": self.excerpt}

    def as_dict(self) -> dict:
        return {"kind": self.kind, "excerpt": self.excerpt, "blocking": self.blocking, "message": self.message}


def find_birth_dates(text: str, *, today: date) -> list[str]:
    found = []
    for match in NUMERIC_DATE.finditer(text):
        year = int(match.group(3))
        if 1900 <= year <= today.year - MIN_AGE_YEARS and 1 <= int(match.group(2)) <= 12 and 1 <= int(match.group(1)) <= 31:
            found.append(match.group(0))
    for match in ISO_DATE.finditer(text):
        year = int(match.group(1))
        if 1900 <= year <= today.year - MIN_AGE_YEARS and 1 <= int(match.group(2)) <= 12:
            found.append(match.group(0))
    for match in WORD_DATE.finditer(text):
        year = int(match.group(3))
        if 1900 <= year <= today.year - MIN_AGE_YEARS:
            found.append(match.group(0))
    return found


def find_client_names(text: str, names: Iterable[tuple[str, str]]) -> list[str]:
    """Client surnames (and full names) that occur in `text` as whole words, case-insensitively."""
    found: list[str] = []
    for first, last in names:
        for candidate in (f"{first} {last}", last):
            candidate = candidate.strip()
            if len(candidate) < 3:
                continue
            pattern = re.compile(rf"(?<!\w){re.escape(candidate)}(?!\w)", re.IGNORECASE)
            match = pattern.search(text)
            if match:
                found.append(match.group(0))
                break
    return sorted(set(found))


def identity_warnings(text: str, *, today: date, client_names: Iterable[tuple[str, str]] = ()) -> list[IdentityWarning]:
    text = text or ""
    warnings = [IdentityWarning("bsn", bsn, True) for bsn in find_bsns(text)]
    warnings += [IdentityWarning("date_of_birth", d, False) for d in find_birth_dates(text, today=today)]
    warnings += [IdentityWarning("client_name", n, False) for n in find_client_names(text, client_names)]
    return warnings
