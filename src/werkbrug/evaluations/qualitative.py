"""Qualitative coding beyond whole passages: text spans, memos, and a codebook that can change.

- A coder codes a whole passage or a span of it (`Coding.start`/`end`, character offsets into the
  passage text). A span is validated against the text: the offsets must lie inside the passage
  and, when the coder also sends the selected text (the page does), it must be the text there. A
  quote alone is enough when it occurs exactly once in the passage (the form without JavaScript).
  A span covering the whole passage is stored as a whole-passage coding.
- Memos are notes on a code or on a passage; only their author changes or deletes them
  (`memo.change` in the policy); like transcripts they may not identify a client.
- Codes are renamed, merged and deleted with an append-only history (`CodeChange`). A merge moves
  the codings, subcodes and memos of a code to the code it is merged into (a coding the target
  already has from the same coder on the same span is not duplicated). A delete needs the code's
  name typed as confirmation and removes its codings; the history keeps the name and the count.
- Two codes co-occur on a passage when a coding of the one overlaps a coding of the other there
  (a whole-passage coding overlaps every span of its passage), whoever coded them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from werkbrug.core import policy

from . import workflow
from .identity import find_identifying
from .models import Code, CodeChange, CodeChangeKind, Coding, Level, Memo, Passage, Study
from .selectors import codebook

if TYPE_CHECKING:
    from werkbrug.core.models import User

__all__ = [
    "code_delete", "code_history", "code_merge", "code_rename", "co_occurrence", "coding_span_add", "memo_add",
    "memo_delete", "memo_update", "memos", "resolve_span",
]

MAX_MEMO = 20_000


def _invalid(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# --- spans -----------------------------------------------------------------------------------


def resolve_span(text: str, start: int | None, end: int | None, quote: str = "") -> tuple[int | None, int | None]:
    """The (start, end) of a coding in `text`, or (None, None) for the whole passage."""
    quote = quote or ""
    if start is None and end is None:
        if not quote.strip():
            return None, None
        found = text.count(quote)
        if found == 0:
            raise _invalid("quote", _("This text does not occur in the passage."), "span")
        if found > 1:
            raise _invalid("quote", _("This text occurs %(n)s times in the passage: give the positions too.") % {"n": found},
                           "ambiguous")
        start = text.index(quote)
        end = start + len(quote)
    elif start is None or end is None:
        raise _invalid("end", _("Give both the first and the last position."), "span")
    elif not 0 <= start < end <= len(text):
        raise _invalid("end", _("The positions lie outside the passage (0 to %(n)s).") % {"n": len(text)}, "span")
    elif quote and text[start:end] != quote:
        # The browser counts characters differently for a few scripts and emoji: trust the text
        # when it occurs once, refuse when positions and text disagree otherwise.
        if text.count(quote) != 1:
            raise _invalid("quote", _("The selected text is not at these positions in the passage."), "span")
        start = text.index(quote)
        end = start + len(quote)
    if start == 0 and end == len(text):
        return None, None
    return start, end


@transaction.atomic
def coding_span_add(
    *, passage: Passage, code: Code, level: str, coder: User, start: int | None = None, end: int | None = None,
    quote: str = "",
) -> Coding:
    passage = Passage.objects.select_for_update().select_related("interview__round__study").get(pk=passage.pk)
    study = passage.interview.round.study
    policy.authorize(coder, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    if code.study_id != study.pk:
        raise _invalid("code", _("This code is not in the study's codebook."), "code")
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."), "level")
    start, end = resolve_span(passage.text, start, end, quote)
    if Coding.objects.filter(passage=passage, code=code, coder=coder, start=start, end=end).exists():
        raise _invalid("code", _("You already gave this text this code."), "duplicate")
    return Coding.objects.create(passage=passage, code=code, level=level, coder=coder, start=start, end=end)


# --- the codebook's changes -------------------------------------------------------------------


def _locked(code: Code) -> tuple[Study, Code]:
    study = Study.objects.select_for_update().get(pk=code.study_id)
    return study, Code.objects.select_for_update().get(pk=code.pk)


@transaction.atomic
def code_rename(*, code: Code, name: str, renamed_by: User, reason: str = "") -> Code:
    study, code = _locked(code)
    policy.authorize(renamed_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    name = (name or "").strip()
    if not name:
        raise _invalid("name", _("Give the code a name."), "name")
    if len(name) > Code._meta.get_field("name").max_length:
        raise _invalid("name", _("The name is too long."), "name")
    if name == code.name:
        return code
    if Code.objects.filter(study=study, parent_id=code.parent_id, name=name).exclude(pk=code.pk).exists():
        raise _invalid("name", _("This code already exists here."), "duplicate")
    CodeChange.objects.create(study=study, code=code, code_guid=code.guid, kind=CodeChangeKind.RENAME,
                              old_name=code.name, new_name=name, reason=reason, changed_by=renamed_by)
    code.name = name
    code.save(update_fields=["name"])
    return code


def _descendant_ids(study: Study, code: Code) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in Code.objects.filter(study=study).values_list("pk", "parent_id"):
        children[parent_id].append(pk)
    found, stack = set(), [code.pk]
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


@transaction.atomic
def code_merge(*, code: Code, into: Code, merged_by: User, reason: str = "") -> Code:
    """Merge `code` into `into`: its codings, subcodes and memos move, `code` goes."""
    study, code = _locked(code)
    policy.authorize(merged_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    into = Code.objects.select_for_update().filter(pk=into.pk, study=study).first()
    if into is None:
        raise _invalid("into", _("The code to merge into is not in this study's codebook."), "into")
    if into.pk == code.pk or into.pk in _descendant_ids(study, code):
        raise _invalid("into", _("A code cannot be merged into itself or one of its subcodes."), "into")
    clash = set(Code.objects.filter(parent=code).values_list("name", flat=True)) & set(
        Code.objects.filter(parent=into).values_list("name", flat=True))
    if clash:
        raise _invalid("into", _("Both codes have a subcode “%(name)s”: merge or rename those first.") % {
            "name": sorted(clash)[0]}, "clash")
    moved = 0
    have = set(Coding.objects.filter(code=into).values_list("passage_id", "coder_id", "start", "end"))
    for coding in Coding.objects.select_for_update().filter(code=code):
        key = (coding.passage_id, coding.coder_id, coding.start, coding.end)
        if key in have:
            coding.delete()  # the target already carries this coding: one is enough
        else:
            coding.code = into
            coding.save(update_fields=["code"])
            have.add(key)
        moved += 1
    Code.objects.filter(parent=code).update(parent=into)
    Memo.objects.filter(code=code).update(code=into)
    CodeChange.objects.create(study=study, code=None, code_guid=code.guid, kind=CodeChangeKind.MERGE, old_name=code.name,
                              into=into, into_name=into.name, codings=moved, reason=reason, changed_by=merged_by)
    CodeChange.objects.filter(code=code).update(code=None)
    code.delete()
    return into


@transaction.atomic
def code_delete(*, code: Code, deleted_by: User, confirm: str, reason: str = "") -> None:
    """Delete a code and its codings, confirmed by typing the code's name; the history stays."""
    study, code = _locked(code)
    policy.authorize(deleted_by, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    if (confirm or "").strip() != code.name:
        raise _invalid("confirm", _("Type the code's name to confirm the deletion."), "confirm")
    if Code.objects.filter(parent=code).exists():
        raise _invalid("confirm", _("This code has subcodes: merge or delete those first."), "children")
    count = Coding.objects.filter(code=code).count()
    CodeChange.objects.filter(code=code).update(code=None)
    CodeChange.objects.create(study=study, code=None, code_guid=code.guid, kind=CodeChangeKind.DELETE,
                              old_name=code.name, codings=count, reason=reason, changed_by=deleted_by)
    code.delete()


def code_history(*, study: Study):
    return study.code_changes.select_related("changed_by").order_by("-changed_at", "-id")


# --- memos ------------------------------------------------------------------------------------


def memo_text_checked(study: Study, text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise _invalid("text", _("Write the memo."), "text")
    if len(text) > MAX_MEMO:
        raise _invalid("text", _("A memo holds at most %(n)s characters.") % {"n": MAX_MEMO}, "too_long")
    found = find_identifying(text, region=study.region)
    if found:
        raise _invalid("text", _("“%(found)s” identifies a client (a name or citizen service number). Researchers see no "
                                 "names: pseudonymise the memo.") % {"found": ", ".join(found)}, "identifying")
    return text


@transaction.atomic
def memo_add(*, study: Study, author: User, text: str, code: Code | None = None, passage: Passage | None = None) -> Memo:
    study = Study.objects.select_for_update().select_related("region").get(pk=study.pk)
    policy.authorize(author, "study.change", study)
    workflow.study_require(study, workflow.StudyAction.MATERIALS)
    if (code is None) == (passage is None):
        raise ValidationError(_("A memo is about a code or a passage."), code="target")
    if code is not None and code.study_id != study.pk:
        raise _invalid("code", _("This code is not in the study's codebook."), "code")
    if passage is not None and not Passage.objects.filter(pk=passage.pk, interview__round__study=study).exists():
        raise _invalid("passage", _("This passage is not in the study."), "passage")
    return Memo.objects.create(study=study, author=author, text=memo_text_checked(study, text), code=code, passage=passage)


@transaction.atomic
def memo_update(*, memo: Memo, text: str, changed_by: User) -> Memo:
    memo = Memo.objects.select_for_update().select_related("study__region").get(pk=memo.pk)
    policy.authorize(changed_by, "memo.change", memo)
    workflow.study_require(memo.study, workflow.StudyAction.MATERIALS)
    memo.text = memo_text_checked(memo.study, text)
    memo.save(update_fields=["text", "updated_at"])
    return memo


@transaction.atomic
def memo_delete(*, memo: Memo, deleted_by: User) -> None:
    memo = Memo.objects.select_for_update().select_related("study").get(pk=memo.pk)
    policy.authorize(deleted_by, "memo.change", memo)
    workflow.study_require(memo.study, workflow.StudyAction.MATERIALS)
    memo.delete()


def memos(*, study: Study):
    return study.memos.select_related("author", "code", "passage__interview").order_by("created_at", "id")


# --- co-occurrence ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoOccurrence:
    codes: list[tuple[Code, int]]  # codebook order, with depth
    counts: list[list[int]]  # counts[i][j]: passages where code i and code j overlap; [i][i]: passages with code i

    def rows(self) -> list[tuple[Code, int, list[int]]]:
        return [(code, depth, row) for (code, depth), row in zip(self.codes, self.counts, strict=True)]


def _overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    if a[0] is None or b[0] is None:
        return True
    return a[0] < b[1] and b[0] < a[1]  # type: ignore[operator]


def co_occurrence(*, study: Study) -> CoOccurrence:
    codes = codebook(study=study)
    index = {code.pk: i for i, (code, _depth) in enumerate(codes)}
    spans: dict[int, dict[int, list[tuple[Any, Any]]]] = defaultdict(lambda: defaultdict(list))
    for passage_id, code_id, start, end in Coding.objects.filter(code__study=study).values_list(
        "passage_id", "code_id", "start", "end"
    ):
        spans[passage_id][code_id].append((start, end))
    counts = [[0] * len(codes) for _ in codes]
    for by_code in spans.values():
        present = sorted(by_code, key=index.__getitem__)
        for x, a in enumerate(present):
            i = index[a]
            counts[i][i] += 1
            for b in present[x + 1:]:
                if any(_overlap(s, t) for s in by_code[a] for t in by_code[b]):
                    j = index[b]
                    counts[i][j] += 1
                    counts[j][i] += 1
    return CoOccurrence(codes, counts)
