"""Helpers that let web forms show a service's ValidationError next to the right field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def apply_validation_error(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's error on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target if target != NON_FIELD_ERRORS else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)
