"""The recurring-question pages show each group's count, organisations, topics, linking terms and
questions (through the test client, on the rendered HTML)."""

import re
from html import unescape

import pytest
from django.urls import reverse

from werkbrug.ambassadors import services

pytestmark = pytest.mark.django_db

WIA = [
    ("WIA-uitkering en parttime loon verrekenen", "uwv", "benefits"),
    ("Loon verrekenen met WIA-uitkering bij parttime werk", "uwv", "work"),
    ("Hoe wordt parttime loon met de WIA-uitkering verrekend?", "ggz", "benefits"),
]
TRAVEL = [
    ("Reiskosten tijdens de proefplaatsing vergoed?", "uwv", "work"),
    ("Vergoeding reiskosten bij proefplaatsing", "uwv", "work"),
]
ALONE = ("Wachtlijst voor de schuldhulpverlening bij de gemeente", "ggz", "debts")


@pytest.fixture
def grouped(net, ask):
    def make(rows):
        return [ask(text=text, org=getattr(net, org), topic=topic) for text, org, topic in rows]

    wia, travel, alone = make(WIA), make(TRAVEL), make([ALONE])[0]
    groups = services.groups_rebuild(region=net.region)
    for question in [*wia, *travel, alone]:
        question.refresh_from_db()
    wia_group, travel_group = wia[0].group, travel[0].group
    assert {q.group for q in wia} == {wia_group} and {q.group for q in travel} == {travel_group}
    assert sorted(g.pk for g in groups) == sorted([wia_group.pk, travel_group.pk])
    return {"wia": (wia_group, wia), "travel": (travel_group, travel), "alone": alone}


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _facts(html: str) -> dict[str, str]:
    return {_text(dt): _text(dd) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html, flags=re.S)}


def _question_links(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'href="/[^"]*?/questions?/(\d+)/"', html)]


def test_group_list_shows_count_organisations_topics_terms_and_questions(net, grouped, client):
    client.force_login(net.people["anna"])
    response = client.get(reverse("ambassadors:groups"))
    assert response.status_code == 200
    html = response.content.decode()
    panels = {}
    for panel in html.split('<div class="panel">')[1:]:
        pk = int(re.search(r'name="groups" value="(\d+)"', panel).group(1))
        panels[pk] = panel
    wia_group, wia = grouped["wia"]
    travel_group, travel = grouped["travel"]
    assert list(panels) == [wia_group.pk, travel_group.pk]  # the biggest group first; the lone question is no group
    expected = {
        wia_group.pk: (3, "GGZ Net, UWV Net", "Uitkeringen en regels, Werkgevers en werk", wia),
        travel_group.pk: (2, "UWV Net", "Werkgevers en werk", travel),
    }
    for pk, (count, organisations, topics, questions) in expected.items():
        panel = panels[pk]
        assert re.search(rf"\({count} (vragen|questions)\b", _text(panel)), pk
        facts = _facts(panel)
        assert set(facts.values()) >= {organisations, topics}, facts
        group = wia_group if pk == wia_group.pk else travel_group
        assert group.terms and ", ".join(group.terms) in facts.values()
        assert sorted(_question_links(panel)) == sorted(q.pk for q in questions)
        for q in questions:
            assert q.text in _text(panel)
    assert grouped["alone"].text not in html
    assert grouped["alone"].group is None
    assert {"wia", "parttime", "loon"} <= set(wia_group.terms)
    assert {"reiskosten", "proefplaatsing"} <= set(travel_group.terms)


def test_group_detail_shows_the_group_and_its_questions(net, grouped, client):
    group, questions = grouped["wia"]
    client.force_login(net.people["gina"])  # any ambassador of the region
    response = client.get(reverse("ambassadors:group", args=[group.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    facts = list(_facts(html).values())
    assert facts[0] == "3"
    assert facts[1] == ", ".join(group.terms)
    assert facts[2:4] == ["GGZ Net, UWV Net", "Uitkeringen en regels, Werkgevers en werk"]
    details = response.context["details"]
    assert [q.pk for q in details["questions"]] == [q.pk for q in questions]  # in the order asked
    boxes = [int(v) for v in re.findall(r'name="questions" value="(\d+)"', html)]
    assert boxes == [q.pk for q in questions]
    text = _text(html)
    for q in questions:
        assert q.text in text
    for q in grouped["travel"][1]:
        assert q.text not in text


def test_group_pages_after_a_hand_merge(net, grouped, client):
    (wia_group, wia), (travel_group, travel) = grouped["wia"], grouped["travel"]
    merged = services.groups_merge(groups=[wia_group, travel_group], by=net.people["anna"], title="WIA en reiskosten")
    client.force_login(net.people["anna"])
    html = client.get(reverse("ambassadors:group", args=[merged.pk])).content.decode()
    facts = list(_facts(html).values())
    assert facts[0] == "5" and facts[2:4] == ["GGZ Net, UWV Net", "Uitkeringen en regels, Werkgevers en werk"]
    assert "WIA en reiskosten" in _text(html)
    assert sorted(int(v) for v in re.findall(r'name="questions" value="(\d+)"', html)) == sorted(q.pk for q in [*wia, *travel])
    listing = client.get(reverse("ambassadors:groups")).content.decode()
    assert listing.count('<div class="panel">') == 1
    # Not for askers: the log of recurring questions is for ambassadors only.
    client.force_login(net.asker)
    assert client.get(reverse("ambassadors:group", args=[merged.pk])).status_code == 404
