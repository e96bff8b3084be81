"""Tests: the demo's shape with a fixed key; PostgreSQL when DATABASE_URL is set, else SQLite."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES, VAR_DIR

DEMO_MODE = True
SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnopqrstuvwxyz"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast; Argon2 tested apart
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
REQUIRE_2FA = True  # tests switch it off where they need to
ALLOWED_HOSTS = ["*"]
CELERY_TASK_ALWAYS_EAGER = True
STATIC_ROOT = None  # static files come from the apps (finders); no collectstatic folder in tests
PRINCIPAL_CACHE_SECONDS = 60  # one process: the per-process cache hears every change
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["NAME"] = VAR_DIR / "test.sqlite3"
    DATABASES["default"]["TEST"] = {"NAME": None}  # in memory
else:
    # A pool per xdist worker would exhaust connections; tests use plain connections, with the
    # same prepared statements and server options (no JIT) as production.
    DATABASES["default"]["OPTIONS"] = {key: DATABASES["default"]["OPTIONS"][key] for key in ("prepare_threshold", "options")}
    if "replica" in DATABASES:
        DATABASES["replica"]["OPTIONS"] = dict(DATABASES["default"]["OPTIONS"])
AXES_ENABLED = True
WERKBRUG_BASE_URL = "https://werkbrug.test"
ACCESS_LOG_HMAC_KEY = "test-access-log-key-not-for-production"  # noqa: S105
TRUSTED_PROXY_COUNT = 0
# Never the demo's anchors: a test that anchors gives its own path; this folder stays empty.
ACCESS_LOG_ANCHOR_PATH = Path(tempfile.mkdtemp(prefix="werkbrug-test-")) / "access_log_anchors.jsonl"
# Uploaded documents go to a folder of this run, never the demo's.
STORAGES = {**STORAGES, "documents": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {
    "location": tempfile.mkdtemp(prefix="werkbrug-test-documents-"), "base_url": None}}}

# FHIR subscriptions may notify a system on this machine (http, loopback).
FHIR_SUBSCRIPTION_ALLOW_HTTP = True
FHIR_SUBSCRIPTION_ALLOW_PRIVATE = True
# Every FHIR answer is checked against the FHIR library's models; an invalid one raises.
FHIR_VALIDATION = "raise"
