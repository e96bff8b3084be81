"""Fixtures for the knowledge map: an editor, a professional, items made through the services."""

from __future__ import annotations

import pytest

from werkbrug.core.choices import Role


@pytest.fixture
def editor(make_person, ggz):
    return make_person(ggz, Role.EDITOR, first_name="Eef", last_name="Redacteur")


@pytest.fixture
def pro(make_person, uwv):
    return make_person(uwv, Role.LABOUR_EXPERT, first_name="Pim", last_name="Professional")


@pytest.fixture
def starter(region):
    from werkbrug.knowledge_map.services import starter_load

    starter_load(region=region)
    return region


@pytest.fixture
def make_item(region, editor):
    """make_item(key, **fields): a published item unless `status="draft"`."""
    from werkbrug.knowledge_map.services import item_create, item_transition

    def make(key: str, *, status: str = "published", **fields):
        fields.setdefault("kind", "method")
        fields.setdefault("title", key.replace("-", " ").title())
        fields.setdefault("summary", f"Samenvatting van {key}.")
        fields.setdefault("theme", "work")
        item = item_create(region=fields.pop("in_region", region), actor=fields.pop("actor", editor), key=key, **fields)
        if status == "published":
            item = item_transition(item=item, actor=editor, to="published")
        return item

    return make
