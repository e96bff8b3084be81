"""The access-log crawl over the whole product, web and API.

A professional of the demo region follows every link reachable from their caseload, and every
GET endpoint of the OpenAPI schema is called with ids taken from the lists. Any answer that shows
a client's name or pseudonym must have left exactly one access-log record per kind of data it
shows (the intake: one for the intake and one for each other category of its sections shown); no
request may leave two records of the same category. The apps' own crawl tests (`tests/<app>/test_*crawl*.py`) list their URLs one by
one; this test finds the ones nobody listed.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest

from werkbrug.clients.models import Client
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.models import TeamMembership

pytestmark = pytest.mark.slow

HREF = re.compile(r'href="([^"#]+)"')
SKIP = ("/account/", "/i18n/", "/static/", "/admin/", "/demo/", "/api/v1/schema", "/health")
MAX_PAGES = 400


def _client_markers(region) -> dict[str, str]:
    markers = {}
    for pseudonym, first, last in Client.objects.filter(region=region).values_list("pseudonym", "first_name", "last_name"):
        markers[pseudonym] = pseudonym
        markers[f"{first} {last}"] = pseudonym
    return markers


def _mentions_client(text: str, markers: dict[str, str]) -> bool:
    return any(marker in text for marker in markers)


def _busiest_member(region):
    """The team member with the most trajectories: their pages reach the most client data."""
    from django.db.models import Count

    row = (
        TeamMembership.objects.filter(trajectory__region=region, left_at__isnull=True)
        .values("person").annotate(n=Count("id")).order_by("-n").first()
    )
    from werkbrug.core.models import User

    return User.objects.get(pk=row["person"])


def _last_id() -> int:
    return AccessLogRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _written_since(last_id: int) -> int:
    """How many records the request wrote; at most one per data category."""
    categories = list(AccessLogRecord.objects.filter(id__gt=last_id).values_list("data_category", flat=True))
    assert len(categories) == len(set(categories)), f"two records of one category: {categories}"
    return min(len(categories), 1)


def _check(response_text: str, status: int, written: int, url: str, markers) -> None:
    assert written <= 1, f"{url} wrote {written} access-log records"
    if status == 200 and _mentions_client(response_text, markers):
        assert written == 1, f"{url} shows client data but wrote {written} access-log records"


def test_every_web_page_reachable_from_the_caseload(client, demo_region):
    user = _busiest_member(demo_region)
    client.force_login(user)
    markers = _client_markers(demo_region)
    queue, seen, visited = deque(["/", "/trajectories/"]), {"/", "/trajectories/"}, 0
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        before = _last_id()
        response = client.get(url)
        written = _written_since(before)
        visited += 1
        content_type = response.get("Content-Type", "")
        text = response.content.decode(errors="replace") if "text" in content_type or "json" in content_type else ""
        _check(text, response.status_code, written, url, markers)
        if response.status_code != 200 or "text/html" not in content_type:
            continue
        for href in HREF.findall(text):
            href = urldefrag(href.replace("&amp;", "&"))[0]
            parsed = urlparse(href)
            if parsed.scheme or parsed.netloc or not href.startswith("/") or href.startswith(SKIP):
                continue
            if "page=" in href and not re.search(r"page=[12](&|$)", href):
                continue
            if href not in seen:
                seen.add(href)
                queue.append(href)
    assert visited > 10, "the crawl found almost nothing: is the demo region loaded?"


def test_every_api_get_endpoint(client, demo_region):
    from drf_spectacular.generators import SchemaGenerator

    user = _busiest_member(demo_region)
    client.force_login(user)
    markers = _client_markers(demo_region)
    schema = SchemaGenerator().get_schema(request=None, public=True)
    ids: dict[str, list[int]] = {}
    paths = sorted(path for path, ops in schema["paths"].items() if "get" in ops)
    trajectory_ids = list(
        TeamMembership.objects.filter(person=user, left_at__isnull=True).values_list("trajectory_id", flat=True)[:2]
    )
    client_ids = list(Client.objects.filter(trajectories__id__in=trajectory_ids).values_list("id", flat=True))
    called = 0
    for path in paths:
        params = re.findall(r"{([^}]+)}", path)
        if not params:
            urls = [path]
        else:
            collection = path.split("{")[0]
            candidates = ids.get(collection, [])
            urls = []
            for value in candidates[:2] or [None]:
                url = path
                for name in params:
                    if name in ("trajectory_pk", "trajectory_id"):
                        replacement = trajectory_ids[0] if trajectory_ids else None
                    elif name in ("client_pk", "client_id"):
                        replacement = client_ids[0] if client_ids else None
                    else:
                        replacement = value
                    if replacement is None:
                        url = None
                        break
                    url = url.replace("{" + name + "}", str(replacement))
                if url:
                    urls.append(url)
        for url in urls:
            before = _last_id()
            response = client.get(url)
            written = _written_since(before)
            called += 1
            text = response.content.decode(errors="replace")
            _check(text, response.status_code, written, url, markers)
            if response.status_code == 200 and not params and "json" in response.get("Content-Type", ""):
                data = response.json()
                results = data.get("results", data) if isinstance(data, dict) else data
                if isinstance(results, list):
                    ids[path] = [row["id"] for row in results if isinstance(row, dict) and "id" in row]
    assert called > 5
