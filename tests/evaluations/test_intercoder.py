"""Agreement between all coders (Krippendorff's alpha with missing coders) on the page and in the API."""

from __future__ import annotations

import pytest

from werkbrug.core.choices import Role
from werkbrug.evaluations import intercoder, reliability
from werkbrug.evaluations import services as s


@pytest.fixture
def third_coder(populated, research, make_person):
    third = make_person(research.institute, Role.RESEARCHER, first_name="Tess", last_name="Derde")
    from werkbrug.evaluations.services import study_researcher_add

    study_researcher_add(study=populated.study, person=third, added_by=research.researcher)
    barriers, time_code, support = populated.codes
    # The third coder codes passages 1 and 2 only (passage 3: missing, not "no code").
    s.coding_add(passage=populated.passages[0], code=support, level="professional", coder=third)
    s.coding_add(passage=populated.passages[1], code=barriers, level="professional", coder=third)
    return third


def test_all_coders_alpha_treats_an_uncoded_passage_as_missing(populated, research, third_coder):
    result = intercoder.coders_agreement(study=populated.study)
    assert {c.pk for c in result.coders} == {research.researcher.pk, research.second.pk, third_coder.pk}
    # Passage 1: S, S, S; passage 2: T, T, K; passage 3: S, K, (missing).
    expected = reliability.krippendorff_alpha([("S", "S", "S"), ("T", "T", "K"), ("S", "K", None)])
    assert result.overall.alpha == pytest.approx(expected, abs=1e-12)
    assert result.overall.units == 3 and result.overall.values == 8
    assert [d.passage.number for d in result.disagreements] == [2, 3]
    by_coder = {c.pk: names for c, names in result.disagreements[1].by_coder}
    assert third_coder.pk not in by_coder and by_coder[research.second.pk] == ["Knelpunten"]


def test_agreement_page_and_api_show_all_coders_and_disagreements(api, populated, research, third_coder):
    study = populated.study.pk
    page = api.get(f"/research/studies/{study}/agreement/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count('id="disagreements"') == 1
    # the page's <title> is its name only, not a second copy of the all-coders section
    assert "<h2" not in html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "De tijd is krap." in html and "R1-01 · 3" in html
    data = api.get(f"/api/v1/research/studies/{study}/agreement/?a={research.researcher.pk}&b={research.second.pk}").json()
    everyone = data["all_coders"]
    assert len(everyone["coders"]) == 3
    assert everyone["krippendorffs_alpha"]["alpha"] == pytest.approx(
        reliability.krippendorff_alpha([("S", "S", "S"), ("T", "T", "K"), ("S", "K", None)]), abs=1e-12)
    low, high = everyone["krippendorffs_alpha"]["ci_low"], everyone["krippendorffs_alpha"]["ci_high"]
    assert low <= everyone["krippendorffs_alpha"]["alpha"] <= high
    assert [(d["interview"], d["passage"]) for d in everyone["disagreements"]] == [("R1-01", 2), ("R1-01", 3)]
    again = api.get(f"/api/v1/research/studies/{study}/agreement/?a={research.researcher.pk}&b={research.second.pk}").json()
    assert again["all_coders"] == everyone  # the bootstrap is seeded
