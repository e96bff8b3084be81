"""What the experience-expert services share: the refusal and the policy check."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from werkbrug.core import policy
from werkbrug.core.models import User

MAX_MINUTES = 24 * 60


def _invalid(field: str, message: str, code: str) -> ValidationError:
    """An error on one field that keeps its code (for forms, the API and tests)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _authorize(user: User, action: str, obj) -> None:
    policy.authorize(user, action, obj)
