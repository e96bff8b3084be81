"""Keys: one rule (`keys.key_validate`) and one maker (`keys.key_make`), used by new items,
mirrored Q&As, the import and the item form. Whatever Werkbrug makes, it takes back."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.keys import KEY_MAX, key_make, key_problem, key_validate
from werkbrug.knowledge_map.models import Item


@pytest.mark.parametrize(
    ("key", "valid"),
    [
        ("ips", True),                      # plain
        ("wia-wga", True),                  # hyphen between groups
        ("ips-2", True),                    # a number suffix
        ("oud_sleutel", True),              # underscores of keys written before the rule
        ("a" * KEY_MAX, True),              # exactly the limit
        ("a" * (KEY_MAX + 1), False),       # one over the limit
        ("ips-", False),                    # ends in a hyphen (what the old Q&A keys did)
        ("-ips", False),                    # starts with a hyphen
        ("ips--wga", False),                # two hyphens
        ("IPS", False),                     # capitals
        ("met spatie", False),              # a space
        ("één", False),                     # accents
        ("", False),                        # empty
    ],
)
def test_the_key_rule(key, valid):
    assert (key_problem(key) is None) is valid
    if not valid:
        with pytest.raises(ValidationError):
            key_validate(key)


def test_a_long_qa_title_gives_a_key_the_import_accepts(region, editor):
    """The defect: "ambassador_qa-" + the question cut at 70 characters ended in "-"."""
    title = "Mag iemand met een WGA-uitkering bij een werkgever gaan proefwerken zonder dat de uitkering stopt?"
    item = services.item_upsert_from_source(source_type="ambassador_qa", source_id=1, title=title,
                                            summary="Ja, met toestemming van UWV.", region=region)
    assert key_problem(item.key) is None and not item.key.endswith("-") and len(item.key) <= KEY_MAX
    for fmt in ("csv", "json"):
        exported = services.knowledge_export(region=region, fmt=fmt)
        result = services.knowledge_import(region=region, actor=editor, content=exported.encode(), fmt=fmt)
        assert result.created == 0 and result.updated == 0


def test_generated_keys_are_unique_in_the_region_and_within_the_limit(region, other_region, editor):
    title = "x" * 79 + " y"  # slugified: 79 x's, a hyphen, y; cut at 80 it would end in "-"
    keys = [services.item_upsert_from_source(source_type="ambassador_qa", source_id=n, title=title, summary="s",
                                             region=region).key for n in range(12)]
    assert len(set(keys)) == 12
    assert all(key_problem(k) is None for k in keys)
    assert keys[1].endswith("-2") and keys[11].endswith("-12")
    # another region may use the same key
    other = services.item_upsert_from_source(source_type="ambassador_qa", source_id=1, title=title, summary="s",
                                             region=other_region)
    assert other.key == keys[0]


def test_a_new_item_without_a_key_gets_one_from_its_title(region, editor, make_item):
    make_item("ips")
    item = services.item_create(region=region, actor=editor, kind="method", title="IPS", summary="s", theme="work")
    assert item.key == "ips-2"


def test_a_title_without_letters_still_gives_a_key(region):
    assert key_make(region=region, text="„—“ 🙂") == "item"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=200))
def test_every_made_key_is_valid(region, text):
    Item.objects.filter(region=region).delete()
    key = key_make(region=region, text=text)
    assert key_problem(key) is None


def test_the_import_names_a_bad_key_with_its_line(region, editor):
    header = ",".join(services.EXPORT_COLUMNS)
    content = f"{header}\nips-,method,IPS,s,,,work,,,,,,,,\n".encode()
    with pytest.raises(ValidationError) as exc:
        services.knowledge_import(region=region, actor=editor, content=content, fmt="csv")
    assert any(m.startswith("Regel 2: key:") for m in exc.value.messages), exc.value.messages
