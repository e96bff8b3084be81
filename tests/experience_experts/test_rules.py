"""Pure rules: balance, limits, low energy, matching order and explanation."""

from datetime import date

import pytest
from django.utils import translation

from werkbrug.experience_experts import balance, matching
from werkbrug.experience_experts.balance import Entry

TARGET = balance.DEFAULT_TARGET_SPLIT


@pytest.mark.parametrize(
    ("entries", "out"),
    [
        ([], False),  # nothing registered: in balance
        ([Entry(date(2026, 3, 2), 600, "own_office", "one_on_one"), Entry(date(2026, 3, 3), 400, "external", "network")], False),  # 60 % own office: exactly the target
        ([Entry(date(2026, 3, 2), 590, "own_office", "one_on_one"), Entry(date(2026, 3, 3), 410, "external", "network")], True),  # 59 %: below
        ([Entry(date(2026, 3, 2), 100, "external", "network"), Entry(date(2026, 2, 27), 900, "own_office", "one_on_one")], True),  # only March counts: 0 % own office
        ([Entry(date(2026, 3, d), 480, "own_office", "one_on_one") for d in range(2, 12)], True),  # 80 h > 18 h × 22 days / 5 = 79.2 h contract
    ],
)
def test_month_balance(entries, out):
    result = balance.month_balance(entries, month=date(2026, 3, 1), contract_hours=18, target=TARGET)
    assert result.out_of_balance is out


def test_contract_minutes_follow_working_days():
    # March 2026 has 22 working days: 18 h × 22 / 5 = 79.2 h
    assert balance.contract_minutes_in_month(18, date(2026, 3, 1)) == 4752


def test_target_split_from_region_settings():
    assert balance.target_split({"experience_experts": {"target_split": {"own_office": 70}}})["own_office"] == 70
    assert balance.target_split({}) == TARGET


@pytest.mark.parametrize(
    ("energies", "low"),
    [
        ([(date(2026, 3, 2), 2), (date(2026, 3, 9), 1), (date(2026, 3, 16), 2)], True),  # three low weeks in a row
        ([(date(2026, 3, 2), 2), (date(2026, 3, 9), 3), (date(2026, 3, 16), 2)], False),  # one good week breaks it
        ([(date(2026, 2, 23), 2), (date(2026, 3, 9), 1), (date(2026, 3, 16), 2)], False),  # a missing week breaks it
        ([(date(2026, 3, 9), 1), (date(2026, 3, 16), 1)], False),  # only two weeks
    ],
)
def test_low_energy_run(energies, low):
    assert balance.low_energy_run(energies, up_to=date(2026, 3, 18)) is low


def _cand(name, **kw):
    base = dict(expert_id=hash(name) % 1000, name=name, domains=frozenset(), period_days=10, absent_days=0,
                hours_4_weeks=0, contract_hours=18, contact_hours_week=0, contact_limit=8, own_office_share=None,
                target_own_office=60)
    base.update(kw)
    return matching.Candidate(**base)


def test_matching_order_and_explanation():
    wanted = frozenset({"Schulden", "Angst"})
    candidates = [
        _cand("Bert", domains=frozenset({"Psychose"})),  # no domain fit: 0 + 25 + 20 + 15 = 60
        _cand("Anna", domains=frozenset({"Schulden", "Angst"}), hours_4_weeks=36),  # 40 + 25 + 10 + 15 = 90
        _cand("Carla", domains=frozenset({"Schulden"})),  # 20 + 25 + 20 + 15 = 80
        _cand("Dirk", domains=frozenset({"Schulden", "Angst"}), absent_days=10),  # absent: last, 0
        _cand("Eva", domains=frozenset({"Schulden", "Angst"}), own_office_share=30.0),  # 40+25+20+7.5 = 92.5 → 92
    ]
    with translation.override("en"):
        ranked = matching.rank(candidates, wanted=wanted, client_contact=False, outside=True)
    assert [(m.candidate.name, m.score) for m in ranked] == [
        ("Eva", 92), ("Anna", 90), ("Carla", 80), ("Bert", 60), ("Dirk", 0)]
    eva, anna, carla, bert, dirk = ranked
    assert "Lived experience matches: Angst, Schulden (2 of 2)." in eva.reasons
    assert "Own office only 30% this month (target at least 60%): work outside weighs against." in eva.reasons
    assert "Load: 36 h in the last 4 weeks of 72 contract hours (50%)." in anna.reasons
    assert "Lived experience matches: Schulden (1 of 2)." in carla.reasons
    assert "No match with the wanted lived experience." in bert.reasons
    assert "Absent for the whole period." in dirk.reasons and not dirk.available


def test_client_contact_limit_weighs_in_load():
    c = _cand("Anna", contact_hours_week=6, contact_limit=8)
    with translation.override("en"):
        m = matching.score(c, wanted=frozenset(), client_contact=True, outside=False)
    assert m.parts["load"] == pytest.approx(0.25)
    assert "Client contact last week: 6 h of their own limit of 8 h." in m.reasons
    assert matching.score(c, wanted=frozenset(), client_contact=False, outside=False).parts["load"] == 1.0
