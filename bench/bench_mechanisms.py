"""Per-request switches for `bench/caseload_mechanisms.py`: each of the caseload's special
mechanisms replaced by the plain Django way, chosen per request by the cookie `bench_plain`
(names separated by "."), so that one server serves every variant and the variants can be
measured in interleaved rounds. Benchmark only: loaded through `bench_mechanism_settings`, never
in the product. Without the cookie nothing changes.

- `compiled` — the compiled-SQL cache (`trajectories/compiled.py`): every query is built and
  compiled on each request and run through Django's ordinary cursor (`compiled.fetch(None, …)`,
  the same as `list(queryset.values(...))`), for the caseload and for the my-work lists;
- `name_copy` — sorting and searching by name through a join with the client table instead of
  the names that triggers copy into the team memberships (`caseload_sync.py`), on the caseload
  and in "my work"'s plan director list;
- `fragment` — the filter's choices rendered on every request instead of the cached template
  fragment (`views._choices_key` gives no key; ADR 0014);
- `plain` — all of these, and the page read from `CaseloadSearch.queryset()` (the single annotated ORM
  query with `select_related`), paged by `paging.page_of`.

Three more switches were measured on 5 December 2026 and their mechanisms removed (ADR 0007):
model instances with `_state` set by hand, the table's rows written in Python, and the filter
form's HTML kept in an `lru_cache` with widgets written in Python. Their switches are in this
file at the commit that measured them (`git log -- bench/bench_mechanisms.py`).
"""

from __future__ import annotations

MECHANISMS = ("compiled", "name_copy", "fragment")
PLAIN = "plain"
COOKIE = "bench_plain"


def _patches(off: frozenset[str]) -> list[tuple[object, str, object]]:
    from werkbrug.trajectories import caseload, compiled, paging, views
    from werkbrug.web import my_work

    out: list[tuple[object, str, object]] = []
    if "compiled" in off:
        fetch = compiled.fetch

        def fetch_each_time(key, values, build, **kwargs):
            return fetch(None, values, build, **kwargs)

        out.append((compiled, "fetch", fetch_each_time))
    if "name_copy" in off:
        out.append((caseload.CaseloadSearch, "by_name", property(lambda self: False)))
        out.append((my_work, "_page", _director_names_joined(my_work._page)))
    if "fragment" in off:
        out.append((views, "_choices_key", lambda *args, **kwargs: None))
    if PLAIN in off:

        def page_of_queryset(search, number, page_size):
            page = paging.page_of(search.queryset(), number, page_size)
            for t in (
                page
            ):  # `queryset()` shows a hidden column as None (open signals are never None else)
                t.hidden_columns = frozenset({"open_signals"} if t.open_signals is None else ())
            return page

        out.append((views, "page_of", page_of_queryset))
    return out


def _director_names_joined(page):
    """`my_work._page` with the plan director's list sorted by the client's name joined from the
    client table instead of the membership's copy (the same rows, as the list shows them)."""
    from werkbrug.trajectories import compiled
    from werkbrug.web import my_work

    joined = ("trajectory__client__first_name", "trajectory__client__last_name")

    def page_joined(key, values, today, model, whole=False):
        if key != "director":
            return page(key, values, today, model, whole)
        rows = compiled.fetch(
            ("my_work.director_joined", my_work.CAP, today),
            values,
            lambda v: (
                my_work._page_of(key, v, today)
                .order_by(*reversed(joined), "trajectory_id")
                .values_list("trajectory_id", *joined, "plan_waiting", "consent_changed")
            ),
            model=model,
            limit=None if whole else my_work.LIMIT,
        )
        return [
            {**row, "client_first_name": row.pop(joined[0]), "client_last_name": row.pop(joined[1])}
            for row in rows
        ]

    return page_joined


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
