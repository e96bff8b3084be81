"""The attack suite's world: built once per test module, rolled back at the module's end."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from tests.security import attack


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each test
    runs in a savepoint of it, so that what one attack changes is undone before the next."""
    from django.core.cache import cache

    # Thousands of refused requests: Django's per-request warnings would bury the findings.
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    with django_db_blocker.unblock():
        with transaction.atomic():
            cache.clear()
            yield attack.build_world()
            transaction.set_rollback(True)
    logger.setLevel(level)
