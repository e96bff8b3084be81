"""The citizen service number (BSN) and its eleven test (elfproef).

A BSN has nine digits d1..d9 with 9*d1 + 8*d2 + … + 2*d8 - 1*d9 divisible by 11 (and not all
zeros). Eight-digit numbers are written with a leading zero.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

BSN_CANDIDATE = re.compile(r"(?<!\d)(\d{9}|\d{4}[ .]\d{2}[ .]\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?!\d)")


@sensitive_variables()
def is_valid_bsn(value: str) -> bool:
    digits = re.sub(r"[ .]", "", value or "")
    if len(digits) == 8:
        digits = "0" + digits
    if not re.fullmatch(r"\d{9}", digits) or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True))
    total -= int(digits[8])
    return total % 11 == 0


@sensitive_variables()
def normalise_bsn(value: str) -> str:
    digits = re.sub(r"[ .]", "", value or "")
    return digits.zfill(9) if len(digits) == 8 else digits


@sensitive_variables()
def validate_bsn(value: str) -> None:
    if not is_valid_bsn(value):
        raise ValidationError(
            _("This is not a valid citizen service number (BSN): it fails the eleven test."),
            code="invalid_bsn",
        )


def find_bsns(text: str) -> list[str]:
    """Every nine-digit number in `text` that passes the eleven test (for identity warnings)."""
    return [m.group(0) for m in BSN_CANDIDATE.finditer(text or "") if is_valid_bsn(m.group(0))]
