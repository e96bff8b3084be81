"""Pages of the knowledge map: the map, the list/tree, details, the poster, curation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from werkbrug.core import policy
from werkbrug.web.forms import apply_validation_error
from werkbrug.web.pdf import render_pdf

from . import poster, selectors, services
from .forms import CurationFilterForm, ImportForm, ItemForm, MapFilterForm, RelationForm
from .history import changes_in_words
from .models import (
    Audience,
    Item,
    ItemKind,
    Relation,
    RelationKind,
    SourceType,
    Theme,
)
from .review import review_state
from .svg import DASH, render_map, svg_height
from .workflow import TRANSITION_LABELS, allowed_targets

MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _map_context(request: HttpRequest, *, cols: int | None = None) -> dict:
    """What the map, the list and the poster show: the filter's items, narrowed to the search's
    matches when there is a search, their relations, the cached layout and the hidden links."""
    filters = selectors.MapFilter.from_params(request.GET)
    # only what the map, the search and the list use: 2 000 items must render well under 500 ms
    items = list(selectors.map_items(user=request.user, filters=filters).only(
        "id", "region_id", "status", "key", "kind", "theme", "title", "summary", "tags", "review_on"))
    matches = selectors.search_matches(items, filters.q) if filters.q else set()
    if filters.q:
        # the search filters the map: only the matches are shown (and listed)
        items = [i for i in items if i.pk in matches]
    relations = selectors.map_relations(item_ids=[i.pk for i in items])
    layout = selectors.map_layout(region_id=request.user.region_id, items=items, relations=relations, cols=cols)
    hidden, hidden_count = ({}, 0)
    if filters.query():
        hidden, hidden_count = selectors.hidden_links(user=request.user, shown_ids=[i.pk for i in items])
    rank = {pk: n for n, pk in enumerate(layout.order)}
    items.sort(key=lambda i: rank.get(i.pk, len(rank)))
    query = filters.query()
    can_curate = policy.can(request.user, "knowledge_item.create", None)
    today = timezone.localdate()
    return {
        "filters": filters,
        "filter_description": _describe(filters),
        "form": MapFilterForm(request.GET or None),
        "items": items,
        "map_relations": relations,
        "layout": layout,
        "matches": matches,
        "hidden": hidden,
        "hidden_count": hidden_count,
        "hidden_items": len(hidden),
        # editors see on the map which items are past their review date
        "flagged": {i.pk for i in items if review_state(i.review_on, today) == "overdue"} if can_curate else set(),
        "can_curate": can_curate,
        "query": urlencode(query),
        "query_dict": query,
    }


def _describe(filters: selectors.MapFilter) -> list[tuple[str, str]]:
    """The current filter in words, e.g. [("Theme", "Income"), ("Search", "“uwv”")]."""
    parts = []
    for name, label, choices in (("audience", _("Audience"), Audience), ("kind", _("Kind"), ItemKind),
                                 ("theme", _("Theme"), Theme)):
        value = getattr(filters, name)
        if value:
            parts.append((label, str(dict(choices.choices)[value])))
    if filters.q:
        parts.append((_("Search"), f"“{filters.q}”"))
    return parts


def _source_link(item: Item) -> tuple[str, str] | None:
    """Where a mirrored item lives elsewhere in Werkbrug: (address, label), or None."""
    targets = {
        SourceType.AMBASSADOR_QA: ("ambassadors:qa_detail", True, _("Read this Q&A in Werkbrug")),
        SourceType.ORGANISATION: ("web:organisation", True, _("This organisation in Werkbrug")),
        SourceType.AMBASSADOR: ("ambassadors:ask", False, _("Ask an ambassador in Werkbrug")),
    }
    target = targets.get(item.source_type)
    if target is None or not item.source_id.isdigit():
        return None
    name, with_pk, label = target
    try:
        return reverse(name, kwargs={"pk": int(item.source_id)} if with_pk else None), label
    except NoReverseMatch:
        return None


def _panel_context(request: HttpRequest, item: Item) -> dict:
    return {
        "item": item,
        "relations": selectors.item_relations(user=request.user, item=item),
        "review": review_state(item.review_on, timezone.localdate()),
        "can_edit": policy.can(request.user, "knowledge_item.change", item),
        "source_link": _source_link(item),
    }


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The interactive map with details beside it (`?item=<pk>` without JavaScript)."""
    context = _map_context(request)
    selected = None
    if request.GET.get("item", "").isdigit():
        try:
            selected = selectors.item_get(user=request.user, pk=int(request.GET["item"]))
        except Http404:
            # an old bookmark of an archived item: keep the map, say so beside it
            context["missing_item"] = True
        else:
            context.update(_panel_context(request, selected))
    base = reverse("knowledge_map:index")
    query = context["query_dict"]

    prefix = f"{base}?{urlencode(query)}&item=" if query else f"{base}?item="

    def href(item: Item) -> str:
        return f"{prefix}{item.pk}#km-details"

    if context["items"]:
        context["svg"] = mark_safe(  # noqa: S308 — built by render_map, which escapes every text
            render_map(
                context["items"], context["map_relations"], href=href, layout=context["layout"],
                selected=selected.pk if selected else None, flagged=context["flagged"], hidden=context["hidden"],
            )
        )
    context["selected"] = selected
    context["results"] = [(i, href(i)) for i in context["items"]] if context["filters"].q else []
    return render(request, "knowledge_map/map.html", context)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    """The same items as a structured list: themes, then items nested along "part of"."""
    context = _map_context(request)
    context["tree"] = selectors.tree(context["items"], context["map_relations"], order=context["layout"].order)
    by_pk = {i.pk: i for i in context["items"]}
    out: dict[int, list] = {}
    labels = dict(RelationKind.choices)
    for s, t, kind in context["map_relations"]:
        out.setdefault(s, []).append((labels[kind], by_pk[t]))
    for item in context["items"]:
        item.links_out = out.get(item.pk, [])
        item.links_hidden = context["hidden"].get(item.pk, [])
    return render(request, "knowledge_map/list.html", context)


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    return render(request, "knowledge_map/item.html", _panel_context(request, item))


@login_required
def item_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Only the details panel, fetched by the map's script."""
    item = selectors.item_get(user=request.user, pk=pk)
    context = _panel_context(request, item)
    context["query"] = urlencode(selectors.MapFilter.from_params(request.GET).query())
    return render(request, "knowledge_map/includes/panel.html", context)


def _site(request: HttpRequest) -> str:
    """The public address the poster's links and QR codes point to."""
    return (settings.WERKBRUG_BASE_URL or request.build_absolute_uri("/")).rstrip("/")


@login_required
def print_view(request: HttpRequest) -> HttpResponse:
    """The poster of the current filter (the whole map or a theme); `?format=pdf` gives it as
    PDF on A3 or, with `size=A2`, A2, landscape or portrait as the map fits best — see `poster.py`."""
    policy.authorize(request.user, "knowledge_map.view", None)
    paper = request.GET.get("size", "A3").upper()
    if paper not in poster.PAPER_MM:
        paper = "A3"
    filters = selectors.MapFilter.from_params(request.GET)
    sizes = selectors.theme_sizes(user=request.user, filters=filters)
    fit = poster.best_fit(sizes, paper)
    context = _map_context(request, cols=fit.cols)
    site = _site(request)
    item_path = reverse("knowledge_map:item", kwargs={"pk": 0}).removesuffix("0/")
    numbers = {pk: n for n, pk in enumerate(context["layout"].order, start=1)}
    layout = context["layout"]
    width_mm, height_mm = poster.mm_size(layout.width, svg_height(layout), fit)
    legible = poster.SMALLEST_PX * (width_mm / layout.width) * poster.PT_PER_MM >= poster.MIN_PT
    pdf = request.GET.get("format") == "pdf"
    if context["items"]:
        context["svg"] = mark_safe(  # noqa: S308 — built by render_map, which escapes every text
            render_map(context["items"], context["map_relations"], layout=layout, numbers=numbers,
                       href=lambda i: f"{site}{item_path}{i.pk}/")
        )
    map_url = f"{site}{reverse('knowledge_map:index')}" + (f"?{context['query']}" if context["query"] else "")
    context.update({
        "today": timezone.localdate(),
        "paper": paper,
        "orientation": fit.orientation,
        "papers": list(poster.PAPER_MM),
        "map_fits": legible,
        "map_mm": (f"{width_mm:.1f}", f"{height_mm:.1f}"),
        "map_url": map_url,
        "map_qr": mark_safe(poster.qr_svg(map_url, _("QR code to the map online"))),  # noqa: S308 — segno's SVG, escaped label
        "index": [
            (numbers[i.pk], i, f"{site}{item_path}{i.pk}/", mark_safe(poster.qr_svg(  # noqa: S308 — as above
                f"{site}{item_path}{i.pk}/", _("QR code to item %(n)s") % {"n": numbers[i.pk]})))
            for i in context["items"]
        ],
        "legend": [(DASH[k], str(v)) for k, v in RelationKind.choices],
    })
    if pdf:
        return render_pdf(request, "knowledge_map/poster.html", context, filename=f"kenniskaart-{paper.lower()}.pdf")
    return render(request, "knowledge_map/print.html", context)


@login_required
def my_reviews(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own items whose review date has come (the review reminder links here)."""
    items = selectors.my_review_items(user=request.user, today=timezone.localdate())
    can_change = policy.can(request.user, "knowledge_item.change", None)
    return render(request, "knowledge_map/my_reviews.html", {"items": items, "can_change": can_change})


# --- curation (editors) ---


@login_required
def manage(request: HttpRequest) -> HttpResponse:
    form = CurationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    items = selectors.curation_items(
        user=request.user, status=data.get("status", ""), review=data.get("review", ""), today=timezone.localdate()
    )
    overdue = sum(1 for i in items if i.review_state == "overdue")
    return render(request, "knowledge_map/manage.html", {"form": form, "items": items, "overdue": overdue})


@login_required
def item_create(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "knowledge_item.create", None)
    form = ItemForm(request.POST or None, region_id=request.user.region_id, initial={"review_on": None})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.item_create(region=request.user.region, actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("The item is saved as a draft."))
            return redirect("knowledge_map:item", pk=item.pk)
    return render(request, "knowledge_map/item_form.html", {"form": form, "item": None})


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    policy.authorize(request.user, "knowledge_item.change", item)
    form = ItemForm(request.POST or None, region_id=request.user.region_id, initial=ItemForm.initial_from(item))
    relation_form = RelationForm(targets=Item.objects.filter(region_id=item.region_id).exclude(pk=item.pk).order_by("title"))
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, actor=request.user, **form.service_data())
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("knowledge_map:item", pk=item.pk)
    return render(request, "knowledge_map/item_form.html", {
        "form": form, "item": item, "relation_form": relation_form,
        "relations": selectors.item_relations(user=request.user, item=item),
        "transitions": [(to, TRANSITION_LABELS[to]) for to in allowed_targets(item.status)],
    })


@login_required
@require_POST
def item_status(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk, region_id=request.user.region_id)
    try:
        item = services.item_transition(item=item, actor=request.user, to=request.POST.get("to", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The status is now: %(s)s.") % {"s": item.get_status_display()})
    return redirect("knowledge_map:edit", pk=pk)


@login_required
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item, pk=pk, region_id=request.user.region_id)
    target_pk = request.POST.get("target", "")
    target = Item.objects.filter(pk=int(target_pk)).first() if target_pk.isdigit() else None
    try:
        services.relation_add(source=item, target=target, kind=request.POST.get("kind", ""), actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The relation is added."))
    return redirect("knowledge_map:edit", pk=pk)


@login_required
@require_POST
def relation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_object_or_404(Relation, pk=pk, source__region_id=request.user.region_id)
    services.relation_remove(relation=relation, actor=request.user)
    messages.success(request, _("The relation is removed."))
    return redirect("knowledge_map:edit", pk=relation.source_id)


@login_required
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get(user=request.user, pk=pk)
    changes = changes_in_words(list(selectors.item_history(user=request.user, item=item)), region_id=item.region_id)
    return render(request, "knowledge_map/history.html", {"item": item, "changes": changes})


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    policy.authorize(request.user, "knowledge_map.import", request.user.region)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    checked = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name.lower()
        fmt = "json" if name.endswith(".json") else "csv" if name.endswith(".csv") else ""
        if not fmt:
            form.add_error("file", _("Choose a file ending in .json or .csv."))
        elif upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", _("The file is too large (at most 5 MB)."))
        else:
            try:
                result = services.knowledge_import(
                    region=request.user.region, actor=request.user, content=upload.read(), fmt=fmt,
                    dry_run="dry_run" in request.POST,
                )
            except ValidationError as exc:
                problems = exc.messages
            else:
                if "dry_run" in request.POST:
                    checked = result
                else:
                    messages.success(request, _(
                        "Imported: %(c)s new, %(u)s changed, %(r)s relations added, %(x)s relations removed."
                    ) % {"c": result.created, "u": result.updated, "r": result.relations, "x": result.relations_removed})
                    return redirect("knowledge_map:manage")
    return render(request, "knowledge_map/import.html", {"form": form, "problems": problems, "checked": checked})


@login_required
def export_view(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("json", "csv"):
        raise Http404
    text = services.knowledge_export(region=request.user.region, fmt=fmt, actor=request.user)
    content_type = "application/json" if fmt == "json" else "text/csv"
    response = HttpResponse(text.encode("utf-8"), content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="kennisitems.{fmt}"'
    return response


@login_required
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    counts = services.region_sync(region=request.user.region, actor=request.user)
    messages.success(request, _("Brought up to date: %(o)s organisations and %(a)s ambassadors.") % {
        "o": counts["organisations"], "a": counts["ambassadors"]})
    return redirect("knowledge_map:manage")
