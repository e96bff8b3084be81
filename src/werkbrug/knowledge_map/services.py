"""Writes for the knowledge map: items, relations, the review flow, sync, import and export.

The knowledge map is a living, curated sheet per region of the methods, laws, trainings,
benefits and organisations the network works with. Editors (`Role.EDITOR`) write items as
drafts and publish them; every change adds a row to the item's history (`ItemChange`).
Organisations and ambassadors of the region, and published ambassador Q&As, are mirrored in as
items through `item_upsert_from_source`, the one entry point other apps call.

Public surface for other apps: `item_upsert_from_source`, `region_sync`, `starter_load`.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from werkbrug.core import policy
from werkbrug.core.choices import OrganisationType, Role
from werkbrug.core.models import Organisation, Region, User
from werkbrug.core.spreadsheets import spreadsheet_cell, spreadsheet_text

from .graph import find_cycle, would_close_cycle
from .keys import key_make, key_problem
from .models import (
    Audience,
    Item,
    ItemChange,
    ItemKind,
    ItemStatus,
    Relation,
    RelationKind,
    Scope,
    SourceType,
    Theme,
)
from .workflow import ALLOWED_TRANSITIONS

__all__ = [
    "item_create",
    "item_update",
    "item_transition",
    "relation_add",
    "relation_remove",
    "item_upsert_from_source",
    "region_sync",
    "starter_load",
    "knowledge_import",
    "knowledge_export",
    "EXPORT_COLUMNS",
]

STARTER_FILE = Path(__file__).parent / "data" / "starter.json"
EDITABLE = ("key", "kind", "title", "summary", "links", "audience", "theme", "scope", "tags", "owner", "review_on")
EXPORT_COLUMNS = [
    "key", "kind", "title", "summary", "links", "audience", "theme", "scope", "tags", "owner",
    "review_on", "status", "source_type", "source_id", "relations",
]
EXPORT_FORMAT = "werkbrug-knowledge-map"
EXPORT_VERSION = 1
_url = URLValidator(schemes=["http", "https"])


# --- field cleaning (shared by the services, the import and therefore the API and forms) ---


def _field_error(field: str, message: str, code: str) -> ValidationError:
    """An error on one field that keeps its code (for the API's problem+json and the tests)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _as_list(value: Any) -> list[str]:
    """A comma-separated text or a list of texts as a list; anything else raises TypeError."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise TypeError("not a list of texts")
    return [v.strip() for v in value if v.strip()]


TEXT_FIELDS = ("key", "title", "summary", "kind", "theme", "scope")


def clean_links(value: Any) -> list[dict[str, str]]:
    """Links as [{"url": …, "label": …}]; only complete http(s) addresses are accepted."""
    if value in (None, ""):
        return []
    if not isinstance(value, list | tuple):
        raise _field_error("links", _("Give the links as a list."), "links")
    links = []
    for raw in value:
        if isinstance(raw, str):
            raw = {"url": raw, "label": ""}
        if not isinstance(raw, dict) or not isinstance(raw.get("url"), str):
            raise _field_error("links", _("Each link needs an address."), "links")
        url = raw["url"].strip()
        try:
            _url(url)
        except ValidationError:
            raise _field_error("links", _("“%(url)s” is not a complete web address (it must start with https:// or http://).") % {"url": url[:200]}, "link_malformed") from None
        label = raw.get("label") or ""
        if not isinstance(label, str):
            raise _field_error("links", _("The label of a link must be text."), "links")
        label = " ".join(label.split())  # one line: a CSV export writes one link per line
        if len(label) > 120:
            raise _field_error("links", _("Keep the label of a link under 120 characters."), "links")
        links.append({"url": url, "label": label})
    return links


def clean_item_fields(data: dict[str, Any], *, region: Region, partial: bool = False) -> dict[str, Any]:
    """Validate and normalise item fields. Raises one ValidationError naming every bad field."""
    errors: dict[str, list[ValidationError]] = {}
    out: dict[str, Any] = {}

    def fail(field: str, message: str, code: str = "invalid") -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    required = {"key", "kind", "title", "summary", "theme"}
    for field in EDITABLE:
        if field not in data:
            if not partial and field in required:
                fail(field, _("This field is required."))
            continue
        value = data[field]
        if field in TEXT_FIELDS:
            if value is not None and not isinstance(value, str):
                # e.g. a number or a list in an imported JSON file
                fail(field, _("Give this as text."), "type")
                continue
            # one kind of line end, so a lone carriage return cannot break a CSV line
            value = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
            if field in required and not value:
                fail(field, _("This field is required."))
                continue
        if field == "key":
            problem = key_problem(value)
            if problem:
                fail(field, problem)
                continue
        elif field == "title" and len(value) > 160:
            fail(field, _("Keep the title under 160 characters."))
            continue
        elif field == "kind" and value not in ItemKind.values:
            fail(field, _("Unknown kind “%(v)s”.") % {"v": value})
            continue
        elif field == "theme" and value not in Theme.values:
            fail(field, _("Unknown theme “%(v)s”.") % {"v": value})
            continue
        elif field == "scope":
            value = value or Scope.REGIONAL
            if value not in Scope.values:
                fail(field, _("Choose national or regional."))
                continue
        elif field == "audience":
            try:
                value = _as_list(value)
            except TypeError:
                fail(field, _("Give the audience as a list of codes."), "type")
                continue
            bad = [a for a in value if a not in Audience.values]
            if bad:
                fail(field, _("Unknown audience “%(v)s”.") % {"v": ", ".join(bad)})
                continue
            value = ",".join(a for a in Audience.values if a in value)
        elif field == "tags":
            try:
                value = ", ".join(dict.fromkeys(t.lower() for t in _as_list(value)))
            except TypeError:
                fail(field, _("Give the tags as a list of words."), "type")
                continue
            if len(value) > 300:
                fail(field, _("Too many tags."))
                continue
        elif field == "links":
            try:
                value = clean_links(value)
            except ValidationError as exc:
                errors.setdefault("links", []).extend(exc.error_dict["links"])
                continue
        elif field == "review_on":
            if isinstance(value, str):
                try:
                    value = date_from_text(value)
                except ValidationError as exc:
                    fail(field, exc.messages[0])
                    continue
            elif value is not None and not isinstance(value, date):
                fail(field, _("Give the date as YYYY-MM-DD."))
                continue
        elif field == "owner" and value is not None:
            if isinstance(value, str):
                found = User.objects.filter(username=value, region=region, kind="professional").first() if value else None
                if value and found is None:
                    fail(field, _("No professional “%(v)s” in this region.") % {"v": value})
                    continue
                value = found
            elif not isinstance(value, User) or value.region_id != region.pk or not value.is_professional:
                fail(field, _("The owner must be a professional in this region."))
                continue
        out[field] = value
    if errors:
        raise ValidationError(errors)
    return out


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})")


def date_from_text(value: str) -> date | None:
    """A date written as 2027-01-31 (our exports) or 31-01-2027 (Dutch spreadsheets); empty is
    None. A date that looks right but is not in the calendar (30 February) is named as such."""
    value = value.strip()
    if not value:
        return None
    if match := _ISO_DATE.fullmatch(value):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DUTCH_DATE.fullmatch(value):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValidationError(_("Give the date as YYYY-MM-DD."), code="date")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValidationError(
            _("%(d)s does not exist.") % {"d": f"{day:02d}-{month:02d}-{year:04d}"}, code="date_impossible"
        ) from None


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, User):
        return value.username
    return value


def _record(item: Item, actor: User | None, action: str, changes: dict | None = None) -> ItemChange:
    """Every change of the map is recorded here, so here the layout is warmed after the commit."""
    from .tasks import layout_warm_after_commit

    layout_warm_after_commit(item.region_id)
    return ItemChange.objects.create(
        item=item, changed_at=timezone.now(), changed_by=actor, action=action, changes=changes or {},
    )


def _check_key_free(region: Region, key: str, exclude_pk: int | None = None) -> None:
    qs = Item.objects.filter(region=region, key=key)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise _field_error("key", _("Another item already uses the key “%(key)s”.") % {"key": key}, "key_taken")


# --- items ---


def _create(*, region: Region, actor: User | None, fields: dict, status: str, action: str = "created",
            source_type: str = "", source_id: str = "") -> Item:
    item = Item(region=region, status=status, source_type=source_type, source_id=source_id, **fields)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:  # the key was taken a moment ago by someone else
        raise _field_error("key", _("Another item already uses the key “%(key)s”.") % {"key": fields.get("key", "")}, "key_taken") from None
    _record(item, actor, action, {k: [None, _plain(v)] for k, v in fields.items()} | {"status": [None, status]})
    return item


def _apply(item: Item, actor: User | None, fields: dict, action: str = "updated") -> dict:
    changes = {}
    for name, value in fields.items():
        old = getattr(item, name)
        if old != value:
            changes[name] = [_plain(old), _plain(value)]
            setattr(item, name, value)
    if changes:
        item.save()
        _record(item, actor, action, changes)
    return changes


@transaction.atomic
def item_create(*, region: Region, actor: User, **data: Any) -> Item:
    """Create an item as a draft. Editors only. Without a key, one is made from the title."""
    policy.authorize(actor, "knowledge_item.create", region)
    if data.get("key") in (None, "") and isinstance(data.get("title"), str) and data["title"].strip():
        data["key"] = key_make(region=region, text=data["title"])
    fields = clean_item_fields(data, region=region)
    _check_key_free(region, fields["key"])
    return _create(region=region, actor=actor, fields=fields, status=ItemStatus.DRAFT)


@transaction.atomic
def item_update(*, item: Item, actor: User, **data: Any) -> Item:
    """Change some fields of an item; the history records old and new values."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    policy.authorize(actor, "knowledge_item.change", item)
    fields = clean_item_fields(data, region=item.region, partial=True)
    if "key" in fields:
        _check_key_free(item.region, fields["key"], item.pk)
    _apply(item, actor, fields)
    return item


@transaction.atomic
def item_transition(*, item: Item, actor: User, to: str) -> Item:
    """Move an item through the review flow (see `workflow.py`)."""
    item = Item.objects.select_for_update().get(pk=item.pk)
    policy.authorize(actor, "knowledge_item.publish", item)
    verb = ALLOWED_TRANSITIONS.get((item.status, to))
    if verb is None:
        raise ValidationError(
            _("An item with status “%(frm)s” cannot become “%(to)s”.") % {"frm": item.get_status_display(), "to": to},
            code="transition",
        )
    if to == ItemStatus.PUBLISHED and not item.summary.strip():
        raise ValidationError(_("Write a summary before publishing."), code="summary")
    old = item.status
    item.status = to
    item.save(update_fields=["status", "updated_at"])
    _record(item, actor, verb, {"status": [old, to]})
    return item


# --- relations ---


def _part_of_edges(region_id: int) -> dict[int, set[int]]:
    edges: dict[int, set[int]] = defaultdict(set)
    for s, t in Relation.objects.filter(source__region_id=region_id, kind=RelationKind.PART_OF).values_list("source_id", "target_id"):
        edges[s].add(t)
    return edges


@transaction.atomic
def relation_add(*, source: Item, target: Item | None, kind: str, actor: User | None) -> Relation:
    """Link two items of the same region. Refuses a missing target, a self-link and a
    "part of" that would close a circle."""
    source = Item.objects.select_for_update().get(pk=source.pk)
    if actor is not None:
        policy.authorize(actor, "knowledge_relation.change", source)
    if kind == RelationKind.PART_OF:
        # one "part of" change per region at a time, so two editors cannot close a circle together
        Region.objects.select_for_update().get(pk=source.region_id)
    if target is None or not Item.objects.filter(pk=target.pk, region_id=source.region_id).exists():
        raise _field_error("target", _("The item to link to does not exist."), "target_missing")
    if kind not in RelationKind.values:
        raise _field_error("kind", _("Unknown relation “%(v)s”.") % {"v": kind}, "kind")
    if target.pk == source.pk:
        raise _field_error("target", _("An item cannot be linked to itself."), "self_relation")
    if Relation.objects.filter(source=source, target=target, kind=kind).exists():
        raise _field_error("target", _("This link already exists."), "duplicate")
    if kind == RelationKind.PART_OF and would_close_cycle(_part_of_edges(source.region_id), source.pk, target.pk):
        raise _field_error("target", _("“%(target)s” is already part of “%(source)s”, so “%(source)s” cannot also be part of “%(target)s”.") % {"target": target.title, "source": source.title}, "cycle")
    try:
        with transaction.atomic():
            relation = Relation.objects.create(source=source, target=target, kind=kind)
    except IntegrityError:  # the same link added by someone else a moment ago
        raise _field_error("target", _("This link already exists."), "duplicate") from None
    _record(source, actor, "relation_added", {"relation": [None, f"{kind}:{target.key}"]})
    return relation


@transaction.atomic
def relation_remove(*, relation: Relation, actor: User) -> None:
    source = Item.objects.select_for_update().get(pk=relation.source_id)
    policy.authorize(actor, "knowledge_relation.change", source)
    _record(source, actor, "relation_removed", {"relation": [f"{relation.kind}:{relation.target.key}", None]})
    relation.delete()


# --- items mirrored from the rest of Werkbrug ---


@transaction.atomic
def item_upsert_from_source(
    *,
    source_type: str,
    source_id: str | int,
    title: str,
    summary: str,
    url: str = "",
    region: Region,
    kind: str | None = None,
    theme: str = Theme.COOPERATION,
    audience: list[str] | tuple[str, ...] = (Audience.GGZ, Audience.WORK_INCOME),
    tags: list[str] | tuple[str, ...] = (),
    published: bool = True,
    part_of: Item | None = None,
    actor: User | None = None,
    owner: User | None = None,
) -> Item:
    """Create or update the item that mirrors something elsewhere in Werkbrug.

    `owner`: who answers for the source (the ambassador, the one who answered the Q&A); without
    one, the region's first editor. A mirrored item gets that owner and a review date a year on
    when it has none; an owner or date an editor chose is kept.

    For other apps: the `ambassadors` app calls this with `source_type="ambassador_qa"` and the
    question's id when a Q&A is published (and `published=False` when it is withdrawn). The
    caller has already decided the action is allowed; no editor is needed. Idempotent: the same
    source updates the same item, recording only real changes in its history.
    """
    if source_type not in (SourceType.ORGANISATION, SourceType.AMBASSADOR, SourceType.AMBASSADOR_QA):
        raise _field_error("source_type", _("Unknown source."), "source_type")
    if kind is None:
        kind = {"organisation": ItemKind.ORGANISATION, "ambassador": ItemKind.CONTACT}.get(source_type, ItemKind.QA)
    data = {
        "kind": kind, "title": (title or "")[:160], "summary": summary, "theme": theme,
        "links": [{"url": url, "label": ""}] if url else [], "audience": list(audience), "tags": list(tags),
        "scope": Scope.REGIONAL,
    }
    fields = clean_item_fields(data, region=region, partial=True)
    item = (
        Item.objects.select_for_update()
        .filter(region=region, source_type=source_type, source_id=str(source_id))
        .first()
    )
    if owner is None or not (owner.is_active and owner.is_professional and owner.region_id == region.pk):
        owner = _region_editor(region)
    if item is None or item.owner_id is None:
        fields["owner"] = owner
    if item is None or item.review_on is None:
        fields["review_on"] = timezone.localdate() + MIRROR_REVIEW_AFTER
    status = ItemStatus.PUBLISHED if published else ItemStatus.ARCHIVED
    if item is None:
        fields["key"] = key_make(region=region, text=f"{source_type}-{title}")
        item = _create(region=region, actor=actor, fields=fields, status=status, action="synced",
                       source_type=source_type, source_id=str(source_id))
    else:
        _apply(item, actor, fields | {"status": status}, action="synced")
    if part_of is not None and not Relation.objects.filter(source=item, target=part_of, kind=RelationKind.PART_OF).exists():
        # someone who moved to another organisation: the link to the old one goes
        for old in Relation.objects.filter(source=item, kind=RelationKind.PART_OF,
                                           target__source_type=SourceType.ORGANISATION).select_related("target"):
            _record(item, actor, "relation_removed", {"relation": [f"{old.kind}:{old.target.key}", None]})
            old.delete()
        if part_of.region_id != region.pk or part_of.pk == item.pk:
            raise _field_error("part_of", _("The item to link to does not exist."), "target_missing")
        if would_close_cycle(_part_of_edges(region.pk), item.pk, part_of.pk):
            raise _field_error("part_of", _("This would make “part of” go round in a circle."), "cycle")
        Relation.objects.create(source=item, target=part_of, kind=RelationKind.PART_OF)
        _record(item, actor, "relation_added", {"relation": [None, f"{RelationKind.PART_OF}:{part_of.key}"]})
    return item


MIRROR_REVIEW_AFTER = timedelta(days=365)


def _region_editor(region: Region) -> User | None:
    return (User.objects.filter(region=region, kind="professional", is_active=True, role_assignments__role=Role.EDITOR)
            .order_by("pk").first())


ORGANISATION_THEME = {
    OrganisationType.GGZ: Theme.CARE,
    OrganisationType.UWV: Theme.INCOME,
    OrganisationType.MUNICIPALITY: Theme.INCOME,
    OrganisationType.REINTEGRATION: Theme.WORK,
    OrganisationType.WORK_COMPANY: Theme.WORK,
    OrganisationType.DEBT_COUNSELLING: Theme.DEBTS,
    OrganisationType.EXPERIENCE_EXPERTS: Theme.EXPERIENCE,
    OrganisationType.CLIENT_ORGANISATION: Theme.COOPERATION,
    OrganisationType.RESEARCH: Theme.COOPERATION,
    OrganisationType.EMPLOYER: Theme.WORK,
}


# A region's organisation of this type is connected to the national starter item of that key.
ORGANISATION_NATIONAL = {
    OrganisationType.UWV: ("uwv", RelationKind.PART_OF),
    OrganisationType.MUNICIPALITY: ("gemeente-werk-inkomen", RelationKind.SEE_ALSO),
    OrganisationType.DEBT_COUNSELLING: ("schuldhulpverlening", RelationKind.SEE_ALSO),
    OrganisationType.WORK_COMPANY: ("beschut-werk", RelationKind.SEE_ALSO),
    OrganisationType.EXPERIENCE_EXPERTS: ("ervaringsdeskundigheid-opleiding", RelationKind.SEE_ALSO),
}


def _web_address(url: str) -> str:
    """The address when it is a complete http(s) one, else nothing (the item then has no link)."""
    try:
        _url((url or "").strip())
    except ValidationError:
        return ""
    return url.strip()


def _link_to_national(item: Item, org_type: str, actor: User | None) -> None:
    """Connect a mirrored organisation to the national item of its kind, once (editors may remove it)."""
    key, kind = ORGANISATION_NATIONAL.get(org_type, (None, None))
    if key is None or ItemChange.objects.filter(item=item, action="linked_national").exists():
        return
    target = Item.objects.filter(region_id=item.region_id, key=key).first()
    if target is None or Relation.objects.filter(source=item, target=target).exists():
        return
    if kind == RelationKind.PART_OF and would_close_cycle(_part_of_edges(item.region_id), item.pk, target.pk):
        return
    Relation.objects.create(source=item, target=target, kind=kind)
    _record(item, actor, "linked_national", {"relation": [None, f"{kind}:{key}"]})


def region_sync(*, region: Region, actor: User | None = None) -> dict[str, int]:
    """Mirror the region's organisations and ambassadors onto the map. Safe to run often.

    Ambassadors become contact persons, "part of" their organisation; someone who is no longer
    an ambassador has their item archived.
    """
    if actor is not None:
        policy.authorize(actor, "knowledge_map.sync", region)
    counts = {"organisations": 0, "ambassadors": 0, "archived": 0}
    with transaction.atomic():
        org_items: dict[int, Item] = {}
        for org in Organisation.objects.filter(region=region).order_by("name"):
            summary = _("%(type)s in the region.") % {"type": org.get_type_display()}
            contact = " ".join(p for p in (org.phone, org.email) if p)
            if contact:
                summary += " " + _("Contact: %(c)s.") % {"c": contact}
            org_items[org.pk] = item_upsert_from_source(
                source_type=SourceType.ORGANISATION, source_id=org.pk, title=org.name, summary=summary,
                url=_web_address(org.website), region=region, theme=ORGANISATION_THEME.get(org.type, Theme.COOPERATION),
                actor=actor,
            )
            _link_to_national(org_items[org.pk], org.type, actor)
            counts["organisations"] += 1
        ambassadors = (
            User.objects.filter(region=region, kind="professional", is_active=True, role_assignments__role=Role.AMBASSADOR)
            .select_related("organisation").order_by("last_name", "first_name")
        )
        current = set()
        for person in ambassadors:
            org = person.organisation
            name = person.get_full_name() or person.username
            summary = _(
                "Ambassador of %(org)s. Stuck on a case? Ask the ambassador: you get an answer within 48 hours."
            ) % {"org": org.name if org else "-"}
            contact = " ".join(p for p in (person.phone, person.email) if p)
            if contact:
                summary += " " + _("Contact: %(c)s.") % {"c": contact}
            item_upsert_from_source(
                source_type=SourceType.AMBASSADOR, source_id=person.pk,
                title=_("Ambassador: %(name)s") % {"name": name}, summary=summary, region=region,
                kind=ItemKind.CONTACT, theme=Theme.COOPERATION,
                part_of=org_items.get(org.pk) if org else None, actor=actor, owner=person,
            )
            current.add(str(person.pk))
            counts["ambassadors"] += 1
        for item in Item.objects.filter(region=region, source_type=SourceType.AMBASSADOR).exclude(
            source_id__in=current
        ).exclude(status=ItemStatus.ARCHIVED):
            _apply(item, actor, {"status": ItemStatus.ARCHIVED}, action="synced")
            counts["archived"] += 1
        counts["qas"] = _sync_qas(region=region, actor=actor)
    return counts


def qa_upsert(*, qa: Any, region: Region, actor: User | None = None) -> Item | None:
    """A published ambassador Q&A (its public question and answer) as a map item; None when it
    has no public text. The ambassadors app calls this when a Q&A is published; the sync too."""
    question = (getattr(qa, "public_question", "") or "").strip()
    answer = (getattr(qa, "public_answer", "") or "").strip()
    if not question or not answer:
        return None
    topic = getattr(getattr(qa, "topic", None), "name", "")
    return item_upsert_from_source(
        source_type=SourceType.AMBASSADOR_QA, source_id=qa.pk, title=question, summary=answer,
        region=region, kind=ItemKind.QA, theme=Theme.COOPERATION, tags=[topic] if topic else [],
        actor=actor, owner=getattr(qa, "answered_by", None),
    )


def qa_withdraw(*, qa_id: int, region: Region, actor: User | None = None) -> Item | None:
    """A Q&A taken back by the ambassadors app: its map item is archived and its wording blanked
    (it may have held something identifying). None when the Q&A was never on the map."""
    item = Item.objects.filter(region=region, source_type=SourceType.AMBASSADOR_QA, source_id=str(qa_id)).first()
    if item is None:
        return None
    _apply(item, actor, {"status": ItemStatus.ARCHIVED, "title": _("Q&A taken back"), "summary": ""}, action="synced")
    return item


def _sync_qas(*, region: Region, actor: User | None) -> int:
    """Pull the region's published ambassador Q&As in (the ambassadors app may also push them
    with `item_upsert_from_source`). Read through the ambassadors app's own selector, as the
    actor, so its policy decides what is published; skipped without an actor or that app."""
    try:
        from werkbrug.ambassadors.selectors import qa_list
    except ImportError:
        return 0
    if actor is None or actor.region_id != region.pk:
        return 0
    seen = set()
    for qa in qa_list(user=actor):
        if qa_upsert(qa=qa, region=region, actor=actor) is not None:
            seen.add(str(qa.pk))
    for item in Item.objects.filter(region=region, source_type=SourceType.AMBASSADOR_QA,
                                    status=ItemStatus.PUBLISHED).exclude(source_id__in=seen):
        _apply(item, actor, {"status": ItemStatus.ARCHIVED}, action="synced")
    return len(seen)


# --- import and export ---


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    relations: int = 0
    relations_removed: int = 0


class ImportRefused(ValidationError):
    """The import wrote nothing; `.messages` lists every problem, with its line."""


def _relation_out(rel_kind: str, target: str) -> str:
    return f"{rel_kind}:{target}"


def _export_rows(region: Region) -> list[dict[str, Any]]:
    items = list(Item.objects.filter(region=region).select_related("owner").order_by("key"))
    keys = {i.pk: i.key for i in items}
    relations: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for s, t, k in Relation.objects.filter(source__region=region).values_list("source_id", "target_id", "kind"):
        relations[s].append((k, keys[t]))
    rows = []
    for item in items:
        rows.append({
            "key": item.key, "kind": item.kind, "title": item.title, "summary": item.summary,
            "links": item.links, "audience": item.audience_list, "theme": item.theme, "scope": item.scope,
            "tags": item.tag_list, "owner": item.owner.username if item.owner else "",
            "review_on": item.review_on.isoformat() if item.review_on else "", "status": item.status,
            "source_type": item.source_type, "source_id": item.source_id,
            "relations": [{"kind": k, "target": t} for k, t in sorted(relations[item.pk])],
        })
    return rows


def knowledge_export(*, region: Region, fmt: str, actor: User | None = None) -> str:
    """All the region's items and relations as JSON or CSV text (UTF-8). See the docs for the format."""
    if actor is not None:
        policy.authorize(actor, "knowledge_map.export", region)
    rows = _export_rows(region)
    if fmt == "json":
        return json.dumps({"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "items": rows}, ensure_ascii=False, indent=2)
    if fmt != "csv":
        raise ValidationError(_("Choose JSON or CSV."), code="format")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        cells = row | {
            # One link per line: "address label"; relations one per line: "kind:key".
            "links": "\n".join(f"{link['url']} {link['label']}".strip() for link in row["links"]),
            "audience": ",".join(row["audience"]),
            "tags": ", ".join(row["tags"]),
            "relations": "\n".join(_relation_out(r["kind"], r["target"]) for r in row["relations"]),
        }
        writer.writerow({key: spreadsheet_cell(value) for key, value in cells.items()})
    return buffer.getvalue()


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” or JSON and try again."), code="encoding"
        ) from None


def _parse_csv(text: str) -> list[tuple[str, dict]]:
    try:
        return _read_csv(text)
    except csv.Error as exc:
        # e.g. a cell longer than the csv module allows, or a quote that is never closed
        raise ImportRefused(
            _("The CSV file cannot be read (%(reason)s). Start from an export.") % {"reason": str(exc)[:200]},
            code="csv",
        ) from None


def csv_delimiter(text: str) -> str:
    """The CSV dialect we read: comma (our exports) or semicolon (what Dutch Excel saves),
    decided by the header line, whose column names hold neither."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _read_csv(text: str) -> list[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=csv_delimiter(text))
    header = reader.fieldnames or []
    missing = [c for c in EXPORT_COLUMNS if c not in header]
    unknown = [c for c in header if c not in EXPORT_COLUMNS]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append(_("missing: %(c)s") % {"c": ", ".join(missing)})
        if unknown:
            parts.append(_("unknown: %(c)s") % {"c": ", ".join(unknown)})
        if not parts:
            parts.append(_("a column appears twice"))
        raise ImportRefused(_("The columns are not right (%(p)s). Start from an export.") % {"p": "; ".join(parts)}, code="columns")
    rows = []
    line = 2
    for record in reader:
        if None in record:
            rows.append((_("Line %(n)s") % {"n": line}, {"__error__": _("This line has more cells than there are columns.")}))
        else:
            record = {key: spreadsheet_text(value) if isinstance(value, str) else value for key, value in record.items()}
            links = []
            for entry in (record["links"] or "").splitlines():
                if entry.strip():
                    url, _sep, label = entry.strip().partition(" ")
                    links.append({"url": url, "label": label.strip()})
            relations = []
            for entry in (record["relations"] or "").splitlines():
                if entry.strip():
                    kind, _sep, target = entry.strip().partition(":")
                    relations.append({"kind": kind.strip(), "target": target.strip()})
            rows.append((_("Line %(n)s") % {"n": line}, record | {"links": links, "relations": relations}))
        line = reader.line_num + 1
    return rows


def _parse_json(text: str) -> list[tuple[str, dict]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(_("This is not valid JSON (line %(n)s).") % {"n": exc.lineno}, code="json") from None
    except RecursionError:
        raise ImportRefused(_("This JSON file is nested too deeply."), code="json") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise ImportRefused(_("The JSON file needs an “items” list. Start from an export."), code="columns")
    if data.get("format", EXPORT_FORMAT) != EXPORT_FORMAT or data.get("version", EXPORT_VERSION) != EXPORT_VERSION:
        raise ImportRefused(
            _("This file is not a knowledge map export of version %(v)s (it says “%(f)s”, version “%(fv)s”).")
            % {"v": EXPORT_VERSION, "f": str(data.get("format"))[:60], "fv": str(data.get("version"))[:20]},
            code="version",
        )
    rows = []
    for n, record in enumerate(data["items"], start=1):
        label = _("Item %(n)s") % {"n": n}
        if not isinstance(record, dict):
            rows.append((label, {"__error__": _("This item is not an object.")}))
            continue
        unknown = [k for k in record if k not in EXPORT_COLUMNS]
        missing = [k for k in ("key", "kind", "title", "summary", "theme") if k not in record]
        if unknown or missing:
            rows.append((label, {"__error__": _("Wrong fields (missing: %(m)s; unknown: %(u)s).") % {
                "m": ", ".join(missing) or "-", "u": ", ".join(unknown) or "-"}}))
            continue
        rows.append((label, record))
    return rows


@transaction.atomic
def knowledge_import(*, region: Region, actor: User | None, content: bytes | str, fmt: str,
                     dry_run: bool = False) -> ImportResult:
    """Import items and relations (JSON or CSV, as exported). All or nothing.

    Items are matched by key: new keys are created, known keys updated. For every item in the
    file its outgoing relations become exactly the ones listed. Every bad row is reported with
    its line (CSV) or position (JSON); when any row is bad nothing is written. CSV may be
    separated by commas or semicolons, UTF-8 with or without BOM. With `dry_run` the import is
    checked and counted in full, then rolled back: the result says what it would do.
    """
    if actor is not None:
        policy.authorize(actor, "knowledge_map.import", region)
    text = _decode(content)
    if fmt not in ("json", "csv"):
        raise ImportRefused(_("Choose JSON or CSV."), code="format")
    rows = _parse_json(text) if fmt == "json" else _parse_csv(text)
    if not rows:
        raise ImportRefused(_("The file holds no items."), code="empty")

    existing = {i.key: i for i in Item.objects.select_for_update().filter(region=region)}
    errors: list[str] = []
    cleaned: list[tuple[str, dict, dict, list[tuple[str, str]]]] = []
    seen: dict[str, str] = {}
    seen_sources: dict[tuple[str, str], str] = {}
    for label, record in rows:
        if "__error__" in record:
            errors.append(f"{label}: {record['__error__']}")
            continue
        problems: list[str] = []
        try:
            fields = clean_item_fields({k: record.get(k) for k in EDITABLE if k in record}, region=region)
        except ValidationError as exc:
            fields = {}
            for field, messages in exc.message_dict.items():
                problems.extend(f"{field}: {m}" for m in messages)
        meta = {
            "status": record.get("status") or ItemStatus.DRAFT,
            "source_type": record.get("source_type") or "",
            "source_id": record.get("source_id") or "",
        }
        if isinstance(meta["source_id"], int) and not isinstance(meta["source_id"], bool):
            meta["source_id"] = str(meta["source_id"])
        if not isinstance(meta["status"], str) or meta["status"] not in ItemStatus.values:
            problems.append(_("status: unknown status “%(v)s”.") % {"v": meta["status"]})
        if not isinstance(meta["source_type"], str) or meta["source_type"] not in SourceType.values:
            problems.append(_("source_type: unknown source “%(v)s”.") % {"v": meta["source_type"]})
        elif not isinstance(meta["source_id"], str) or len(meta["source_id"]) > 64:
            problems.append(_("source_id: give a text of at most 64 characters."))
        elif bool(meta["source_type"]) != bool(meta["source_id"]):
            problems.append(_("source_type and source_id: give both or neither."))
        elif meta["source_type"]:
            pair = (meta["source_type"], meta["source_id"])
            if pair in seen_sources:
                problems.append(_("source_id: “%(s)s” appears twice (also at %(other)s).") % {
                    "s": ":".join(pair), "other": seen_sources[pair]})
            seen_sources.setdefault(pair, label)
        key = fields.get("key") or (record.get("key") if isinstance(record.get("key"), str) else "")
        if key and key in seen:
            problems.append(_("key: “%(k)s” appears twice (also at %(other)s).") % {"k": key, "other": seen[key]})
        seen.setdefault(key, label)
        rels: list[tuple[str, str]] = []
        raw_relations = record.get("relations") or []
        if not isinstance(raw_relations, list):
            problems.append(_("relations: give a list."))
            raw_relations = []
        for rel in raw_relations:
            kind = rel.get("kind") if isinstance(rel, dict) else None
            target = rel.get("target") if isinstance(rel, dict) else None
            if not isinstance(kind, str) or kind not in RelationKind.values:
                problems.append(_("relations: unknown relation “%(v)s”.") % {"v": kind})
            elif not target or not isinstance(target, str):
                problems.append(_("relations: a relation without a target."))
            elif target == key:
                problems.append(_("relations: an item cannot be linked to itself."))
            elif (kind, target) in rels:
                problems.append(_("relations: “%(r)s” is listed twice.") % {"r": f"{kind}:{target}"})
            else:
                rels.append((kind, target))
        if problems:
            errors.extend(f"{label}: {p}" for p in problems)
        else:
            cleaned.append((label, fields, meta, rels))

    # A mirrored item (organisation, ambassador, Q&A) is one item per source in the region.
    owner_of_source = {(i.source_type, i.source_id): k for k, i in existing.items() if i.source_type}
    for label, fields, meta, _r in cleaned:
        other = owner_of_source.get((meta["source_type"], meta["source_id"]))
        if meta["source_type"] and other is not None and other != fields["key"] and other not in seen:
            errors.append(f"{label}: " + _("source_id: the item “%(k)s” already mirrors this source.") % {"k": other})

    known_keys = set(existing) | {fields["key"] for _l, fields, _m, _r in cleaned} | set(seen)
    for label, _fields, _meta, rels in cleaned:
        for _kind, target in rels:
            if target not in known_keys:
                errors.append(f"{label}: " + _("relations: no item with key “%(k)s”.") % {"k": target})

    if not errors:
        # "part of" after the import: the file's lists replace those of its items.
        in_file = {fields["key"] for _l, fields, _m, _r in cleaned}
        edges: dict[str, set[str]] = defaultdict(set)
        key_of = {i.pk: k for k, i in existing.items()}
        for s, t in Relation.objects.filter(source__region=region, kind=RelationKind.PART_OF).values_list("source_id", "target_id"):
            if key_of[s] not in in_file:
                edges[key_of[s]].add(key_of[t])
        labels = {}
        for label, fields, _meta, rels in cleaned:
            labels[fields["key"]] = label
            edges[fields["key"]].update(t for k, t in rels if k == RelationKind.PART_OF)
        cycle = find_cycle(edges)
        if cycle:
            where = labels.get(cycle[0]) or labels.get(cycle[1], "")
            errors.append(f"{where}: " + _("“part of” goes round in a circle: %(c)s.") % {"c": " → ".join(map(str, cycle))})

    if errors:
        raise ImportRefused(errors, code="import_invalid")

    try:
        with transaction.atomic():
            result = _import_write(region=region, actor=actor, existing=existing, cleaned=cleaned)
            if dry_run:
                transaction.set_rollback(True)
            return result
    except IntegrityError:
        # only when another editor changed the same items at the same moment
        raise ImportRefused(
            _("Someone else changed the map at the same moment. Nothing was imported; try again."), code="conflict"
        ) from None


def _import_write(*, region: Region, actor: User | None, existing: dict[str, Item], cleaned: list) -> ImportResult:
    result = ImportResult()
    by_key = dict(existing)
    for _label, fields, meta, _rels in cleaned:
        item = by_key.get(fields["key"])
        full = {f: fields.get(f, "" if f not in ("owner", "review_on", "links") else None) for f in EDITABLE}
        full["links"] = fields.get("links", [])
        full["audience"] = fields.get("audience", "")
        full["tags"] = fields.get("tags", "")
        full["scope"] = fields.get("scope", Scope.REGIONAL)
        if item is None:
            by_key[fields["key"]] = _create(region=region, actor=actor, fields=full, status=meta["status"],
                                            action="imported", **{k: meta[k] for k in ("source_type", "source_id")})
            result.created += 1
        elif _apply(item, actor, full | meta, action="imported"):
            result.updated += 1
    key_of = {i.pk: k for k, i in by_key.items()}
    for _label, fields, _meta, rels in cleaned:
        item = by_key[fields["key"]]
        wanted = {(k, by_key[t].pk) for k, t in rels}
        current = {(r.kind, r.target_id): r for r in item.relations_out.select_related("target")}
        for pair, relation in current.items():
            if pair not in wanted:
                _record(item, actor, "relation_removed", {"relation": [f"{relation.kind}:{relation.target.key}", None]})
                relation.delete()
                result.relations_removed += 1
        for kind, target_pk in sorted(wanted - set(current)):
            Relation.objects.create(source=item, target_id=target_pk, kind=kind)
            _record(item, actor, "relation_added", {"relation": [None, f"{kind}:{key_of[target_pk]}"]})
            result.relations += 1
    return result


def starter_load(*, region: Region, actor: User | None = None) -> ImportResult:
    """Add the starter set of national items shipped with the app (`data/starter.json`).

    Only keys the region does not have yet are added, so running it again never overwrites
    what editors changed; relations of the added items come along.
    """
    data = json.loads(STARTER_FILE.read_text(encoding="utf-8"))
    have = set(Item.objects.filter(region=region).values_list("key", flat=True))
    data["items"] = [row for row in data["items"] if row["key"] not in have]
    if not data["items"]:
        return ImportResult()
    return knowledge_import(region=region, actor=actor, content=json.dumps(data), fmt="json")
