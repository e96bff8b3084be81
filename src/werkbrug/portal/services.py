"""Writes for the client portal: linking a client to their portal account.

In production the account is made by the region administrator and linked once the client signs
in through OpenID Connect (DigiD via a broker, see docs/apps/portal.md); in the demo it is made
with a password so the persona page can sign the client in.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from werkbrug.clients.models import Client
from werkbrug.core.choices import UserKind
from werkbrug.core.models import User

__all__ = ["portal_account_create"]


@transaction.atomic
def portal_account_create(*, client: Client, username: str, password: str | None = None) -> User:
    """Make a client account for `client` and link it (at most one per client)."""
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.user_id is not None:
        raise ValidationError(_("This client already has a portal account."), code="already_linked")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": ValidationError(_("This user name is taken."), code="taken")})
    user = User(username=username, kind=UserKind.CLIENT, region=client.region, first_name=client.first_name,
                last_name=client.last_name, email=client.email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    client.user = user
    client.save(update_fields=["user"])
    return user
