"""Changes that other systems may have subscribed to (see `subscriptions.py`).

Receivers of Django's `post_save` for the few models behind the subscribable FHIR types; each
new row owes notifications once its transaction commits."""

from __future__ import annotations

import logging

from django.db import transaction

log = logging.getLogger(__name__)


def changed(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    transaction.on_commit(lambda: _owe(instance))


def _owe(instance) -> None:
    """The change itself is committed: a failure here must not turn its page into an error."""
    from .subscriptions import on_change

    try:
        on_change(instance)
    except Exception:  # noqa: BLE001 — logged; the subscribers search with _lastUpdated anyway
        log.exception("could not owe subscription notifications for %s %s", instance._meta.label, instance.pk)


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_save

    from .subscriptions import topics

    for label in topics():
        post_save.connect(changed, sender=apps.get_model(label), dispatch_uid=f"interchange-{label}")
