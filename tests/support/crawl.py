"""The access-log crawl: every request for client-level data leaves exactly one record (per kind
of data it touches: the intake logs one for each category of its sections shown)."""

from __future__ import annotations

from werkbrug.core.models import AccessLogRecord


def assert_each_request_logged_once(client, requests: list[tuple[str, str]], *, expect_status=(200,)) -> None:
    """`requests`: (method, url) pairs, made in turn with the signed-in test `client`."""
    for method, url in requests:
        before = AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, method.lower())(url)
        categories = list(AccessLogRecord.objects.filter(id__gt=before).values_list("data_category", flat=True))
        assert response.status_code in expect_status, f"{method} {url}: {response.status_code}"
        assert categories, f"{method} {url} wrote no access-log record"
        assert len(categories) == len(set(categories)), f"{method} {url} wrote {categories}: one per category"
        assert len(categories) == 1 or "intake" in url, f"{method} {url} wrote {len(categories)} records, not 1"
