"""The request id: taken from X-Request-ID or made, returned, and on every log line of the request."""

from __future__ import annotations

import json
import logging

import pytest

from werkbrug.operations.logs import JsonFormatter, RequestIdFilter, logging_config


@pytest.fixture
def captured():
    """Log records of the `werkbrug.test` logger, formatted as JSON, with the request id filter."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("werkbrug.test")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)


@pytest.fixture
def logging_view(monkeypatch):
    from werkbrug.operations import views

    original = views.live

    def live(request):
        logging.getLogger("werkbrug.test").info("inside the view", extra={"step": 3})
        return original(request)

    monkeypatch.setattr(views, "live", live)
    from django.urls import clear_url_caches

    clear_url_caches()
    import importlib

    import werkbrug.operations.urls
    import werkbrug.urls

    importlib.reload(werkbrug.operations.urls)
    importlib.reload(werkbrug.urls)
    yield
    monkeypatch.undo()
    importlib.reload(werkbrug.operations.urls)
    importlib.reload(werkbrug.urls)
    clear_url_caches()


@pytest.mark.django_db
def test_an_incoming_request_id_is_kept_returned_and_logged(client, captured, logging_view):
    request_id = "3f2c9a1e-7b4d-4c8a-9e21-0d5b6a7c8e9f"  # a proxy's UUID, dashes and all
    response = client.get("/health/live", HTTP_X_REQUEST_ID=request_id)
    assert response["X-Request-ID"] == request_id
    entry = json.loads(captured[-1])
    assert entry["request_id"] == request_id
    assert entry["message"] == "inside the view"
    assert entry["step"] == 3
    assert entry["level"] == "INFO" and entry["logger"] == "werkbrug.test"


@pytest.mark.django_db
@pytest.mark.parametrize("incoming", ["", "short", "has spaces in it", "x" * 65, "evil\nline-0000"])
def test_a_missing_or_odd_request_id_is_replaced(client, captured, logging_view, incoming):
    response = client.get("/health/live", HTTP_X_REQUEST_ID=incoming)
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
