"""Identity warnings while typing: BSN (blocking), dates of birth and the asker's own clients."""

from datetime import date

import pytest

from werkbrug.ambassadors.identity import identity_warnings

TODAY = date(2026, 3, 2)
CLIENTS = [("Sam", "Bakker"), ("Noor", "El Idrissi")]

CASES = [
    # (text, expected kinds)
    ("Hoe werkt de WIA bij parttime werk?", []),  # nothing identifying
    ("BSN 111222333, wat nu?", ["bsn"]),  # nine digits passing the eleven test
    ("Dossier 123456789 bij UWV", []),  # nine digits failing the eleven test: a case number
    ("Nummer 1112.22.333 staat op de brief", ["bsn"]),  # written with dots
    ("Geboren op 12-04-1985 en nu werkloos", ["date_of_birth"]),  # numeric date
    ("geboortedatum 3 maart 1990", ["date_of_birth"]),  # date with a Dutch month
    ("Zitting op 15-03-2026 bij de rechter", []),  # a recent date is no date of birth
    ("Mevrouw Bakker wil parttime werken", ["client_name"]),  # surname of the asker's client
    ("Noor el idrissi heeft schulden", ["client_name"]),  # full name, other case
    ("De bakkerij zoekt personeel", []),  # a word containing the surname is not the name
    ("Sam Bakker, 111222333, 01/02/1970", ["bsn", "date_of_birth", "client_name"]),  # all three
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_identity_warnings(text, expected):
    warnings = identity_warnings(text, today=TODAY, client_names=CLIENTS)
    assert [w.kind for w in warnings] == expected
    assert all(w.blocking == (w.kind == "bsn") for w in warnings)
    assert all(w.message for w in warnings)
