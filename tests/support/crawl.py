"""The access-log crawl: every request for client-level data leaves exactly one record."""

from __future__ import annotations

from werkbrug.core.models import AccessLogRecord


def assert_each_request_logged_once(client, requests: list[tuple[str, str]], *, expect_status=(200,)) -> None:
    """`requests`: (method, url) pairs, made in turn with the signed-in test `client`."""
    for method, url in requests:
        before = AccessLogRecord.objects.count()
        response = getattr(client, method.lower())(url)
        after = AccessLogRecord.objects.count()
        assert response.status_code in expect_status, f"{method} {url}: {response.status_code}"
        assert after - before == 1, f"{method} {url} wrote {after - before} access-log records, not 1"
