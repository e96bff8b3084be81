"""Fixtures for trajectories tests (the signed-in test client `as_user` is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from werkbrug.core.models import AccessLogRecord


@pytest.fixture
def log_count():
    return lambda: AccessLogRecord.objects.count()
