"""Reads for the knowledge map. Access through the policy; no client data here.

Public surface for other apps: `published_items`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet
from django.http import Http404

from werkbrug.core import policy
from werkbrug.core.models import Region, User

from .layout import MapLayout, compute_layout
from .models import Audience, Item, ItemChange, ItemKind, ItemStatus, Relation, Theme
from .review import due_for_review, review_state

__all__ = [
    "MapFilter",
    "map_items",
    "map_relations",
    "map_layout",
    "map_layout_warm",
    "hidden_links",
    "search_matches",
    "item_get",
    "item_relations",
    "item_history",
    "curation_items",
    "published_items",
]


@dataclass(frozen=True)
class MapFilter:
    audience: str = ""
    kind: str = ""
    theme: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params) -> MapFilter:
        def pick(name: str, allowed: list[str]) -> str:
            value = (params.get(name) or "").strip()
            return value if value in allowed else ""

        return cls(
            audience=pick("audience", Audience.values),
            kind=pick("kind", ItemKind.values),
            theme=pick("theme", Theme.values),
            q=(params.get("q") or "").strip()[:100],
        )

    def query(self) -> dict[str, str]:
        return {k: v for k, v in (("audience", self.audience), ("kind", self.kind), ("theme", self.theme), ("q", self.q)) if v}


def _fold(text: str) -> str:
    """Lower case without accents, so "clienten" finds "cliënten" (other non-ASCII is dropped)."""
    return unicodedata.normalize("NFKD", text.casefold()).encode("ascii", "ignore").decode("ascii")


def search_matches(items, q: str) -> set[int]:
    """Pks of the items whose title, summary, tags or key hold every word of `q`."""
    words = _fold(q).split()
    if not words:
        return set()
    found = set()
    for item in items:
        haystack = _fold(f"{item.title} {item.summary} {item.tags} {item.key}")
        if all(word in haystack for word in words):
            found.add(item.pk)
    return found


def map_items(*, user: User, filters: MapFilter = MapFilter(), statuses: tuple[str, ...] = (ItemStatus.PUBLISHED,)) -> QuerySet[Item]:
    """The items of the user's region in the current filter (search only highlights)."""
    policy.authorize(user, "knowledge_map.view", None)
    qs = policy.scope(user, "knowledge_item.view", Item.objects.all()).filter(status__in=statuses)
    if filters.audience:
        qs = qs.filter(audience__contains=filters.audience)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    return qs.order_by("theme", "title", "id")


def theme_sizes(*, user: User, filters: MapFilter) -> list[int]:
    """How many items each theme has in this filter (a search counts its matches only)."""
    items = map_items(user=user, filters=filters).only("id", "theme", "title", "summary", "tags", "key")
    if filters.q:
        found = search_matches(items, filters.q)
        items = [i for i in items if i.pk in found]
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.theme] += 1
    return [counts[t] for t in Theme.values if counts[t]]


def map_relations(*, item_ids) -> list[tuple[int, int, str]]:
    """(source, target, kind) for the relations between the given items."""
    ids = set(item_ids)
    if not ids:
        return []
    rows = Relation.objects.filter(source_id__in=ids).values_list("source_id", "target_id", "kind")
    return [row for row in rows if row[1] in ids]


def map_changed(*, region_id: int) -> str:
    """A mark of the region's map's last change: any item saved, any change recorded (every
    relation added or removed is recorded on its source item)."""
    changed = Item.objects.filter(region_id=region_id).aggregate(at=Max("updated_at"))["at"]
    last = ItemChange.objects.filter(item__region_id=region_id).aggregate(pk=Max("id"))["pk"]
    return f"{changed.timestamp() if changed else 0}-{last or 0}"


LAYOUT_CACHE_SECONDS = 7 * 24 * 3600


def map_layout(*, region_id: int, items: list[Item], relations: list[tuple[int, int, str]],
               cols: int | None = None) -> MapLayout:
    """The layout of these items, from the cache until the region's map changes.

    The key holds the map's last change and a digest of what is shown (a filter or search lays
    out its own subset), so a change anywhere in the map gives every view a fresh layout."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(sorted(i.pk for i in items)).encode())
    digest.update(repr(sorted(relations)).encode())
    key = f"km-layout:v1:{region_id}:{map_changed(region_id=region_id)}:{cols or 0}:{digest.hexdigest()}"
    layout = cache.get(key)
    if layout is None:
        layout = compute_layout(((i.pk, i.theme, i.title) for i in items), relations, themes=Theme.values, cols=cols)
        cache.set(key, layout, LAYOUT_CACHE_SECONDS)
    return layout


def map_layout_warm(*, region_id: int) -> MapLayout:
    """Lay out the region's whole published map (what `/knowledge-map/` shows without a filter)
    into the cache, so the first visitor after a change does not wait for the layout.

    The same items, fields and order as the page (`views._map_context`) and the same cache key
    (`map_layout`): the page then finds it. A filter or search lays out its own subset on its
    first view, as before."""
    items = list(Item.objects.filter(region_id=region_id, status=ItemStatus.PUBLISHED)
                 .only("id", "theme", "title").order_by("theme", "title", "id"))
    relations = map_relations(item_ids=[i.pk for i in items])
    return map_layout(region_id=region_id, items=items, relations=relations)


def hidden_links(*, user: User, shown_ids) -> tuple[dict[int, list[str]], int]:
    """Per shown item, the titles of the items it is connected to that the filter hides (only
    items the user may see), and the number of such hidden connections."""
    shown = set(shown_ids)
    if not shown:
        return {}, 0
    visible = dict(map_items(user=user).values_list("id", "title"))
    rows = Relation.objects.filter(Q(source_id__in=shown) | Q(target_id__in=shown)).values_list("source_id", "target_id")
    away: dict[int, list[str]] = defaultdict(list)
    count = 0
    for s, t in rows:
        if s in shown and t not in shown and t in visible:
            away[s].append(visible[t])
            count += 1
        elif t in shown and s not in shown and s in visible:
            away[t].append(visible[s])
            count += 1
    return {pk: sorted(set(names)) for pk, names in away.items()}, count


def item_get(*, user: User, pk: int) -> Item:
    """One item; the same 404 for missing, another region, or a draft for a non-editor."""
    item = Item.objects.select_related("owner", "region").filter(pk=pk).first()
    if item is None:
        raise Http404
    policy.authorize(user, "knowledge_item.view", item)
    return item


def item_relations(*, user: User, item: Item) -> dict[str, list[tuple[str, Item, Relation]]]:
    """Visible relations of an item: "out" (this item → other) and "in" (other → this item)."""
    visible = policy.scope(user, "knowledge_item.view", Item.objects.all())
    out = [
        (rel.get_kind_display(), rel.target, rel)
        for rel in Relation.objects.filter(source=item, target__in=visible).select_related("target").order_by("kind", "target__title")
    ]
    incoming = [
        (rel.get_kind_display(), rel.source, rel)
        for rel in Relation.objects.filter(target=item, source__in=visible).select_related("source").order_by("kind", "source__title")
    ]
    return {"out": out, "in": incoming}


def item_history(*, user: User, item: Item) -> QuerySet[ItemChange]:
    policy.authorize(user, "knowledge_item.change", item)
    return item.changes.select_related("changed_by").order_by("-changed_at", "-id")


def curation_items(*, user: User, status: str = "", review: str = "", today: date) -> list[Item]:
    """Every item of the region for editors, each with `.review_state`; filter by status/review."""
    policy.authorize(user, "knowledge_item.change", None)
    qs = Item.objects.filter(region_id=user.region_id).select_related("owner").order_by("review_on", "title")
    if status in ItemStatus.values:
        qs = qs.filter(status=status)
    items = list(qs)
    for item in items:
        item.review_state = review_state(item.review_on, today)
    if review:
        items = [i for i in items if i.review_state == review]
    return items


def my_review_items(*, user: User, today: date) -> QuerySet[Item]:
    """The signed-in person's own items that are due for review (not archived), oldest date first."""
    policy.authorize(user, "knowledge_map.view", None)
    mine = Item.objects.filter(due_for_review(today), owner=user).exclude(status=ItemStatus.ARCHIVED)
    return policy.scope(user, "knowledge_item.view", mine).order_by("review_on", "title", "pk")


def review_owners(*, region: Region, today: date) -> dict[int, list[Item]]:
    """Per owner id, the region's items (not archived) that are due for review on `today`."""
    due = (Item.objects.filter(due_for_review(today), region=region, owner__isnull=False, owner__is_active=True)
           .exclude(status=ItemStatus.ARCHIVED).only("id", "owner_id", "review_on").order_by("owner_id", "review_on"))
    by_owner: dict[int, list[Item]] = defaultdict(list)
    for item in due:
        by_owner[item.owner_id].append(item)
    return dict(by_owner)


def tree(items: list[Item], relations: list[tuple[int, int, str]], order: list[int] | None = None) -> list[tuple[str, str, list]]:
    """(theme, label, nodes) per theme with items; a node is (item, child nodes) along "part of".

    Nested the way the map groups them: an item stays in its own theme (as on the map, where
    each theme is a band); it is nested under the item it is part of only when that item is in
    the same theme. Within a theme, the map's reading order (`order`, from the layout)."""
    if order is not None:
        rank = {pk: n for n, pk in enumerate(order)}
        items = sorted(items, key=lambda i: rank.get(i.pk, len(rank)))
    by_pk = {i.pk: i for i in items}
    parent: dict[int, int] = {}
    for s, t, kind in sorted(relations):
        if (kind == "part_of" and s in by_pk and t in by_pk and s not in parent
                and by_pk[s].theme == by_pk[t].theme):
            parent[s] = t
    children: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        if item.pk in parent:
            children[parent[item.pk]].append(item)

    def node(item: Item, depth: int = 0) -> tuple[Item, list]:
        return (item, [node(c, depth + 1) for c in children[item.pk]] if depth < 20 else [])

    labels = dict(Theme.choices)
    groups = []
    for theme in Theme.values:
        roots = [i for i in items if i.theme == theme and i.pk not in parent]
        if roots:
            groups.append((theme, labels[theme], [node(r) for r in roots]))
    return groups


def published_items(*, region: Region, q: str = "") -> QuerySet[Item]:
    """Published items of a region, optionally matching words in the title or summary."""
    qs = Item.objects.filter(region=region, status=ItemStatus.PUBLISHED)
    for word in q.split():
        qs = qs.filter(Q(title__icontains=word) | Q(summary__icontains=word) | Q(tags__icontains=word))
    return qs
