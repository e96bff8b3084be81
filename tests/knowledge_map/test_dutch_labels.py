"""The curation pages speak Dutch: no English labels, no "slug", no raw codes in the history."""

from __future__ import annotations

import re

from werkbrug.knowledge_map import services
from werkbrug.knowledge_map.models import Item

ENGLISH_OR_CODES = ("Key", "slug", "Slug", "Select an option", "---------")


def _visible_text(html: str) -> str:
    """The page without its tags and attributes (names and values of inputs are not shown)."""
    return re.sub(r"<[^>]*>", " ", html)


def test_the_item_form_has_dutch_labels_and_a_dutch_empty_choice(client, editor, make_item):
    client.force_login(editor)
    item = make_item("ips-traject", title="IPS")
    for url in ("/knowledge-map/manage/new/", f"/knowledge-map/items/{item.pk}/edit/"):
        html = client.get(url).content.decode()
        text = _visible_text(html)
        for word in ENGLISH_OR_CODES:
            assert word not in text, (url, word)
        assert "Korte naam" in text
        # every select offers the Dutch empty choice, not Django's "---------"
        assert len(re.findall(r'<option value=""( selected)?>— kies —</option>', html)) >= (3 if "new" in url else 5), url


def test_a_wrong_key_is_explained_in_dutch_without_slug(client, editor):
    client.force_login(editor)
    html = client.post("/knowledge-map/manage/new/", {
        "key": "Met Spaties", "kind": "method", "title": "Titel", "summary": "Samenvatting.",
        "theme": "work", "scope": "regional",
    }).content.decode()
    assert "Gebruik alleen kleine letters, cijfers en streepjes" in html
    assert "slug" not in html.lower()
    assert not Item.objects.exists()


def test_a_new_item_without_a_key_gets_one_from_its_title(client, editor):
    client.force_login(editor)
    response = client.post("/knowledge-map/manage/new/", {
        "key": "", "kind": "method", "title": "Individuele Plaatsing en Steun", "summary": "Samenvatting.",
        "theme": "work", "scope": "regional",
    })
    assert response.status_code == 302
    assert Item.objects.get().key == "individuele-plaatsing-en-steun"


def test_history_shows_actions_fields_and_values_in_words(client, editor, make_item):
    target = make_item("uwv-loket", title="UWV-loket")
    item = make_item("x", status="draft", title="Eerst", audience=["ggz"])
    services.item_update(item=item, actor=editor, audience=["ggz", "wi"], review_on="2027-01-31", owner=editor)
    services.relation_add(source=item, target=target, kind="leads_to", actor=editor)
    services.item_transition(item=item, actor=editor, to="published")
    client.force_login(editor)
    text = _visible_text(client.get(f"/knowledge-map/items/{item.pk}/history/").content.decode())
    assert "Verband toegevoegd" in text and "leidt tot UWV-loket" in text
    assert "Professionals in de GGZ, Professionals in werk en inkomen" in text
    assert "31-01-2027" in text and "Eef Redacteur" in text
    assert "Concept → Gepubliceerd" in text
    for code in ("leads_to", "uwv-loket", "review_on", "relation_added", "ggz,wi", "2027-01-31", "published", "draft"):
        assert code not in text, code


def test_import_page_offers_a_check_without_importing(client, editor, make_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    make_item("ips")
    client.force_login(editor)
    csv_text = services.knowledge_export(region=editor.region, fmt="csv").replace("ips,", "ips-nieuw,", 1)
    upload = SimpleUploadedFile("kaart.csv", csv_text.encode(), content_type="text/csv")
    html = client.post("/knowledge-map/manage/import/", {"file": upload, "dry_run": "1"}).content.decode()
    assert "Alleen controleren" in html and "Het bestand is in orde" in html
    assert not Item.objects.filter(key="ips-nieuw").exists()


def test_the_admin_form_checks_keys_with_the_same_dutch_rule(region):
    """The model field (and so Django's admin) uses the one key rule, not Django's "slug" check."""
    from django.contrib.admin.sites import site
    from django.core.exceptions import ValidationError

    item = Item(region=region, key="ips-", kind="method", title="IPS", summary="s", theme="work")
    try:
        item.full_clean()
    except ValidationError as exc:
        message = " ".join(exc.message_dict["key"])
    assert "Gebruik alleen kleine letters" in message and "slug" not in message.lower()
    assert site.is_registered(Item)
    assert str(Item._meta.get_field("key").formfield().label) == "Korte naam"
