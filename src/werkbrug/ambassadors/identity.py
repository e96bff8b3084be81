"""Identity guard: questions, answers and published Q&As carry no client identity.

One function, `find_identifying(text, *, region)`, is asked at every door — asking, following up,
answering and publishing, on the pages and in the API — and may be imported by other apps (it is
this module's public surface). It finds:

- a citizen service number (BSN): nine digits that pass the eleven test (`blocking`: always
  refused, never saved);
- a Werkbrug client number (the pseudonym, "C" and nine characters, see `clients.models`);
- a Dutch phone number (06-12345678, +31 6 12345678, 020-1234567, 0031 …);
- an address: a postcode with a house number (1234 AB 12) or a street with a number
  (Kerkstraat 12);
- a date that looks like a date of birth (a full date with a year at least 12 years ago);
- the name of any client of the region: a full name in any case, or a surname on its own when it
  is written with a capital (or, for the asker's own clients, in any case).

Everything but a BSN is a warning when asking, following up and answering: the writer may have a
good reason (a date of a hearing, a common surname that is not the client's) and confirms it
explicitly (the form's checkbox, the API's `confirm`). Publishing to the whole region allows
nothing: any finding refuses the Q&A.

The region's client names are read with one query per check and matched against the text's
word sequences in memory (a set lookup per sequence), not a pattern per name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.clients.bsn import find_bsns

__all__ = ["Finding", "find_identifying", "identity_warnings"]

MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october"
)
NUMERIC_DATE = re.compile(r"(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)")
ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
WORD_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({MONTHS})\.?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
MIN_AGE_YEARS = 12

# Client numbers: "C" and nine characters of `clients.models.PSEUDONYM_ALPHABET` (no I, O, 0, 1).
CLIENT_NUMBER = re.compile(r"(?<![A-Za-z0-9])C[A-HJ-NP-Z2-9]{9}(?![A-Za-z0-9])", re.IGNORECASE)
# Dutch phone numbers: 0, +31 or 0031 (optionally "(0)"), then nine digits with at most one space
# or dash between any two.
PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|0)[1-9](?:[\s-]?\d){8}(?![\d])")
# A postcode (four digits, not starting with 0, two capitals) followed by a house number.
POSTCODE_HOUSE = re.compile(r"(?<!\w)[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2},?\s+\d{1,5}(?:\s?[a-zA-Z](?![\w]))?(?![\w])")
STREET_HOUSE = re.compile(
    r"(?<!\w)[A-Z][a-zà-ÿ'-]*(?:straat|laan|weg|plein|gracht|kade|dijk|singel|dreef|steeg|hof|pad|markt|park)"
    r"\s+\d{1,5}(?:\s?[a-zA-Z](?!\w))?(?!\w)"
)
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
MAX_NAME_WORDS = 6
MIN_SURNAME = 3

KINDS = ("bsn", "client_number", "phone", "address", "date_of_birth", "client_name")


@dataclass(frozen=True)
class Finding:
    kind: str  # one of KINDS
    excerpt: str
    blocking: bool  # refused even when the writer confirms (a BSN)

    @property
    def message(self) -> str:
        x = {"x": self.excerpt}
        if self.kind == "bsn":
            return _("“%(x)s” looks like a citizen service number (BSN). Remove it: a question may not contain a BSN.") % x
        if self.kind == "client_number":
            return _("“%(x)s” looks like a client number. Leave out anything that identifies the client.") % x
        if self.kind == "phone":
            return _("“%(x)s” looks like a phone number. Leave out anything that identifies the client.") % x
        if self.kind == "address":
            return _("“%(x)s” looks like an address. Leave out anything that identifies the client.") % x
        if self.kind == "date_of_birth":
            return _("“%(x)s” looks like a date of birth. Leave out anything that identifies the client.") % x
        return _("“%(x)s” may be the name of a person. Leave out anything that identifies the client.") % x

    def as_dict(self) -> dict:
        return {"kind": self.kind, "excerpt": self.excerpt, "blocking": self.blocking, "message": self.message}


# The name under which the guard's results were known before (kept for callers and tests).
IdentityWarning = Finding


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


def find_client_numbers(text: str) -> list[str]:
    # Lower case or without a digit it is more likely a word ("Chauffeurs"); a pseudonym has a
    # digit in nine of ten cases and is written in capitals.
    return [m.group(0) for m in CLIENT_NUMBER.finditer(text)
            if any(c.isdigit() for c in m.group(0)) or m.group(0).isupper()]


def find_phone_numbers(text: str) -> list[str]:
    return [m.group(0).strip() for m in PHONE.finditer(text)]


def find_addresses(text: str) -> list[str]:
    return [m.group(0).strip() for m in (*POSTCODE_HOUSE.finditer(text), *STREET_HOUSE.finditer(text))]


def _norm(value: str) -> str:
    return " ".join(WORD.findall((value or "").lower()))


def find_client_names(text: str, names: Iterable[tuple[str, str]], *, own: Iterable[tuple[str, str]] = ()) -> list[str]:
    """Client names in `text` as whole words: a full name in any case; a surname alone when it is
    capitalised in the text, or in any case for `own` clients (the writer's own)."""
    full: set[str] = set()
    capitalised_surnames: set[str] = set()
    any_case_surnames: set[str] = set()
    for group, surnames in ((names, capitalised_surnames), (own, any_case_surnames)):
        for first, last in group:
            whole, surname = _norm(f"{first} {last}"), _norm(last)
            if len(whole) >= MIN_SURNAME:
                full.add(whole)
            if len(surname) >= MIN_SURNAME:
                surnames.add(surname)
    if not (full or capitalised_surnames or any_case_surnames):
        return []
    words = list(WORD.finditer(text))
    found: list[str] = []
    covered_until = -1
    for i, start in enumerate(words):
        if start.start() < covered_until:
            continue
        best = None
        phrase: list[str] = []
        for j in range(i, min(i + MAX_NAME_WORDS, len(words))):
            # a name's words follow each other with only spaces between them
            if j > i and text[words[j - 1].end():words[j].start()].strip():
                break
            phrase.append(words[j].group(0).lower())
            key = " ".join(phrase)
            last_word = words[j].group(0)
            if key in full or key in any_case_surnames or (key in capitalised_surnames and last_word[:1].isupper()):
                best = j
        if best is not None:
            found.append(text[start.start():words[best].end()])
            covered_until = words[best].end()
    return sorted(set(found), key=str.lower)


def identity_warnings(text: str, *, today: date, client_names: Iterable[tuple[str, str]] = (),
                      own_clients: Iterable[tuple[str, str]] | None = None) -> list[Finding]:
    """The pure check, given the names to look for (tests and `find_identifying`). Without
    `own_clients`, every name in `client_names` counts as the writer's own (any case)."""
    client_names = list(client_names)
    text = text or ""
    findings = [Finding("bsn", bsn, True) for bsn in find_bsns(text)]
    findings += [Finding("client_number", x, False) for x in find_client_numbers(text)]
    findings += [Finding("phone", x, False) for x in find_phone_numbers(text)]
    findings += [Finding("address", x, False) for x in find_addresses(text)]
    findings += [Finding("date_of_birth", d, False) for d in find_birth_dates(text, today=today)]
    own = client_names if own_clients is None else list(own_clients)
    findings += [Finding("client_name", n, False) for n in find_client_names(text, client_names, own=own)]
    return findings


def region_client_names(region) -> list[tuple[str, str]]:
    """Every client name of the region: one query (names are never shown or stored by the guard)."""
    from werkbrug.clients.models import Client

    region_id = getattr(region, "pk", region)
    if region_id is None:
        return []
    return list(Client.objects.filter(region_id=region_id).values_list("first_name", "last_name"))


def find_identifying(text: str, *, region, today: date | None = None,
                     own_clients: Iterable[tuple[str, str]] = ()) -> list[Finding]:
    """What in `text` may identify a client of `region` (a Region or its id).

    `own_clients`: the writer's own clients' names, whose surnames count in any case.
    """
    if not (text or "").strip():
        return []
    return identity_warnings(text, today=today or timezone.localdate(), client_names=region_client_names(region),
                             own_clients=list(own_clients))
