"""Known in the region? The rule for "a person with these details may already have a file".

A client registered again — without a BSN, or by someone who does not know the first file —
silently becomes a second file. Before registering, and on its own page, a professional can ask
whether a person with this name and date of birth may already be known in the region. The answer
is only yes or no: it never names the client, the organisation or the team. On yes, the asker can
ask the plan director of the existing file to add them to the team.

Matching (pure functions, table-tested in `tests/clients/test_known.py`):

- the date of birth is the same, or the same with day and month swapped (3-7 vs 7-3, a common
  slip between forms);
- the names are compared after normalising: lower case, diacritics stripped (Çelik = celik,
  Zoë = zoe), punctuation and the Dutch particles (van, de, der, ten, …) dropped, so "van der
  Berg" = "Berg, v.d."; first and last name are each at least `NAME_SIMILARITY` alike (difflib's
  ratio: one typo in a short name still matches), or they match the other way round (first and last
  name swapped on a form).

The candidates are read from the database by date of birth (an exact lookup, at most two
dates), and compared here: the region's clients are never scanned by name.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Client

NAME_SIMILARITY = 0.8
# Dutch surname particles (tussenvoegsels), left out of the comparison.
PARTICLES = frozenset({
    "van", "de", "der", "den", "het", "ten", "ter", "te", "in", "op", "vd", "v", "d", "la", "le", "du", "da",
    "del", "di", "von", "zu", "al", "el",
})
# How many checks a professional may make per hour (a region may set its own in
# `Region.settings["clients"]["known_checks_per_hour"]`): the check is a probe of the register.
KNOWN_CHECKS_PER_HOUR = 20


# Letters without a decomposition to a plain one.
_LETTERS = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})


def normalise_name(name: str) -> str:
    """'  Zoë van der BERG-Çelik ' → 'zoe berg celik'."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = re.findall(r"[a-z]+", plain.translate(_LETTERS))
    kept = [w for w in words if w not in PARTICLES]
    return " ".join(kept or words)


def similar(a: str, b: str) -> bool:
    """Two normalised names are alike: equal, or at least NAME_SIMILARITY by difflib's ratio."""
    if not a or not b:
        return False
    return a == b or SequenceMatcher(None, a, b).ratio() >= NAME_SIMILARITY


def birth_dates(date_of_birth: date) -> set[date]:
    """The date itself and, where it is a date, the one with day and month swapped."""
    dates = {date_of_birth}
    try:
        dates.add(date(date_of_birth.year, date_of_birth.day, date_of_birth.month))
    except ValueError:
        pass
    return dates


def names_match(first_a: str, last_a: str, first_b: str, last_b: str) -> bool:
    fa, la, fb, lb = (normalise_name(n) for n in (first_a, last_a, first_b, last_b))
    return (similar(fa, fb) and similar(la, lb)) or (similar(fa, lb) and similar(la, fb))


def possible_matches(*, region_id: int, first_name: str, last_name: str, date_of_birth: date) -> list[Client]:
    """Clients of the region (not merged away, not anonymised) who may be this person, oldest
    file first. Not logged and not checked: only `services.known` calls it, which does both."""
    from .models import Client

    candidates = Client.objects.filter(
        region_id=region_id, date_of_birth__in=birth_dates(date_of_birth), merged_into__isnull=True,
        anonymised_at__isnull=True,
    ).only("id", "pseudonym", "first_name", "last_name", "date_of_birth", "region_id").order_by("created_at", "id")
    return [c for c in candidates if names_match(first_name, last_name, c.first_name, c.last_name)]
