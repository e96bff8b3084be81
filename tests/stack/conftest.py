"""The whole-stack test needs PostgreSQL (DATABASE_URL) and Redis; CI sets WERKBRUG_REQUIRE_STACK=1
so that it can never be skipped there."""

from __future__ import annotations

import os

import pytest

from .stack import REDIS_URL, Stack, postgres_url, redis_reachable


def pytest_configure(config):
    config.addinivalue_line("markers", "stack: starts the whole stack (gunicorn ×2, Celery worker and beat)")


@pytest.fixture(scope="module")
def stack():
    url = postgres_url()
    missing = ("DATABASE_URL=postgres://…" if not url else "") or (
        "" if redis_reachable() else f"Redis on {REDIS_URL}")
    if missing:
        if os.environ.get("WERKBRUG_REQUIRE_STACK"):
            pytest.fail(f"the whole-stack test must run here, but it needs {missing}")
        pytest.skip(f"the whole-stack test needs {missing}")
    name = f"{url.rsplit('/', 1)[-1].split('?')[0]}_stack"
    with Stack(url, db_name=name) as running:
        yield running
