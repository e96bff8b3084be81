"""Per-request switches for `bench/caseload_mechanisms.py`: each of the caseload's special
mechanisms replaced by the plain Django way, chosen per request by the cookie `bench_plain`
(names separated by "."), so that one server serves every variant and the variants can be
measured in interleaved rounds. Benchmark only: loaded through `bench_mechanism_settings`, never
in the product. Without the cookie nothing changes.

- `compiled` — the compiled-SQL cache (`trajectories/compiled.py`): every query is built and
  compiled on each request and run through Django's ordinary cursor (`compiled.fetch(None, …)`,
  the same as `list(queryset.values(...))`), for the caseload and for the my-work lists;
- `instances` — the page's model instances made by `Model.from_db` (the ORM's own way) instead of
  setting `_state` and `__dict__` by hand;
- `rows` — the table's rows written by the template language (`{% for %}`, `{% url %}`, filters)
  instead of in Python (`{% caseload_rows %}`);
- `form` — the filter form built and rendered on every request with Django's own widgets, instead
  of widgets written in Python and HTML kept per setting in an `lru_cache`;
- `name_copy` — sorting and searching by name through a join with the client table instead of
  the names that triggers copy into the team memberships (`caseload_sync.py`);
- `plain` — all of the above, and the page read from `CaseloadSearch.queryset()` (the single
  annotated ORM query with `select_related`), paged by `paging.page_of`.
"""

from __future__ import annotations

from django import forms
from django.db.models import DEFERRED

MECHANISMS = ("compiled", "instances", "rows", "form", "name_copy")
PLAIN = "plain"
COOKIE = "bench_plain"


def _plain_filter_form():
    """`CaseloadFilter` with Django's own widgets (the attributes the quick widgets render)."""
    from werkbrug.trajectories.forms import CaseloadFilter

    class PlainCaseloadFilter(CaseloadFilter):
        pass

    for field in PlainCaseloadFilter.base_fields.values():
        quick = field.widget
        if isinstance(quick, forms.Select):
            field.widget = forms.Select(attrs=quick.attrs, choices=quick.choices)
        elif isinstance(quick, forms.CheckboxInput):
            field.widget = forms.CheckboxInput(attrs=quick.attrs)
        else:
            field.widget = forms.TextInput(attrs={"type": "search", **quick.attrs})
    return PlainCaseloadFilter


def _patches(off: frozenset[str]) -> list[tuple[object, str, object]]:
    from django.template.loader import render_to_string

    from werkbrug.trajectories import caseload, compiled, paging, views

    out: list[tuple[object, str, object]] = []
    if "compiled" in off:
        fetch = compiled.fetch

        def fetch_each_time(key, values, build, **kwargs):
            return fetch(None, values, build, **kwargs)

        out.append((compiled, "fetch", fetch_each_time))
    if "instances" in off:
        def from_db(model, db, values):
            return model.from_db(db, None, [values.get(f.attname, DEFERRED) for f in model._meta.concrete_fields])

        out.append((caseload, "_instance", from_db))
    if "rows" in off:
        render = views.render

        def render_template_rows(request, template_name, context=None, *args, **kwargs):
            if template_name == "trajectories/index.html":
                template_name = "bench/caseload_template_rows.html"
            return render(request, template_name, context, *args, **kwargs)

        out.append((views, "render", render_template_rows))
    if "form" in off:
        plain_form = _plain_filter_form()

        def filters_each_time(values, language):
            form = plain_form(dict(values) or None)
            data = form.cleaned_data if form.is_valid() else {}
            return render_to_string("web/includes/form.html", {"form": form}), tuple(data.items())

        out += [(views, "_filters", filters_each_time), (views, "CaseloadFilter", plain_form)]
    if "name_copy" in off:
        out.append((caseload.CaseloadSearch, "by_name", property(lambda self: False)))
    if PLAIN in off:
        def page_of_queryset(search, number, page_size):
            return paging.page_of(search.queryset(), number, page_size)

        out.append((views, "page_of", page_of_queryset))
    return out


_PATCHES: dict[str, list] = {}


def switched_off(cookie: str) -> frozenset[str]:
    names = frozenset(n for n in cookie.split(".") if n in (*MECHANISMS, PLAIN))
    return frozenset((*MECHANISMS, PLAIN)) if PLAIN in names else names


class SwitchMiddleware:
    """Applies the cookie's switches for one request (sync workers: one request at a time)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(COOKIE, "")
        if not cookie:
            return self.get_response(request)
        patches = _PATCHES.get(cookie)
        if patches is None:
            patches = _PATCHES[cookie] = _patches(switched_off(cookie))
        saved = [(obj, name, obj.__dict__[name]) for obj, name, _value in patches]
        for obj, name, value in patches:
            setattr(obj, name, value)
        try:
            return self.get_response(request)
        finally:
            for obj, name, value in saved:
                setattr(obj, name, value)
