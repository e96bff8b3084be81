"""Rules for the client portal: a client sees their own file, and nobody else uses the portal.

Professionals read the same data through their own pages; the portal answers them 404.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..choices import DataCategory
from . import Decision, rule
from .clients import client_data, is_own_file

if TYPE_CHECKING:
    from werkbrug.clients.models import Client

    from ..models import User

_CATEGORIES = {
    "portal.view": DataCategory.PARTICIPATION,
    "portal.plan": DataCategory.PLAN,
    "portal.signals": DataCategory.SIGNALS,
    "portal.consents": DataCategory.PARTICIPATION,
    "portal.access_log": DataCategory.PARTICIPATION,
}


def _own_file(action: str):
    def check(user: User, client: Client) -> Decision:
        category = _CATEGORIES[action]
        if not is_own_file(user, client):
            return Decision(False, reason="the portal shows only your own file", client=client, category=category)
        return client_data(user, client, category)

    return check


for _action in _CATEGORIES:
    rule(_action)(_own_file(_action))
