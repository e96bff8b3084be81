"""Scopes a system asks for at the token endpoint, in SMART v1 or v2 form, as Werkbrug's own.

Werkbrug grants per resource type `system/<Type>.read` (read and search) and
`system/<Type>.write` (the writes the interface offers for that type). A token request may ask
for them as they are (SMART v1 style) or in SMART App Launch v2 form, `system/<Type>.<cruds>`:
`r` and `s` need `.read`; `c`, `u` and `d` need `.write`. Since `.read` always covers both read and
search, `system/Patient.r` is granted as `system/Patient.rs`, and the answer says so (RFC 6749
§3.3: the granted scope is returned when it differs). `*` as the type means every type the
system has in that mode.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import RESOURCE_TYPES, WRITE_TYPES

MAX_SCOPES = 50
_V1 = re.compile(r"system/(\*|[A-Za-z]{1,40})\.(read|write|\*)")
_V2 = re.compile(r"system/(\*|[A-Za-z]{1,40})\.(c?r?u?d?s?)")


class UnknownScope(ValueError):
    pass


@dataclass(frozen=True)
class Granted:
    scopes: tuple[str, ...]  # Werkbrug's own, stored on the token
    answer: str  # as the token answer states them


def _modes(perms: str) -> set[str]:
    modes = set()
    if set(perms) & set("rs"):
        modes.add("read")
    if set(perms) & set("cud"):
        modes.add("write")
    return modes


def _v2(resource: str, modes: set[str]) -> str:
    perms = ("rs" if "read" in modes else "") + ("cud" if "write" in modes else "")
    return f"system/{resource}." + "".join(p for p in "cruds" if p in perms)


def grant(asked: str, held: list[str]) -> Granted:
    """The scopes granted for the `scope` parameter `asked` (all held when empty); UnknownScope
    when one is unknown, malformed or more than the system holds."""
    words = asked.split()
    if not words:
        return Granted(tuple(held), " ".join(held))
    if len(words) > MAX_SCOPES:
        raise UnknownScope("too many scopes")
    granted: list[str] = []
    answer: list[str] = []
    for word in words:
        v1, v2 = _V1.fullmatch(word), _V2.fullmatch(word)
        if v1:
            resource, modes = v1.group(1), ({"read", "write"} if v1.group(2) == "*" else {v1.group(2)})
        elif v2 and v2.group(2):
            resource, modes = v2.group(1), _modes(v2.group(2))
        else:
            raise UnknownScope(word)
        if resource != "*" and resource not in RESOURCE_TYPES + WRITE_TYPES:
            raise UnknownScope(word)
        if resource == "*":
            wanted = [s for s in held if s.rsplit(".", 1)[1] in modes]
            if not wanted:
                raise UnknownScope(word)
        else:
            wanted = [f"system/{resource}.{mode}" for mode in sorted(modes)]
            if any(w not in held for w in wanted):
                raise UnknownScope(word)
        granted += [w for w in wanted if w not in granted]
        answer.append(word if v1 else _v2(resource, modes))
    return Granted(tuple(granted), " ".join(dict.fromkeys(answer)))
