"""Helpers shared by the evaluation services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


def _err(errors: dict[str, Any], code: str) -> ValidationError:
    """A field-keyed ValidationError whose every message carries `code` (Django drops it otherwise)."""
    return ValidationError({field: ValidationError(message, code=code) for field, message in errors.items()})
