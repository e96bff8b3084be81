"""The request id: taken from X-Request-ID or made, returned, and on every log line of the request."""

from __future__ import annotations

import json
import logging

import pytest

from werkbrug.operations.logs import JsonFormatter, RequestIdFilter, logging_config


@pytest.fixture
def captured():
    """Log records of `werkbrug.test` and the health probe, formatted as JSON, with the request id."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger("werkbrug.test"), logging.getLogger("werkbrug.operations.health")]
    for logger in loggers:
        logger.addHandler(handler)
    loggers[0].setLevel(logging.INFO)
    yield lines
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def failing_probe(monkeypatch, captured):
    """/health/ready with a broken database: the probe logs the failure while the request runs."""
    from django.db import OperationalError

    from werkbrug.operations import health

    def broken():
        raise OperationalError("connection refused")

    monkeypatch.setitem(health.INLINE_CHECKS, "database", broken)


@pytest.mark.django_db
def test_an_incoming_request_id_is_kept_returned_and_logged(client, captured, failing_probe):
    request_id = "3f2c9a1e-7b4d-4c8a-9e21-0d5b6a7c8e9f"  # a proxy's UUID, dashes and all
    response = client.get("/health/ready", HTTP_X_REQUEST_ID=request_id)
    assert response.status_code == 503
    assert response["X-Request-ID"] == request_id
    entry = json.loads(captured[-1])
    assert entry["request_id"] == request_id
    assert entry["message"] == "readiness check database failed"
    assert entry["level"] == "ERROR" and entry["logger"] == "werkbrug.operations.health"
    assert "OperationalError: connection refused" in entry["exception"]


def test_extra_fields_become_keys(captured):
    logging.getLogger("werkbrug.test").info("sealed", extra={"records": 3})
    entry = json.loads(captured[-1])
    assert entry["message"] == "sealed" and entry["records"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "short", "has spaces in it", "x" * 65, "evil\nline-0000"])
def test_a_missing_or_odd_request_id_is_replaced(client, captured, failing_probe, incoming):
    response = client.get("/health/ready", HTTP_X_REQUEST_ID=incoming)
    made = response["X-Request-ID"]
    assert made != incoming and len(made) == 32 and made.isalnum()
    assert json.loads(captured[-1])["request_id"] == made


def test_outside_a_request_the_id_is_a_dash(captured):
    logging.getLogger("werkbrug.test").warning("from a task")
    assert json.loads(captured[-1])["request_id"] == "-"


def test_an_exception_is_one_json_line(captured):
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("werkbrug.test").exception("it failed")
    line = captured[-1]
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "it failed" and "ValueError: broken" in entry["exception"]
    assert entry["time"].endswith("+00:00")


def test_json_only_when_asked():
    assert logging_config(json_lines=True, level="INFO")["handlers"]["console"]["formatter"] == "json"
    assert logging_config(json_lines=False, level="INFO")["handlers"]["console"]["formatter"] == "plain"


def test_production_logs_json_by_default(monkeypatch):
    import subprocess
    import sys

    code = ("from django.conf import settings; import django; django.setup(); "
            "print(settings.LOGGING['handlers']['console']['formatter'])")
    env = {"DJANGO_SETTINGS_MODULE": "werkbrug.conf.production", "SECRET_KEY": "x" * 50,
           "ACCESS_LOG_HMAC_KEY": "y" * 40, "WERKBRUG_BASE_URL": "https://werkbrug.test",
           "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "json"
    env["WERKBRUG_LOG_JSON"] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "plain"
