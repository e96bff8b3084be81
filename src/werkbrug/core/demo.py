"""The demo region: a fictional labour-market region with organisations and professionals.

Deterministic from a seed. Every other module adds its own demo data through `<app>/demo.py`
(a `load(region, rng)` function), run once each by `werkbrug demo`.
"""

from __future__ import annotations

import random
import unicodedata

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .choices import OrganisationType as T
from .choices import Role as R
from .models import Organisation, Region, RoleAssignment, User

DEMO_PASSWORD = "werkbrug-demo-2026"  # noqa: S105 — made-up personas on a loopback demo
REGION = {"name": "Regio Rivierenland-Oost", "slug": "rivierenland-oost"}

ORGANISATIONS = [
    ("GGZ Rivierenland", "GGZ-R", T.GGZ),
    ("Pro Persona Zuid (fictief)", "PPZ", T.GGZ),
    ("UWV Werkbedrijf Rivierenland", "UWV", T.UWV),
    ("Gemeente Bommelstad — Sociale Dienst", "Gem. Bommelstad", T.MUNICIPALITY),
    ("Gemeente Lingewaard-Oost — Werk & Inkomen", "Gem. Lingewaard", T.MUNICIPALITY),
    ("Re-integratiebureau De Brug", "De Brug", T.REINTEGRATION),
    ("Werkbedrijf Betuwe (SW)", "Werkbedrijf", T.WORK_COMPANY),
    ("Schuldhulp Rivierenland", "Schuldhulp", T.DEBT_COUNSELLING),
    ("Stichting Ervaringswerk", "Ervaringswerk", T.EXPERIENCE_EXPERTS),
    ("Cliëntenraad Rivierenland", "Cliëntenraad", T.CLIENT_ORGANISATION),
    ("Kennisinstituut Werk & Herstel (fictief)", "KWH", T.RESEARCH),
    ("Fruitteeltbedrijf Van Doorn", "Van Doorn", T.EMPLOYER),
]

# (organisation short name, roles) — at least 40 people over every role.
PEOPLE = [
    ("GGZ-R", [R.THERAPIST]), ("GGZ-R", [R.THERAPIST]), ("GGZ-R", [R.THERAPIST, R.AMBASSADOR]),
    ("GGZ-R", [R.JOBCOACH]), ("GGZ-R", [R.JOBCOACH]), ("GGZ-R", [R.JOBCOACH]),
    ("GGZ-R", [R.MANAGER]), ("GGZ-R", [R.EXPERIENCE_EXPERT]),
    ("PPZ", [R.THERAPIST]), ("PPZ", [R.THERAPIST, R.AMBASSADOR]), ("PPZ", [R.JOBCOACH]),
    ("UWV", [R.LABOUR_EXPERT]), ("UWV", [R.LABOUR_EXPERT]), ("UWV", [R.LABOUR_EXPERT, R.AMBASSADOR]),
    ("UWV", [R.EXPERIENCE_EXPERT]), ("UWV", [R.EXPERIENCE_EXPERT]), ("UWV", [R.EE_COORDINATOR]),
    ("UWV", [R.MANAGER]), ("UWV", [R.JOBCOACH]),
    ("Gem. Bommelstad", [R.CLIENT_MANAGER]), ("Gem. Bommelstad", [R.CLIENT_MANAGER]),
    ("Gem. Bommelstad", [R.CLIENT_MANAGER, R.AMBASSADOR]), ("Gem. Bommelstad", [R.MANAGER]),
    ("Gem. Bommelstad", [R.REGION_ADMIN]), ("Gem. Bommelstad", [R.PRIVACY_OFFICER]),
    ("Gem. Lingewaard", [R.CLIENT_MANAGER]), ("Gem. Lingewaard", [R.CLIENT_MANAGER, R.AMBASSADOR]),
    ("De Brug", [R.JOBCOACH]), ("De Brug", [R.JOBCOACH]), ("De Brug", [R.JOBCOACH, R.AMBASSADOR]),
    ("Werkbedrijf", [R.JOBCOACH]), ("Werkbedrijf", [R.JOBCOACH, R.AMBASSADOR]),
    ("Schuldhulp", [R.DEBT_COUNSELLOR]), ("Schuldhulp", [R.DEBT_COUNSELLOR]),
    ("Schuldhulp", [R.DEBT_COUNSELLOR, R.AMBASSADOR]),
    ("Ervaringswerk", [R.EXPERIENCE_EXPERT]), ("Ervaringswerk", [R.EXPERIENCE_EXPERT]),
    ("Ervaringswerk", [R.EXPERIENCE_EXPERT]), ("Ervaringswerk", [R.EE_COORDINATOR]),
    ("Cliëntenraad", [R.EDITOR]), ("KWH", [R.RESEARCHER]), ("KWH", [R.RESEARCHER]),
    ("GGZ-R", [R.EDITOR]), ("Van Doorn", [R.MANAGER]),
    # The alderman for work and income of Lingewaard-Oost (the regional dashboard only).
    ("Gem. Lingewaard", [R.PORTFOLIO_HOLDER]),
]

FIRST_NAMES = [
    "Anouk", "Bram", "Daan", "Eva", "Fatima", "Gijs", "Hanna", "Ilse", "Jeroen", "Karim", "Lotte",
    "Mila", "Noah", "Olga", "Pieter", "Roos", "Sanne", "Thijs", "Umut", "Vera", "Wouter", "Yara",
    "Zoë", "Ahmed", "Bente", "Chayenne", "Dirk", "Esra", "Floor", "Gerrit", "Hatice", "Inge",
    "Joost", "Kees", "Lieke", "Mohamed", "Nienke", "Otto", "Priya", "Ruben", "Sevda", "Tom",
    "Ayoub", "Femke", "Luuk", "Marloes", "Nadia", "Stijn",
]
LAST_NAMES = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer",
    "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs", "de Haan",
    "Vermeulen", "van Dijk", "Yilmaz", "El Amrani", "Schouten", "van Beek", "Willems", "Hoekstra",
    "Koster", "Prins", "Kuipers", "Veenstra", "Sahin", "Bouzid", "Verhoeven", "Lambers", "Post",
]


def _ascii(text: str) -> str:
    """Letters without accents (Zoë → Zoe), for user names, mail addresses and web addresses."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _username(first: str, last: str, taken: set[str]) -> str:
    base = _ascii("demo." + (first + "." + last.replace(" ", "")).lower())
    name, n = base, 2
    while name in taken:
        name, n = f"{base}{n}", n + 1
    taken.add(name)
    return name


@transaction.atomic
def load_region(*, seed: int = 2026) -> Region:
    """Region, organisations and professionals. Idempotent: an existing region is returned."""
    existing = Region.objects.filter(slug=REGION["slug"]).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    region = Region.objects.create(**REGION)
    orgs = {
        short: Organisation.objects.create(region=region, name=name, short_name=short, type=kind,
                                           website=f"https://example.org/{_ascii(short.lower()).replace(' ', '-').replace('.', '')}")
        for name, short, kind in ORGANISATIONS
    }
    password = make_password(DEMO_PASSWORD)
    taken: set[str] = set()
    first_names = rng.sample(FIRST_NAMES, len(FIRST_NAMES))
    for index, (short, roles) in enumerate(PEOPLE):
        first = first_names[index % len(first_names)]
        last = rng.choice(LAST_NAMES)
        user = User.objects.create(
            username=_username(first, last, taken), first_name=first, last_name=last,
            email=f"{_ascii(first.lower())}.{index}@example.org", password=password, region=region,
            organisation=orgs[short], job_title=str(roles[0].label),
        )
        RoleAssignment.objects.bulk_create([RoleAssignment(person=user, role=r) for r in roles])
    User.objects.create(
        username="demo.admin", first_name="Beheerder", last_name="Demo", email="admin@example.org",
        password=password, is_staff=True, is_superuser=True, region=region,
        organisation=orgs["Gem. Bommelstad"],
    )
    return region
