"""Production settings, plus the benchmark's comparison URLs (bench_urls.py)."""

from werkbrug.conf.production import *  # noqa: F403

ROOT_URLCONF = "bench_urls"

# Nothing leaves the machine: the demo data's invitation mails stay in memory.
_LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
if "MAILERS" in globals():  # Django 6.1
    MAILERS = {"default": {"BACKEND": _LOCMEM}}
else:
    EMAIL_BACKEND = _LOCMEM
