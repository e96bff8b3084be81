"""Links and times as they leave the product: in mails, calendar files and documents.

Every link in a mail is absolute, made from the one setting `WERKBRUG_BASE_URL`; every time a
person reads is in Europe/Amsterdam in the reader's language's format ("4 december 2026, 19:56").
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import formats, timezone


def absolute_url(path: str) -> str:
    """`path` (a site path such as `/collaboration/…`) as an absolute link for a mail."""
    base = (settings.WERKBRUG_BASE_URL or "").rstrip("/")
    if not base:
        raise ImproperlyConfigured("WERKBRUG_BASE_URL must be set to put links in mails")
    if path.startswith(("http://", "https://")):
        return path
    return base + (path if path.startswith("/") else "/" + path)


def local_datetime(value: datetime) -> str:
    """A moment as a person reads it: local time, day and month in words ("4 december 2026, 19:56")."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return f"{formats.date_format(local, 'j F Y')}, {local:%H:%M}"
