"""Fixtures for the ambassador network: two organisations with ambassadors, topics and an asker."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from werkbrug.ambassadors import services
from werkbrug.ambassadors.models import Topic
from werkbrug.core.choices import OrganisationType, Role


@pytest.fixture
def net(region, make_org, make_person):
    """UWV with three ambassadors (Anna, Bert, Cor), a GGZ with one; a jobcoach asks questions."""
    uwv = make_org(OrganisationType.UWV, "UWV Net")
    ggz = make_org(OrganisationType.GGZ, "GGZ Net")
    admin = make_person(ggz, Role.REGION_ADMIN, first_name="Rita", last_name="Beheer")
    people = {
        "anna": make_person(uwv, Role.AMBASSADOR, Role.LABOUR_EXPERT, first_name="Anna", last_name="Eerst", email="anna@example.org"),
        "bert": make_person(uwv, Role.AMBASSADOR, first_name="Bert", last_name="Tweede", email="bert@example.org"),
        "cor": make_person(uwv, Role.AMBASSADOR, first_name="Cor", last_name="Derde", email="cor@example.org"),
        "gina": make_person(ggz, Role.AMBASSADOR, Role.THERAPIST, first_name="Gina", last_name="Ggz", email="gina@example.org"),
    }
    amb = {name: services.ambassador_appoint(person=p, appointed_by=admin, position=i) for i, (name, p) in enumerate(people.items())}
    topics = {name: Topic.objects.create(region=region, name=label, position=i) for i, (name, label) in enumerate([
        ("benefits", "Uitkeringen en regels"), ("care", "Toegang tot zorg"), ("debts", "Schulden"),
        ("work", "Werkgevers en werk"), ("privacy", "Privacy en gegevens delen"), ("process", "Samenwerking en proces"),
    ])}
    asker = make_person(ggz, Role.JOBCOACH, first_name="Jan", last_name="Vrager", email="jan@example.org")
    manager = make_person(uwv, Role.MANAGER, first_name="Mia", last_name="Manager")
    other = make_person(ggz, Role.JOBCOACH, first_name="Olga", last_name="Ander")
    return SimpleNamespace(region=region, uwv=uwv, ggz=ggz, admin=admin, people=people, amb=amb, topics=topics,
                           asker=asker, manager=manager, other=other)


@pytest.fixture
def ask(net):
    def do(text: str = "Hoe werkt de inkomstenverrekening bij een WIA-uitkering als iemand parttime gaat werken?",
           org=None, topic="benefits", now=None, by=None):
        return services.question_ask(asked_by=by or net.asker, organisation=org or net.uwv, topic=net.topics[topic],
                                     text=text, now=now)
    return do
