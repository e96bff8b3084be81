"""Production: the base settings as they are, plus the refusal to start without its secret keys."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import ACCESS_LOG_HMAC_KEY, DEMO_MODE, SECRET_KEY, WERKBRUG_BASE_URL

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
