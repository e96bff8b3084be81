"""The caseload's light model instances are what `Model.from_db` makes of the same columns."""

from __future__ import annotations

from datetime import date

from django.db.models import DEFERRED, signals

from werkbrug.clients.models import Client
from werkbrug.core.models import User
from werkbrug.trajectories.caseload import _instance
from werkbrug.trajectories.models import Trajectory

CASES = [
    (Trajectory, {"id": 7, "client_id": 3, "status": "active", "started_on": date(2026, 1, 5), "plan_director_id": 9,
                  "client__first_name": "Sam"}),  # a column of a related row is not the trajectory's
    (Client, {"id": 3, "first_name": "Sam", "last_name": "de Vries", "pseudonym": "K-0003"}),
    (User, {"id": 9, "first_name": "Jet", "last_name": "Coach"}),
]


def _from_db(model, values):
    return model.from_db("default", None, [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields])


def _loaded(instance) -> dict:
    return {k: v for k, v in vars(instance).items() if k != "_state"}


def test_a_light_instance_is_what_from_db_makes():
    for model, values in CASES:
        light, full = _instance(model, "default", values), _from_db(model, values)
        assert type(light) is model
        assert _loaded(light) == _loaded(full)
        assert light.get_deferred_fields() == full.get_deferred_fields() and light.get_deferred_fields()
        assert (light._state.adding, light._state.db) == (full._state.adding, full._state.db) == (False, "default")
        assert light.pk == full.pk and light == full
        assert light._state.fields_cache == {}


def test_with_a_listener_the_instance_comes_from_from_db_and_the_listener_hears_it():
    heard = []

    def listener(sender, instance, **kwargs):
        heard.append(instance.pk)

    signals.post_init.connect(listener, sender=Client)
    try:
        instance = _instance(Client, "default", CASES[1][1])
    finally:
        signals.post_init.disconnect(listener, sender=Client)
    assert heard == [3] and instance.first_name == "Sam"
