"""Base settings: everything Werkbrug reads from the environment, with safe defaults.

Every environment variable is documented where it is read. The overlays (`demo`, `test`,
`production`) change as little as possible; nothing exists only in production.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Exchange, Queue

from werkbrug.operations.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent  # src/werkbrug
PROJECT_DIR = BASE_DIR.parent.parent  # the checkout


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value is not None else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    return [part.strip() for part in value.split(",") if part.strip()] if value else default


# WERKBRUG_VAR_DIR: where the embedded database, the demo's secret key and uploads live.
VAR_DIR = Path(env("WERKBRUG_VAR_DIR", str(PROJECT_DIR / "var")))

# DEBUG: never on in production; defaults to off.
DEBUG = env_bool("DEBUG", False)

# SECRET_KEY: required outside the demo and tests (production.py refuses to start without it).
SECRET_KEY = env("SECRET_KEY", "")

# ALLOWED_HOSTS: comma-separated host names this instance answers to.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
# CSRF_TRUSTED_ORIGINS: comma-separated origins (https://werkbrug.example.nl) behind a proxy.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# WERKBRUG_DEMO: demo mode: persona sign-in page, optional 2FA with a visible banner.
DEMO_MODE = env_bool("WERKBRUG_DEMO", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "rest_framework",
    # Kept only so that api/migrations/0002 can empty its plain-text token table; unused.
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    # Werkbrug's own apps. `core` first: the others build on it.
    "werkbrug.core",
    "werkbrug.web",
    "werkbrug.api",
    "werkbrug.clients",
    "werkbrug.trajectories",
    "werkbrug.plans",
    "werkbrug.collaboration",
    "werkbrug.employment",
    "werkbrug.ambassadors",
    "werkbrug.experience_experts",
    "werkbrug.knowledge_map",
    "werkbrug.evaluations",
    "werkbrug.portal",
    "werkbrug.reporting",
    "werkbrug.notifications",
    "werkbrug.operations",
    "werkbrug.casefile",
    "werkbrug.administration",
    "werkbrug.appointments",
    "werkbrug.interchange",
]

MIDDLEWARE = [
    # Outermost, so that the time it measures includes every other middleware.
    "werkbrug.operations.middleware.MetricsMiddleware",
    "werkbrug.core.middleware.RequestIdMiddleware",
    "werkbrug.core.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "werkbrug.core.middleware.OversizedNumberMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "werkbrug.core.middleware.OTPMiddleware",
    "werkbrug.core.middleware.IdleTimeoutMiddleware",
    "werkbrug.core.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "werkbrug.core.middleware.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",
    # Reports and exports read from the replica when DATABASE_REPLICA_URL is set (a no-op without).
    "werkbrug.operations.replica.ReplicaReadsMiddleware",
]

ROOT_URLCONF = "werkbrug.urls"
WSGI_APPLICATION = "werkbrug.wsgi.application"
AUTH_USER_MODEL = "core.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "werkbrug.web.context_processors.shell",
            ],
        },
    },
]

# DATABASE_URL: e.g. postgres://user@127.0.0.1:5432/werkbrug. Without it: SQLite under VAR_DIR.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # psycopg 3's connection pool. DATABASE_POOL_MAX: the pool size per process.
        DATABASES["default"]["OPTIONS"] = {
            "pool": {
                "min_size": env_int("DATABASE_POOL_MIN", 2),
                "max_size": env_int("DATABASE_POOL_MAX", 10),
                "timeout": 10,
            },
            "connect_timeout": 5,
            # Prepared statements only where Werkbrug asks for them (core.sql.prepared_cursor):
            # Django's own cursors bind parameters on the client and are never prepared.
            "prepare_threshold": 1,
            # No JIT compilation: it cost the dashboard's plan-state count 1.1 s of 1.4 s at 30 000
            # trajectories (the planner's estimate, not the work, passed jit_above_cost; ADR 0011).
            # Prepared statements (only Werkbrug's compiled queries) keep one generic plan per
            # connection: planning the header's counts took 3.4 ms against 0.6 ms to run them, on
            # every page, and PostgreSQL kept planning afresh (ADR 0012).
            # random_page_cost 1.1 (PostgreSQL's advice for SSD storage and data held in memory,
            # where a random read costs about what a sequential one does; the server's default 4
            # is for spinning disks): with 4 the busiest caseload's columns read all 1 600 people
            # to name 25 plan directors (ADR 0015). DATABASE_RANDOM_PAGE_COST sets another value.
            "options": (
                "-c jit=off -c plan_cache_mode=force_generic_plan"
                f" -c random_page_cost={float(env('DATABASE_RANDOM_PAGE_COST', '1.1')):g}"
            ),
        }
else:
    # A fresh clone has no var/ yet; SQLite cannot create a file in a missing folder.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "werkbrug.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while the demo writes; IMMEDIATE avoids lock upgrades.
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
            },
        }
    }
# DATABASE_REPLICA_URL: a read-only PostgreSQL replica (a streaming-replication standby) for the
# reads of reports and exports (operations/replica.py: REPLICA_READ_VIEWS, ReplicaRouter). Never
# migrated; used only while it lags at most DATABASE_REPLICA_MAX_LAG_SECONDS (30) behind.
DATABASE_REPLICA_URL = env("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs a PostgreSQL DATABASE_URL.")
    DATABASES["replica"] = {
        **dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=0),
        "OPTIONS": dict(DATABASES["default"]["OPTIONS"]),
        # Test databases: the replica is the default database (no copy to keep in step).
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["werkbrug.operations.replica.ReplicaRouter"]
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 30)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5)
# The views whose GET and HEAD requests read from the replica (`namespace:name`, * as wildcard):
# the region's dashboard and its PDF, the research exports of the pages and of the API.
REPLICA_READ_VIEWS = env_list("REPLICA_READ_VIEWS", [
    "reporting:*",
    "evaluations:export", "evaluations:codebook_export",
    "api:research-export", "api:research-codebook",
    "api:report-organisation", "api:report-month",  # the dashboard's drill-down (read only)
])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# CACHE_URL: redis://127.0.0.1:6379/1 for a shared cache (needed with several workers).
CACHE_URL = env("CACHE_URL")
# With a shared cache, sessions are read from it and written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if CACHE_URL else "django.contrib.sessions.backends.db"
CACHES = {
    "default": (
        {"BACKEND": "werkbrug.core.cache.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# WERKBRUG_OIDC: switch on OpenID Connect single sign-on (see docs/security.md).
USE_OIDC = env_bool("WERKBRUG_OIDC", False)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "werkbrug.core.auth.WerkbrugModelBackend",
]
if USE_OIDC:
    AUTHENTICATION_BACKENDS.append("werkbrug.administration.oidc.LinkedIdentityOIDCBackend")
    # OIDC_RP_CLIENT_ID / OIDC_RP_CLIENT_SECRET / OIDC_OP_*_ENDPOINT: the provider's details.
    OIDC_RP_CLIENT_ID = env("OIDC_RP_CLIENT_ID")
    OIDC_RP_CLIENT_SECRET = env("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = env("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = env("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = env("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = env("OIDC_OP_JWKS_ENDPOINT")
    OIDC_RP_SIGN_ALGO = env("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_CREATE_USER = False  # accounts are made by the region administrator, then linked
    # OIDC_MATCH_CLAIM: the claim that links the provider's identity to a Werkbrug account.
    OIDC_MATCH_CLAIM = env("OIDC_MATCH_CLAIM", "email")
    OIDC_RP_SCOPES = env("OIDC_RP_SCOPES", "openid email profile")
    LOGIN_REDIRECT_URL_FAILURE = "/account/login/"
    missing = [
        name
        for name in ("OIDC_RP_CLIENT_ID", "OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_TOKEN_ENDPOINT")
        if not globals()[name]
    ]
    if missing:
        raise ImproperlyConfigured(f"WERKBRUG_OIDC is on but {', '.join(missing)} is not set.")
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Sign-in throttling (django-axes). Failures are counted per user name *and* network address
# together, so an attacker elsewhere cannot lock a colleague out by guessing their name.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "werkbrug.web.views.auth.lockout_response"
AXES_VERBOSE = False
# The same client address as the access log: the proxy's address would lock everyone out at once.
AXES_CLIENT_IP_CALLABLE = "werkbrug.core.client_ip.client_ip"

# PRINCIPAL_CACHE_SECONDS: how long the signed-in person (organisation, roles, 2FA devices) may be
# served from the cache; every change through the application drops it at once. 0 switches it off.
# On by default only with a shared cache (CACHE_URL): a per-process cache in one of several workers
# would not hear of changes made in another.
PRINCIPAL_CACHE_SECONDS = env_int("PRINCIPAL_CACHE_SECONDS", 60 if CACHE_URL else 0)

# API_TOKEN_TTL_HOURS: how long an API bearer token lives (default 10, at most 24 hours).
# Tokens are also revoked when their owner signs out, and can be revoked one by one.
API_TOKEN_TTL_HOURS = env_int("API_TOKEN_TTL_HOURS", 10)
if not 1 <= API_TOKEN_TTL_HOURS <= 24:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS must lie between 1 and 24.")

# Sessions: idle timeout SESSION_IDLE_MINUTES (default 30), absolute SESSION_MAX_HOURS (12).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "werkbrug.web.views.errors.csrf_failure"
# SECURE_COOKIES: Secure flag on cookies; on by default, off only for the plain-HTTP demo.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE

# HTTPS: SECURE_SSL_REDIRECT and HSTS_SECONDS (default one year) for production behind TLS.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# SECURE_PROXY_SSL_HEADER_ON: trust X-Forwarded-Proto from the reverse proxy.
if env_bool("SECURE_PROXY_SSL_HEADER_ON", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# Two-factor authentication (TOTP) for every role that can see client data.
# WERKBRUG_REQUIRE_2FA may only be switched off in demo mode (a banner then says so).
REQUIRE_2FA = env_bool("WERKBRUG_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Werkbrug"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

# The case file's documents (`casefile` app) are stored through the "documents" storage, never
# under the web root, and served only by an authorized view. DOCUMENTS_STORAGE chooses where:
# - "local" (default): a folder, DOCUMENTS_DIR (default VAR_DIR/documents);
# - "s3": S3-compatible object storage through django-storages (`pip install werkbrug[s3]`):
#   DOCUMENTS_S3_BUCKET (required), DOCUMENTS_S3_ENDPOINT_URL (e.g. https://s3.example.nl; empty
#   for AWS itself), DOCUMENTS_S3_REGION; credentials as boto3 reads them (AWS_ACCESS_KEY_ID and
#   AWS_SECRET_ACCESS_KEY in the environment, or the host's role). Objects are private; the bucket
#   should not be public and should keep object versions off (the application keeps versions).
DOCUMENTS_STORAGE = env("DOCUMENTS_STORAGE", "local")
if DOCUMENTS_STORAGE == "s3":
    if not env("DOCUMENTS_S3_BUCKET"):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DOCUMENTS_STORAGE=s3 needs DOCUMENTS_S3_BUCKET")
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env("DOCUMENTS_S3_BUCKET"),
            "endpoint_url": env("DOCUMENTS_S3_ENDPOINT_URL"),
            "region_name": env("DOCUMENTS_S3_REGION"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": "documents",
        },
    }
elif DOCUMENTS_STORAGE == "local":
    STORAGES["documents"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # No base_url: the files have no public address; the application serves them.
        "OPTIONS": {"location": env("DOCUMENTS_DIR", str(VAR_DIR / "documents")), "base_url": None},
    }
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("DOCUMENTS_STORAGE must be 'local' or 's3'")
# DOCUMENT_MAX_UPLOAD_MB: the largest document a person may upload, in megabytes (default 10).
DOCUMENT_MAX_UPLOAD_MB = env_int("DOCUMENT_MAX_UPLOAD_MB", 10)

# Access log (NEN 7513). Retention in years; the law's minimum of five is enforced by a check.
ACCESS_LOG_RETENTION_YEARS = env_int("ACCESS_LOG_RETENTION_YEARS", 5)
# On PostgreSQL the log is partitioned by month (core/access_log_partitions.py, ADR 0009). A daily
# task creates the partitions ACCESS_LOG_PARTITION_MONTHS_AHEAD (3) months ahead; a monthly task
# detaches the months past retention (ACCESS_LOG_RETENTION_YEARS plus the current month), after
# verifying the chain. ACCESS_LOG_ARCHIVE_DIR: a folder for the detached months as .csv.gz (empty:
# not archived); ACCESS_LOG_RETENTION_DROP: drop a detached month's table (after archiving it, if
# a folder is set). By default the detached tables stay in the database for the administrator.
ACCESS_LOG_PARTITION_MONTHS_AHEAD = env_int("ACCESS_LOG_PARTITION_MONTHS_AHEAD", 3)
ACCESS_LOG_ARCHIVE_DIR = env("ACCESS_LOG_ARCHIVE_DIR", "")
ACCESS_LOG_RETENTION_DROP = env_bool("ACCESS_LOG_RETENTION_DROP", False)
# Records are sealed once they are older than this (a transaction still running may hold a lower id).
ACCESS_LOG_SEAL_GRACE_SECONDS = env_int("ACCESS_LOG_SEAL_GRACE_SECONDS", 60)
# ACCESS_LOG_HMAC_KEY: the key of the access log's seals (HMAC-SHA256), a long random string kept
# outside the database, so that someone who can write to the database cannot forge a record or
# recompute the chain. Required in production (production.py refuses to start without it); the
# demo and the tests use a fixed development key. Changing it makes every earlier seal unverifiable.
ACCESS_LOG_HMAC_KEY = env("ACCESS_LOG_HMAC_KEY", "")
# ACCESS_LOG_ANCHOR_PATH: the append-only file the latest seal is copied to every
# ACCESS_LOG_ANCHOR_MINUTES (60); `werkbrug verify_access_log` compares the chain with it. Keep it
# on other storage than the database (or have it shipped off the machine).
ACCESS_LOG_ANCHOR_PATH = Path(env("ACCESS_LOG_ANCHOR_PATH", str(VAR_DIR / "access_log_anchors.jsonl")))
ACCESS_LOG_ANCHOR_MINUTES = env_int("ACCESS_LOG_ANCHOR_MINUTES", 60)
# ACCESS_LOG_ANCHOR_EMAIL: comma-separated addresses (the privacy officer) that receive each anchor.
ACCESS_LOG_ANCHOR_EMAIL = env_list("ACCESS_LOG_ANCHOR_EMAIL", [])

# TRUSTED_PROXY_COUNT: how many reverse proxies of your own stand in front of the application
# (0: none, the network address is REMOTE_ADDR). With n proxies the client's address is the n-th
# entry of X-Forwarded-For from the right; entries further left are the client's own claims and
# are never trusted. Used by the access log and by the sign-in throttle alike.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# FIELD_ENCRYPTION_KEY: Fernet key(s), comma-separated (newest first), for data encrypted at rest
# (the BSN). Derived from SECRET_KEY when not given, which is acceptable only for the demo.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", [])

# Celery. CELERY_BROKER_URL: e.g. redis://127.0.0.1:6379/0. Without it tasks run eagerly.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Amsterdam"
# Queues per kind of work, so that a burst of one kind (a night's digests, a large export) never
# holds up another (the access log's sealing), and each kind can get workers of its own
# (docs/operations.md, "Scale out"). A worker consumes every queue unless `-Q` names some.
# Every task is named here; tests/operations/test_queues.py fails on a task without a queue.
CELERY_TASK_DEFAULT_QUEUE = "celery"
TASK_QUEUE_TASKS: dict[str, tuple[str, ...]] = {
    # Mail: one mail per notification wanted at once, and the daily digest.
    "mail": (
        "werkbrug.notifications.tasks.send_notification_mail",
        "werkbrug.notifications.tasks.send_digests",
        # The monthly regional report: one notification (and mail) per subscriber.
        "werkbrug.reporting.tasks.send_monthly_reports",
        # Invitations, changes and cancellations mailed to an employer contact (no account).
        "werkbrug.appointments.tasks.mail_employer_contact",
        # A study's questionnaire (or its reminder) mailed to a participant's employer research contact.
        "werkbrug.evaluations.tasks.mail_employer_questionnaire",
    ),
    # Sealing: the access log's hash chain and its anchor outside the database (NEN 7513).
    "sealing": (
        "werkbrug.core.tasks.seal_access_log",
        "werkbrug.core.tasks.anchor_access_log",
        # Its monthly partitions (PostgreSQL): made ahead daily, detached past retention monthly.
        "werkbrug.core.tasks.create_access_log_partitions",
        "werkbrug.core.tasks.apply_access_log_retention",
    ),
    # Exports, reports and other heavy work made in the background (exports stream in the
    # request); any task in these modules lands here (the pattern routes below).
    "exports": (
        # The knowledge map's layout, computed into the cache after the map changes.
        "werkbrug.knowledge_map.tasks.warm_layout",
    ),
    # Everything else: the scheduled checks (escalations, deadlines, reminders, retention).
    "celery": (
        "werkbrug.collaboration.tasks.escalate_signals",
        "werkbrug.ambassadors.tasks.process_deadlines",
        "werkbrug.experience_experts.tasks.check_signals",
        "werkbrug.experience_experts.tasks.expire_requests",
        "werkbrug.plans.tasks.remind_actions",
        "werkbrug.knowledge_map.tasks.remind_reviews",
        "werkbrug.trajectories.tasks.apply_retention",
        # FHIR subscription notifications to other systems (each with a short time-out, retried).
        "werkbrug.interchange.tasks.deliver_notification",
        "werkbrug.interchange.tasks.deliver_due_notifications",
        # The research schedule's questionnaires and reminders (evaluations/services/schedules.py).
        "werkbrug.evaluations.tasks.send_scheduled_questionnaires",
    ),
}
TASK_QUEUE_PATTERNS: dict[str, str] = {
    "werkbrug.evaluations.tasks.*": "exports",
    "werkbrug.reporting.tasks.*": "exports",
}
# Each queue with its own exchange and routing key (a bare Queue(name) would be bound to the
# default exchange under the key `celery`, and its tasks would land in the `celery` queue).
CELERY_TASK_QUEUES = tuple(Queue(name, Exchange(name), routing_key=name) for name in TASK_QUEUE_TASKS)
CELERY_TASK_ROUTES = (
    {task: {"queue": queue} for queue, tasks in TASK_QUEUE_TASKS.items() for task in tasks}
    | {pattern: {"queue": queue} for pattern, queue in TASK_QUEUE_PATTERNS.items()}
)
CELERY_BEAT_SCHEDULE: dict = {
    "seal-access-log": {"task": "werkbrug.core.tasks.seal_access_log", "schedule": 60.0},
    "anchor-access-log": {
        "task": "werkbrug.core.tasks.anchor_access_log", "schedule": ACCESS_LOG_ANCHOR_MINUTES * 60.0,
    },
    # The access log's partitions of the coming months (daily), and its retention (monthly, the 2nd).
    "access-log-partitions": {"task": "werkbrug.core.tasks.create_access_log_partitions",
                              "schedule": crontab(hour=2, minute=40)},
    "access-log-retention": {"task": "werkbrug.core.tasks.apply_access_log_retention",
                             "schedule": crontab(day_of_month=2, hour=4, minute=10)},
    "escalate-signals": {"task": "werkbrug.collaboration.tasks.escalate_signals", "schedule": 300.0},
    "ambassador-deadlines": {"task": "werkbrug.ambassadors.tasks.process_deadlines", "schedule": 300.0},
    "experience-expert-signals": {"task": "werkbrug.experience_experts.tasks.check_signals", "schedule": 3600.0},
    "experience-expert-requests-expire": {"task": "werkbrug.experience_experts.tasks.expire_requests",
                                          "schedule": crontab(hour=0, minute=5)},
    "plan-action-reminders": {"task": "werkbrug.plans.tasks.remind_actions", "schedule": crontab(hour=8, minute=30)},
    # Knowledge items due for review: each half hour, acting only inside a region's office hours.
    "knowledge-review-reminders": {"task": "werkbrug.knowledge_map.tasks.remind_reviews",
                                   "schedule": crontab(minute="0,30")},
    # The daily digest of notifications, at 07:30 in Amsterdam (CELERY_TIMEZONE).
    "notification-digests": {"task": "werkbrug.notifications.tasks.send_digests",
                             "schedule": crontab(hour=7, minute=30)},
    # FHIR subscription notifications owed and due (new, or waiting for a retry): each minute.
    "fhir-subscription-notifications": {"task": "werkbrug.interchange.tasks.deliver_due_notifications",
                                        "schedule": 60.0},
    # The monthly regional report: subscribers are told on the 1st at 07:00 (reporting/tasks.py).
    "monthly-region-report": {"task": "werkbrug.reporting.tasks.send_monthly_reports",
                              "schedule": crontab(day_of_month=1, hour=7, minute=0)},
    # Research questionnaires due by the study schedule: each half hour, inside office hours.
    "research-schedule": {"task": "werkbrug.evaluations.tasks.send_scheduled_questionnaires",
                          "schedule": crontab(minute="5,35")},
    # Closed files past their retention period are erased at night (trajectories/retention.py).
    "trajectory-retention": {"task": "werkbrug.trajectories.tasks.apply_retention",
                             "schedule": crontab(hour=3, minute=15)},
}

# FHIR subscriptions (interchange/subscriptions.py): endpoints must be https and public; the demo
# and the tests may notify http and loopback addresses.
FHIR_SUBSCRIPTION_ALLOW_HTTP = env_bool("FHIR_SUBSCRIPTION_ALLOW_HTTP", False)
FHIR_SUBSCRIPTION_ALLOW_PRIVATE = env_bool("FHIR_SUBSCRIPTION_ALLOW_PRIVATE", False)
# How long an organisation system's token lives (interchange/services.py), 1 minute to 1 hour.
SYSTEM_TOKEN_TTL_SECONDS = env_int("SYSTEM_TOKEN_TTL_SECONDS", 900)
if not 60 <= SYSTEM_TOKEN_TTL_SECONDS <= 3600:
    raise ImproperlyConfigured("SYSTEM_TOKEN_TTL_SECONDS is from 60 to 3600")
# Every FHIR answer checked against fhir.resources' R4B models (interchange/fhir/validation.py):
# "off" (default: about 3 ms per CarePlan, +50 % on a search), "log" (an invalid resource is
# logged and answered with a 500 OperationOutcome), "raise" (tests).
FHIR_VALIDATION = env("FHIR_VALIDATION", "off")
if FHIR_VALIDATION not in ("off", "log", "raise"):
    raise ImproperlyConfigured("FHIR_VALIDATION is off, log or raise")

# WERKBRUG_BASE_URL: the public address (https://werkbrug.example.nl), for links in e-mails. Every
# link in a mail is made from it (`core.links.absolute_url`); production refuses to start without it.
WERKBRUG_BASE_URL = (env("WERKBRUG_BASE_URL", "") or "").rstrip("/")
# SIGNAL_ESCALATION_HOURS: an urgent signal nobody acknowledged escalates to the plan director
# after this many hours (a region can set its own in Region.settings).
SIGNAL_ESCALATION_HOURS = env_int("SIGNAL_ESCALATION_HOURS", 24)

# Email: EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
# DEFAULT_FROM_EMAIL. Without EMAIL_HOST mail is written to the console (demo), or, with
# EMAIL_FILE_PATH, one file per connection into that folder (a staging stack, the stack test).
_email_host = env("EMAIL_HOST")
_email_file_path = env("EMAIL_FILE_PATH")
_smtp_options = {
    "host": _email_host,
    "port": env_int("EMAIL_PORT", 587),
    "username": env("EMAIL_HOST_USER", ""),
    "password": env("EMAIL_HOST_PASSWORD", ""),
    "use_tls": env_bool("EMAIL_USE_TLS", True),
}
if django.VERSION >= (6, 1):
    MAILERS = {
        "default": (
            {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _smtp_options}
            if _email_host
            else {"BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                  "OPTIONS": {"file_path": _email_file_path}}
            if _email_file_path
            else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        )
    }
else:  # Django 5.2 LTS (Python 3.11)
    EMAIL_HOST = _email_host or "localhost"
    EMAIL_BACKEND = (
        "django.core.mail.backends.smtp.EmailBackend"
        if _email_host
        else "django.core.mail.backends.filebased.EmailBackend"
        if _email_file_path
        else "django.core.mail.backends.console.EmailBackend"
    )
    EMAIL_FILE_PATH = _email_file_path
    EMAIL_PORT = _smtp_options["port"]
    EMAIL_HOST_USER = _smtp_options["username"]
    EMAIL_HOST_PASSWORD = _smtp_options["password"]
    EMAIL_USE_TLS = _smtp_options["use_tls"]
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Werkbrug <noreply@werkbrug.invalid>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Bearer first, so that a missing or wrong token answers 401 with WWW-Authenticate.
        "werkbrug.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["werkbrug.api.permissions.IsVerifiedUser"],
    "DEFAULT_PAGINATION_CLASS": "werkbrug.api.pagination.Pagination",
    # JSON with a nesting limit and 64-bit integers (see werkbrug/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "werkbrug.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "werkbrug.api.exceptions.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_VERSIONING_CLASS": None,
    # `?format=` belongs to the endpoints (exports: csv, xlsx, sav), not to content negotiation.
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Werkbrug API",
    "DESCRIPTION": "GGZ and Work & Income working together with clients toward paid work.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Every operation documents its problem+json errors (400, 401, 403, 404): see api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "werkbrug.api.schema.problem_responses",
    ],
    # One schema name per choice set, so that "status", "kind" … of different apps stay apart.
    "ENUM_NAME_OVERRIDES": {
        "AppointmentKindEnum": "werkbrug.appointments.models.appointments.AppointmentKind",
        "AppointmentStatusEnum": "werkbrug.appointments.models.appointments.AppointmentStatus",
        "CasefileCategoryEnum": "werkbrug.casefile.forms.CATEGORY_CHOICES",
        "CloseReasonEnum": "werkbrug.trajectories.models.trajectories.CloseReason",
        "CloseOutcomeEnum": "werkbrug.trajectories.models.trajectories.CloseOutcome",
        "DocumentKindEnum": "werkbrug.casefile.models.documents.DocumentKind",
        "JournalKindEnum": "werkbrug.casefile.models.journal.JournalKind",
        "AbsenceReasonEnum": "werkbrug.ambassadors.models.ambassadors.AbsenceReason",
        "AccessCodeEnum": "werkbrug.core.models.access_log.AccessCode",
        "ActionStatusEnum": "werkbrug.plans.models.plans.ActionStatus",
        "AgreementStateEnum": "werkbrug.plans.workflow.AgreementState",
        "AmbassadorsAudienceEnum": "werkbrug.ambassadors.models.proposals.Audience",
        "AssessmentEnum": "werkbrug.evaluations.models.interviews.Assessment",
        "BenefitEnum": "werkbrug.clients.models.clients.Benefit",
        "ClientStatusEnum": "werkbrug.clients.models.clients.ClientStatus",
        "UrgencyEnum": "werkbrug.collaboration.models.signals.Urgency",  # ambassadors use the same two values
        "ConsentDisplayStateEnum": "werkbrug.clients.models.consent.ConsentDisplayState",
        "ConsentMethodEnum": "werkbrug.clients.models.consent.ConsentMethod",
        "NotificationKindEnum": "werkbrug.notifications.kinds.Kind",
        "NotificationChannelEnum": "werkbrug.notifications.kinds.Channel",
        "ContractTypeEnum": "werkbrug.employment.models.ips.ContractType",
        "DataCategoryEnum": "werkbrug.core.choices.DataCategory",
        "DeploymentKindEnum": "werkbrug.experience_experts.models.choices.DeploymentKind",
        "DeploymentStatusEnum": "werkbrug.experience_experts.models.deployments.DeploymentStatus",
        "DesignEnum": "werkbrug.evaluations.models.studies.Design",
        "ScreeningOutcomeEnum": "werkbrug.evaluations.models.trial.ScreeningOutcome",
        "StudyEventKindEnum": "werkbrug.evaluations.models.trial.StudyEventKind",
        "EmployerContactKindEnum": "werkbrug.employment.models.ips.EmployerContactKind",
        "EventKindEnum": "werkbrug.ambassadors.models.questions.EventKind",
        "ExpectationKindEnum": "werkbrug.evaluations.models.interviews.ExpectationKind",
        "IPSPhaseEnum": "werkbrug.employment.models.ips.IPSPhase",
        "IntakeStatusEnum": "werkbrug.trajectories.models.intake.IntakeStatus",
        "ItemKindEnum": "werkbrug.knowledge_map.models.items.ItemKind",
        "ItemStatusEnum": "werkbrug.knowledge_map.models.items.ItemStatus",
        "JobEndReasonEnum": "werkbrug.employment.models.ips.JobEndReason",
        "KnowledgeMapAudienceEnum": "werkbrug.knowledge_map.models.items.Audience",
        "LevelEnum": "werkbrug.evaluations.models.interviews.Level",
        "MessageKindEnum": "werkbrug.ambassadors.models.questions.MessageKind",
        "OfferOutcomeEnum": "werkbrug.experience_experts.models.requests.OfferOutcome",
        "OrganisationTypeEnum": "werkbrug.core.choices.OrganisationType",
        "ProposalStatusEnum": "werkbrug.ambassadors.models.proposals.ProposalStatus",
        "QuestionStatusEnum": "werkbrug.ambassadors.models.questions.QuestionStatus",
        "QuestionTypeEnum": "werkbrug.evaluations.models.questionnaires.QuestionType",
        "QuestionnaireStatusEnum": "werkbrug.evaluations.models.questionnaires.QuestionnaireStatus",
        "ReferralOutcomeEnum": "werkbrug.collaboration.models.referrals.ReferralOutcome",
        "ReferralServiceEnum": "werkbrug.collaboration.models.referrals.ReferralService",
        "ReferralStateEnum": "werkbrug.collaboration.models.referrals.ReferralState",
        "RelationKindEnum": "werkbrug.knowledge_map.models.items.RelationKind",
        "RequestStatusEnum": "werkbrug.experience_experts.models.requests.RequestStatus",
        "RespondentKindEnum": "werkbrug.evaluations.models.questionnaires.RespondentKind",
        "RespondentRoleEnum": "werkbrug.evaluations.models.interviews.RespondentRole",
        "ResponseKindEnum": "werkbrug.plans.models.plans.ResponseKind",
        "RoleEnum": "werkbrug.core.choices.Role",
        "ScopeEnum": "werkbrug.knowledge_map.models.items.Scope",
        "SettingEnum": "werkbrug.experience_experts.models.choices.Setting",
        "SignalCategoryEnum": "werkbrug.collaboration.models.signals.SignalCategory",
        "SignalKindEnum": "werkbrug.experience_experts.models.wellbeing.SignalKind",
        "SourceTypeEnum": "werkbrug.knowledge_map.models.items.SourceType",
        "StageEnum": "werkbrug.evaluations.models.studies.Stage",
        "StepEnum": "werkbrug.plans.workflow.Step",
        "StratifierEnum": "werkbrug.evaluations.models.studies.Stratifier",
        "StudyStatusEnum": "werkbrug.evaluations.models.studies.StudyStatus",
        "ThemeEnum": "werkbrug.knowledge_map.models.items.Theme",
        "TrajectoryStatusEnum": "werkbrug.trajectories.models.trajectories.TrajectoryStatus",
        "UserKindEnum": "werkbrug.core.choices.UserKind",
        "ConsentEventKindEnum": "werkbrug.clients.models.consent.ConsentEvent.Kind",
    },
}

# --- Operations (docs/operations.md) ------------------------------------------------------------
# WERKBRUG_LOG_JSON: one JSON object per log line (production's default); plain text otherwise.
# LOG_LEVEL: the root logger's level (WARNING). Every line carries the request id.
LOG_JSON = env_bool("WERKBRUG_LOG_JSON", False)
LOG_LEVEL = env("LOG_LEVEL", "WARNING")
LOGGING = logging_config(json_lines=LOG_JSON, level=LOG_LEVEL)
# The Celery worker logs through the same LOGGING (JSON in production), not its own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# WERKBRUG_METRICS_ALLOW: comma-separated addresses or networks (10.0.0.0/8) that may read
# /metrics besides loopback. WERKBRUG_METRICS_TOKEN: a bearer token that may read it from anywhere.
WERKBRUG_METRICS_ALLOW = env_list("WERKBRUG_METRICS_ALLOW", [])
WERKBRUG_METRICS_TOKEN = env("WERKBRUG_METRICS_TOKEN", "")
# HEALTH_CHECK_TIMEOUT_SECONDS: how long /health/ready waits for each dependency (default 2).
HEALTH_CHECK_TIMEOUT_SECONDS = float(env("HEALTH_CHECK_TIMEOUT_SECONDS", "2"))
# Probes and scrapes inside the private network come over plain HTTP: never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^health(/|$)", r"^metrics$"]
# WERKBRUG_SCHEDULER: run the Celery beat schedule in a thread of the web process (the demo's
# default; see operations/scheduler.py). Never with a broker: there Celery beat does it.
RUN_SCHEDULER = env_bool("WERKBRUG_SCHEDULER", False)

SILENCED_SYSTEM_CHECKS: list[str] = []
