"""The allocation log: every allocation with who randomised, when (the date it counts from and the
moment it was recorded), the stratum, the block and the number in the stratum's sequence.

Readers are the research team and the study's auditors (`study.allocations`). The block, block
size and sequence number show how far each block has gone, from which the next allocation could
be guessed: they are shown to the auditors, and to the team only after the recorded unblinding
(`study.sequence.view`). An imported allocation (arm given, made elsewhere) is marked as such and
has no block.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.spreadsheets import spreadsheet_row

from .models import Allocation, Study

if TYPE_CHECKING:
    from werkbrug.core.models import User


@dataclass(frozen=True)
class LogRow:
    participant: str
    arm: str
    randomised_on: date
    recorded_at: datetime
    randomised_by: str
    stratum: str
    imported: bool
    sequence_number: int | None  # None: concealed from this reader
    block_number: int | None
    block_size: int | None


def sequence_visible(*, user: User, study: Study) -> bool:
    return policy.can(user, "study.sequence.view", study)


def allocation_log(*, study: Study, user: User) -> list[LogRow]:
    """The log as `user` may read it (the caller authorised `study.allocations`)."""
    visible = sequence_visible(user=user, study=study)
    rows = []
    for a in Allocation.objects.filter(study=study).select_related("participant", "arm", "randomised_by").order_by(
        "randomised_at", "id"
    ):
        rows.append(LogRow(
            participant=a.participant.study_pseudonym, arm=a.arm.code, randomised_on=a.randomised_on,
            recorded_at=timezone.localtime(a.randomised_at), randomised_by=a.randomised_by.get_full_name(),
            stratum=a.stratum, imported=a.imported_in_id is not None,
            sequence_number=a.sequence_number if visible else None,
            block_number=a.block_number if visible and a.imported_in_id is None else None,
            block_size=a.block_size if visible and a.imported_in_id is None else None,
        ))
    return rows


class _Echo:
    def write(self, value: str) -> str:
        return value


HEADER = ("participant", "arm", "randomised_on", "recorded_at", "randomised_by", "stratum", "imported",
          "sequence_number", "block", "block_size")


def csv_rows(rows: list[LogRow]) -> Iterator[str]:
    """CSV with every text cell formula-escaped (`spreadsheet_row`); concealed cells are empty."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(HEADER)
    for r in rows:
        yield writer.writerow(spreadsheet_row((
            r.participant, r.arm, r.randomised_on.isoformat(), timezone.localtime(r.recorded_at).strftime("%Y-%m-%d %H:%M"),
            r.randomised_by, r.stratum, _("yes") if r.imported else _("no"),
            "" if r.sequence_number is None else r.sequence_number,
            "" if r.block_number is None else r.block_number, "" if r.block_size is None else r.block_size,
        )))
