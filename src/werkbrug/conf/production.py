"""Production: the base settings as they are, plus the refusal to start without its secret keys."""

from django.core.exceptions import ImproperlyConfigured

from werkbrug.operations.logs import logging_config

from .base import *  # noqa: F403
from .base import ACCESS_LOG_HMAC_KEY, DEMO_MODE, LOG_LEVEL, SECRET_KEY, WERKBRUG_BASE_URL, env_bool

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment, or use `make demo` for the demo."
    )
if not ACCESS_LOG_HMAC_KEY:
    raise ImproperlyConfigured(
        "ACCESS_LOG_HMAC_KEY is not set: the access log's seals need a key kept outside the database."
    )
if DEMO_MODE:
    raise ImproperlyConfigured("WERKBRUG_DEMO may not be switched on with production settings.")
if not WERKBRUG_BASE_URL:
    raise ImproperlyConfigured(
        "WERKBRUG_BASE_URL is not set: mails need the public address (https://werkbrug.example.nl)."
    )

# Structured logs by default in production: one JSON object per line (WERKBRUG_LOG_JSON=0: plain).
LOG_JSON = env_bool("WERKBRUG_LOG_JSON", True)
LOGGING = logging_config(json_lines=LOG_JSON, level=LOG_LEVEL)
