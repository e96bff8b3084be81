"""The layout is warmed after a change: once the change commits, a task on the `exports` queue
lays out the whole map into the cache, so the first visitor finds it there."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache

from werkbrug.celery import app
from werkbrug.knowledge_map import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_warm_up_task_runs_on_the_exports_queue():
    assert (
        app.amqp.router.route({}, "werkbrug.knowledge_map.tasks.warm_layout")["queue"].name
        == "exports"
    )


def test_a_change_warms_the_layout_after_commit_and_the_first_visitor_does_not_lay_out(
    client, pro, make_item, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_item("ips", title="IPS")
        make_item("herstel", title="Herstel", theme="care")
    assert callbacks  # nothing is queued before the commit
    with mock.patch.object(tasks.warm_layout, "delay", wraps=tasks.warm_layout.delay) as delay:
        for callback in callbacks:
            callback()
    # One warm-up for the whole burst of changes, for the item's region.
    assert delay.call_count == 1
    assert delay.call_args.args == (pro.region_id,)

    client.force_login(pro)
    from werkbrug.knowledge_map import selectors

    with mock.patch.object(
        selectors, "compute_layout", side_effect=AssertionError("laid out again")
    ):
        response = client.get("/knowledge-map/")
    assert response.status_code == 200
    assert "IPS" in response.content.decode() and "Herstel" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_change_after_the_warm_up_warms_again(client, pro, editor, make_item):
    """Real commits: each service call commits, and its warm-up runs then (eager in tests)."""
    from werkbrug.knowledge_map import selectors

    make_item("ips", title="IPS")
    with mock.patch.object(selectors, "compute_layout", wraps=selectors.compute_layout) as compute:
        make_item("herstel", title="Herstel", status="draft")
        assert compute.call_count == 1  # a draft changes the map's mark: laid out again
        from werkbrug.knowledge_map.models import Item
        from werkbrug.knowledge_map.services import item_transition

        item_transition(item=Item.objects.get(key="herstel"), actor=editor, to="published")
    # Published: the task laid out the map with it, before anyone looked.
    assert compute.call_count == 2
    client.force_login(pro)
    with mock.patch.object(
        selectors, "compute_layout", side_effect=AssertionError("laid out again")
    ):
        response = client.get("/knowledge-map/")
    assert response.status_code == 200 and "Herstel" in response.content.decode()


def test_the_task_lays_out_every_published_item_and_skips_drafts(region, make_item):
    make_item("ips", title="IPS")
    make_item("herstel", title="Herstel")
    make_item("concept", title="Concept", status="draft")
    assert tasks.warm_layout(region.pk) == 2
