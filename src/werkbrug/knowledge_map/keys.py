"""The key of a knowledge item: one rule for what a key is, one function that makes one.

A key names an item within its region; import, export and relations refer to items by key, so
every key Werkbrug makes must also be accepted when it comes back in a file.

The rule (`key_validate`): 1 to `KEY_MAX` characters; small letters a–z and digits, in groups
joined by single hyphens (underscores are tolerated for keys written before this rule); it
starts and ends with a letter or digit.

Making a key (`key_make`): the text (a title, or "ambassador_qa-<question>") is slugified,
cut so that it fits, never ends in a hyphen, and gets `-2`, `-3` … (still within `KEY_MAX`)
while the region already uses it. Services, the import and the item form all use these two.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _

__all__ = ["KEY_MAX", "key_make", "key_problem", "key_validate"]

KEY_MAX = 80
_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def key_problem(value: object) -> str | None:
    """Why `value` is not a valid key (a Dutch sentence), or None when it is one."""
    if not isinstance(value, str) or not value:
        return _("Give a key.")
    if len(value) > KEY_MAX or not _KEY.fullmatch(value):
        return _("Use only small letters, digits and hyphens (at most %(n)s), starting and ending with a letter or digit.") % {"n": KEY_MAX}
    return None


def key_validate(value: object) -> str:
    """`value` when it is a valid key; else a ValidationError with code "key"."""
    problem = key_problem(value)
    if problem:
        raise ValidationError(problem, code="key")
    return value  # type: ignore[return-value]


def _fit(stem: str, room: int) -> str:
    return stem[:room].strip("-_")


def key_make(*, region, text: str, exclude_pk: int | None = None) -> str:
    """A valid key made from `text`, not yet used by another item of `region`."""
    from .models import Item

    stem = _fit(re.sub(r"[-_]+", "-", slugify(text or "")), KEY_MAX) or "item"
    taken = Item.objects.filter(region=region)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    key, n = stem, 2
    while taken.filter(key=key).exists():
        suffix = f"-{n}"
        key = (_fit(stem, KEY_MAX - len(suffix)) or "item") + suffix
        n += 1
    return key_validate(key)
