"""Encryption at rest for the few fields that need it (the BSN), and keyed hashes to find them.

Keys come from FIELD_ENCRYPTION_KEY (Fernet keys, newest first, so keys can be rotated); without
it a key is derived from SECRET_KEY, which is acceptable for the demo only.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@cache
def _keys() -> list[bytes]:
    if settings.FIELD_ENCRYPTION_KEYS:
        return [key.encode() for key in settings.FIELD_ENCRYPTION_KEYS]
    derived = hashlib.sha256(b"werkbrug-field-encryption:" + settings.SECRET_KEY.encode()).digest()
    return [base64.urlsafe_b64encode(derived)]


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in _keys()])


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def keyed_hash(value: str, purpose: str) -> str:
    """A stable, keyed hash for uniqueness checks without storing the value in the clear."""
    key = hashlib.sha256(b"werkbrug-keyed-hash:" + purpose.encode() + _keys()[-1]).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
