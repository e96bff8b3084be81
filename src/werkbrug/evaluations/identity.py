"""Interview labels and transcripts identify no client.

Researchers know participants by study pseudonym only, so an interview is labelled neutrally
(R1-03) and its transcript is pseudonymised before it is pasted in. This module is the one
bridge from evaluations to the platform's identity detector (`ambassadors.identity`): the
services call `find_identifying` and nothing else, so the detector can change in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from werkbrug.core.models import Region

__all__ = ["find_identifying"]


def find_identifying(text: str, *, region: Region) -> list[str]:
    """The pieces of `text` that identify a person: a citizen service number (BSN) or the name of
    a client in `region` (full name or surname, as whole words)."""
    from werkbrug.ambassadors.identity import find_client_names
    from werkbrug.clients.bsn import find_bsns
    from werkbrug.clients.models import Client

    text = text or ""
    if not text.strip():
        return []
    names = Client.objects.filter(region=region).values_list("first_name", "last_name")
    return list(find_bsns(text)) + find_client_names(text, names)
