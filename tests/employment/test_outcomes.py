"""IPS outcome measures, hand-computed (see the comment on every row)."""

from datetime import date
from decimal import Decimal as D

import pytest

from werkbrug.employment.outcomes import JobSpell, caseload_outcomes, client_outcomes

START = date(2026, 1, 1)
END = date(2026, 12, 31)

# (jobs, as_of, competitive_only, expected:
#  ever, days_to_first, weeks, longest_weeks, mean_hours, works20, total_hours, total_wages, wages_complete)
CASES = [
    # no jobs at all: nothing counts
    ([], END, True, (False, None, D("0.0"), D("0.0"), None, False, D("0.0"), D("0.00"), True)),
    # 1–28 Feb (28 days = 4 weeks) at 20 h × €15: 31 days after 1 Jan; 80 h; €1200
    ([JobSpell(date(2026, 2, 1), date(2026, 2, 28), D(20), D(15))], END, True,
     (True, 31, D("4.0"), D("4.0"), D("20.0"), True, D("80.0"), D("1200.00"), True)),
    # ongoing since 2 Mar, as of 15 Mar (14 days = 2 weeks) at 10 h, wage unknown: 60 days to job
    # (counted among all jobs: with its wage unknown it is not verifiably competitive)
    ([JobSpell(date(2026, 3, 2), None, D(10), None)], date(2026, 3, 15), False,
     (True, 60, D("2.0"), D("2.0"), D("10.0"), False, D("20.0"), D("0.00"), False)),
    # a non-competitive job does not count by default …
    ([JobSpell(date(2026, 2, 1), date(2026, 2, 28), D(20), D(15), competitive=False)], END, True,
     (False, None, D("0.0"), D("0.0"), None, False, D("0.0"), D("0.00"), True)),
    # … but does when asked (all jobs)
    ([JobSpell(date(2026, 2, 1), date(2026, 2, 28), D(20), D(15), competitive=False)], END, False,
     (True, 31, D("4.0"), D("4.0"), D("20.0"), True, D("80.0"), D("1200.00"), True)),
    # overlapping: 1–14 Jan 12 h €15 and 8–21 Jan 10 h €20: union 21 days = 3 weeks, longest 2;
    # hours 24 + 20 = 44, mean 44/3 = 14.7; 22 h on 8 Jan ≥ 20; wages 360 + 400
    ([JobSpell(date(2026, 1, 1), date(2026, 1, 14), D(12), D(15)),
      JobSpell(date(2026, 1, 8), date(2026, 1, 21), D(10), D(20))], date(2026, 1, 31), True,
     (True, 0, D("3.0"), D("2.0"), D("14.7"), True, D("44.0"), D("760.00"), True)),
    # started before the trajectory (1 Dec): only 1–7 Jan counts; days to first job 0
    ([JobSpell(date(2025, 12, 1), date(2026, 1, 7), D(35), D(15))], END, True,
     (True, 0, D("1.0"), D("1.0"), D("35.0"), True, D("35.0"), D("525.00"), True)),
    # starts after as_of: not (yet) employed
    ([JobSpell(date(2027, 1, 5), None, D(32), D(16))], END, True,
     (False, None, D("0.0"), D("0.0"), None, False, D("0.0"), D("0.00"), True)),
    # one single day at 7 h/week: 1/7 week (0.1), 1 hour, mean 7 h; 9 days to the job
    ([JobSpell(date(2026, 1, 10), date(2026, 1, 10), D(7), D(15))], END, True,
     (True, 9, D("0.1"), D("0.1"), D("7.0"), False, D("1.0"), D("15.00"), True)),
    # two jobs one after the other (16 h then 24 h, 7 days each): 20 h+ through the second job
    ([JobSpell(date(2026, 1, 1), date(2026, 1, 7), D(16), D(15)),
      JobSpell(date(2026, 1, 8), date(2026, 1, 14), D(24), D(15))], date(2026, 1, 31), True,
     (True, 0, D("2.0"), D("1.0"), D("20.0"), True, D("40.0"), D("600.00"), True)),
]


@pytest.mark.parametrize(("jobs", "as_of", "competitive_only", "expected"), CASES)
def test_client_outcomes(jobs, as_of, competitive_only, expected):
    o = client_outcomes(jobs, start=START, as_of=as_of, competitive_only=competitive_only)
    assert (
        o.ever_employed, o.days_to_first_job, o.total_weeks_worked, o.longest_job_weeks, o.mean_hours_per_week,
        o.works_20_hours_or_more, o.total_hours, o.total_wages, o.wages_complete,
    ) == expected


def test_as_of_before_start_is_an_error():
    with pytest.raises(ValueError):
        client_outcomes([], start=START, as_of=date(2025, 12, 31))


def test_caseload_outcomes():
    # three clients: case 2 (31 days, 4 weeks, 20 h), case 3 (60 days, 2 weeks, 10 h), never employed
    per_client = [client_outcomes(CASES[i][0], start=START, as_of=CASES[i][1], competitive_only=CASES[i][2]) for i in (1, 2, 0)]
    c = caseload_outcomes(per_client)
    assert (c.clients, c.ever_employed, c.ever_employed_share) == (3, 2, D("66.7"))
    assert c.median_days_to_first_job == D("45.5")  # median of 31 and 60
    assert c.mean_weeks_worked == D("2.0")  # (4 + 2 + 0) / 3
    assert c.mean_longest_job_weeks == D("3.0")  # (4 + 2) / 2, the employed only
    assert c.mean_hours_per_week == D("15.0")  # (20 + 10) / 2
    assert (c.works_20_hours_or_more, c.works_20_hours_or_more_share) == (1, D("33.3"))
    assert (c.total_hours, c.total_wages) == (D("100.0"), D("1200.00"))


def test_empty_caseload():
    c = caseload_outcomes([])
    assert c.clients == 0 and c.ever_employed_share is None and c.median_days_to_first_job is None


def test_ever_employed_alone_is_the_measure_of_client_outcomes():
    """`ever_employed` is `client_outcomes(…).ever_employed` without the other measures."""
    from werkbrug.employment.outcomes import ever_employed

    start = date(2025, 3, 1)
    jobs = [
        JobSpell(start=date(2025, 2, 1), end=date(2025, 2, 20), hours_per_week=D(10), hourly_wage=D(15)),
        JobSpell(start=date(2025, 4, 1), end=None, hours_per_week=D(24), hourly_wage=D(15)),
        JobSpell(start=date(2025, 3, 10), end=None, hours_per_week=D(30), hourly_wage=None),
        JobSpell(start=date(2025, 3, 5), end=None, hours_per_week=D(30), hourly_wage=D(16),
                 contract_type="trial_placement"),
        JobSpell(start=date(2025, 3, 5), end=None, hours_per_week=D(30), hourly_wage=D(16), competitive=False),
    ]
    seen = set()
    for n in range(len(jobs) + 1):
        for as_of in (date(2025, 3, 1), date(2025, 3, 20), date(2025, 5, 1)):
            for competitive_only in (True, False):
                some = jobs[:n]
                alone = ever_employed(some, as_of=as_of, competitive_only=competitive_only)
                full = client_outcomes(some, start=start, as_of=as_of, competitive_only=competitive_only)
                assert alone == full.ever_employed
                seen.add(alone)
    assert seen == {True, False}
