"""The embedded demo: SQLite under var/, plain HTTP on loopback, persona sign-in, 2FA optional.

The demo generates its own secret key once and keeps it in var/secret_key.
"""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env, env_bool

DEMO_MODE = True
DEBUG = env_bool("DEBUG", False)
VAR_DIR.mkdir(parents=True, exist_ok=True)
_key_file = VAR_DIR / "secret_key"
if not _key_file.exists():
    _key_file.write_text(secrets.token_urlsafe(50))
    os.chmod(_key_file, 0o600)
SECRET_KEY = env("SECRET_KEY") or _key_file.read_text().strip()
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# Plain HTTP on loopback: no Secure cookies, no HTTPS redirect, no HSTS.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
# 2FA is offered but not required in the demo; every page shows a banner saying so.
REQUIRE_2FA = env_bool("WERKBRUG_REQUIRE_2FA", False)
# Links in the demo's mails lead to the demo server (`make demo` passes its port).
WERKBRUG_BASE_URL = (env("WERKBRUG_BASE_URL", "") or "http://127.0.0.1:8000").rstrip("/")
# The demo's access log is sealed with a fixed development key unless one is given.
ACCESS_LOG_HMAC_KEY = env("ACCESS_LOG_HMAC_KEY") or "demo-access-log-key-not-for-production"
# The scheduled tasks run in a thread of `werkbrug demo_serve` (no broker, no beat in the demo).
RUN_SCHEDULER = env_bool("WERKBRUG_SCHEDULER", True)

# FHIR subscriptions may notify a system on this machine (http, loopback).
FHIR_SUBSCRIPTION_ALLOW_HTTP = True
FHIR_SUBSCRIPTION_ALLOW_PRIVATE = True
