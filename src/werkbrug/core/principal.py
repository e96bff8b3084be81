"""The signed-in person as every request needs them: the user, their organisation, their roles
and their confirmed second-factor devices — read from the cache, from the database only on a miss.

Without it each signed-in request pays three queries before its view starts (the user with the
organisation, the roles, the TOTP device named in the session). With it, one cache read.

The entry is dropped the moment anything it holds changes through the application (signals on
the user, role assignments, organisations and OTP devices; see `apps.py`), and it expires after
`PRINCIPAL_CACHE_SECONDS` (default 60) whatever happens, which bounds how long a change made
outside the application (a bulk UPDATE in a database console) can go unnoticed. Set it to 0 to
switch the cache off. Access decisions still go through the policy module on every request; only
the facts it reasons from come from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache

if TYPE_CHECKING:
    from .models import User

KEY = "werkbrug:principal:v1:{}"


def _key(user_id) -> str:
    return KEY.format(user_id)


def _ttl() -> int:
    return int(getattr(settings, "PRINCIPAL_CACHE_SECONDS", 60))


def load(user_id) -> User | None:
    """The user with `organisation`, `roles` and `confirmed_devices` filled in, or None."""
    ttl = _ttl()
    if ttl > 0:
        user = cache.get(_key(user_id))
        if user is not None:
            return user
    user = _from_database(user_id)
    if user is not None and ttl > 0:
        cache.set(_key(user_id), user, ttl)
    return user


def _from_database(user_id) -> User | None:
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model()._default_manager.select_related("organisation").filter(pk=user_id).first()
    if user is None:
        return None
    user.roles  # noqa: B018 — fills the cached property, so the cached entry carries the roles
    user.confirmed_devices = {
        device.persistent_id: device for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)
    }
    return user


def forget(*user_ids) -> None:
    """Drop the cached entries of these users (after any change to what they hold): now, and
    again when the transaction commits, so that a request reading the old rows in between
    cannot put the old state back for the rest of the expiry time."""
    keys = [_key(pk) for pk in user_ids if pk is not None]
    if keys and _ttl() > 0:
        from django.db import transaction

        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def connect_signals() -> None:
    """Forget a person whenever their user row, roles, organisation or OTP devices change."""
    from django.db.models.signals import post_delete, post_save
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import Organisation, RoleAssignment, User

    def user_changed(sender, instance, **kwargs):
        forget(instance.pk)

    def owned_changed(sender, instance, **kwargs):
        forget(getattr(instance, "person_id", None) or getattr(instance, "user_id", None))

    def organisation_changed(sender, instance, **kwargs):
        forget(*User.objects.filter(organisation_id=instance.pk).values_list("pk", flat=True))

    # weak=False: the receivers are local functions, which would otherwise be collected at once.
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(user_changed, sender=User, weak=False, dispatch_uid=f"principal-user-{name}")
        signal.connect(owned_changed, sender=RoleAssignment, weak=False, dispatch_uid=f"principal-role-{name}")
        signal.connect(owned_changed, sender=TOTPDevice, weak=False, dispatch_uid=f"principal-totp-{name}")
        signal.connect(organisation_changed, sender=Organisation, weak=False, dispatch_uid=f"principal-org-{name}")
