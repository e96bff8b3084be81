"""Entering a finished trial: the import (CSV/XLSX, dry run, line-numbered Dutch errors, one
transaction) gives the same analysis as entry through the services, and the figures of a
published two-arm table match SciPy and statsmodels."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from scipy import stats as sps
from statsmodels.stats.proportion import confint_proportions_2indep

from werkbrug.evaluations import analysis, services
from werkbrug.evaluations.models import Allocation, Invitation, RecordedJob, StudyEvent

from .conftest import consent_to_study

TODAY = date(2026, 12, 1)


def _csv(rows: list[list[object]], sep: str = ";") -> bytes:
    return "\n".join(sep.join(str(c) for c in row) for row in rows).encode()


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _enrolled(research, study, n):
    return [services.participant_enrol(study=study, client=research.client(), enrolled_by=research.researcher)
            for _ in range(n)]


def _import(study, kind, data, by, *, dry_run=False, questionnaire=None):
    return services.study_import(study=study, kind=kind, data=data, imported_by=by, dry_run=dry_run,
                                 filename="proef.csv", questionnaire=questionnaire)


def _figures(result: analysis.Outcomes):
    """Everything the outcomes page prints, by arm code (so two studies can be compared)."""
    rows = []
    for tp in result.time_points:
        rows.append((tp.days, tp.outcome, [(r.arm.code, r.n, r.events) for r in tp.rows],
                     [(arm.code, c.difference, c.ci_low, c.ci_high, c.p_value, c.chi2, c.chi2_p) for arm, c in tp.comparisons]))
    curves = [(arm.code, list(curve.times), list(curve.survival)) for arm, curve in result.curves]
    return rows, curves, result.logrank.p_value if result.logrank else None


def test_import_gives_the_same_analysis_as_entry_through_the_services(research, make_study):
    """Study B is entered as a researcher would (randomisation dated in the past, jobs one by one);
    study A gets the same trial through the import. Every figure of the analysis is the same."""
    with time_machine.travel(TODAY):
        entered = make_study(follow_up_days=[90, 180], title="Ingevoerd", seed=7)
        imported = make_study(follow_up_days=[90, 180], title="Geïmporteerd", seed=99)
        people_b = _enrolled(research, entered, 12)
        people_a = _enrolled(research, imported, 12)
        allocations, jobs = [["deelnemer", "randomisatiedatum", "arm"]], [["deelnemer", "startdatum", "einddatum", "uren_per_week", "regulier"]]
        for i, (b, a) in enumerate(zip(people_b, people_a, strict=True)):
            day = date(2026, 2, 1) + timedelta(days=7 * i)
            consent_to_study(b, research.researcher)
            allocation = services.participant_randomise(participant=b, randomised_by=research.researcher, randomised_on=day)
            allocations.append([a.study_pseudonym, day.strftime("%d-%m-%Y"), allocation.arm.code])
            if i % 3 != 0:
                start, hours = day + timedelta(days=20 + 9 * i), Decimal("12.5") + i
                end = start + timedelta(days=100) if i % 4 == 1 else None
                services.recorded_job_add(participant=b, start=start, end=end, hours_per_week=hours,
                                          competitive=i % 2 == 0, recorded_by=research.researcher)
                jobs.append([a.study_pseudonym, start.isoformat(), end.isoformat() if end else "",
                             str(hours).replace(".", ","), "ja" if i % 2 == 0 else "nee"])
        for p in people_a:
            consent_to_study(p, research.researcher)
        assert _import(imported, "allocations", _csv(allocations), research.researcher).ok
        assert _import(imported, "jobs", _xlsx(jobs), research.researcher).ok
        assert _figures(analysis.outcomes(study=imported)) == _figures(analysis.outcomes(study=entered))
        assert all(a.imported_in_id for a in Allocation.objects.filter(study=imported))
        assert RecordedJob.objects.filter(participant__study=imported, imported_in__isnull=True).count() == 0
        assert not Allocation.objects.filter(study=entered, imported_in__isnull=False).exists()


def test_published_two_arm_table_through_the_import_matches_scipy(research, make_study):
    """The Boston ECMO trial (O'Rourke et al., Pediatrics 1989): 9 of 9 survived with ECMO, 6 of 10
    with conventional therapy, entered as "in paid work at day 180"."""
    table = {"ee_mi": (9, 9), "usual": (6, 10)}
    with time_machine.travel(TODAY):
        study = make_study(follow_up_days=[180])
        people = _enrolled(research, study, 19)
        for p in people:
            consent_to_study(p, research.researcher)
        allocations, jobs, k = [["deelnemer", "randomisatiedatum", "arm"]], [["deelnemer", "startdatum", "uren_per_week"]], 0
        for arm, (events, n) in table.items():
            for j in range(n):
                p, day = people[k], date(2026, 1, 5) + timedelta(days=k)
                allocations.append([p.study_pseudonym, day.isoformat(), arm])
                if j < events:
                    jobs.append([p.study_pseudonym, (day + timedelta(days=40 + j)).isoformat(), "16"])
                k += 1
        assert _import(study, "allocations", _csv(allocations, ","), research.researcher).ok
        assert _import(study, "jobs", _csv(jobs), research.researcher).ok
        paid = next(tp for tp in analysis.outcomes(study=study).time_points if tp.outcome == "paid")
    assert [(r.arm.code, r.events, r.n) for r in paid.rows] == [("ee_mi", 9, 9), ("usual", 6, 10)]
    _arm, c = paid.comparisons[0]
    counts = [[9, 0], [6, 4]]
    assert c.difference == pytest.approx(9 / 9 - 6 / 10, abs=1e-12)
    assert c.p_value == pytest.approx(sps.fisher_exact(counts).pvalue, abs=1e-12)
    assert c.chi2 == pytest.approx(sps.chi2_contingency(counts, correction=False).statistic, abs=1e-9)
    assert c.chi2_p == pytest.approx(sps.chi2_contingency(counts, correction=False).pvalue, abs=1e-12)
    low, high = confint_proportions_2indep(9, 9, 6, 10, method="newcomb", compare="diff")
    assert (c.ci_low, c.ci_high) == (pytest.approx(low, abs=1e-9), pytest.approx(high, abs=1e-9))


def test_dry_run_errors_in_dutch_with_line_numbers_and_nothing_stored(research, make_study):
    study = make_study()
    p1, p2 = _enrolled(research, study, 2)
    consent_to_study(p1, research.researcher)
    data = _csv([
        ["Deelnemer", "Randomisatiedatum", "Arm"],
        [p1.study_pseudonym, "2026-02-01", "ee_mi"],  # line 2: fine
        ["P-ONBEKEND", "2026-02-01", "usual"],  # line 3
        [p2.study_pseudonym, "31-02-2026", "usual"],  # line 4: no such date
        [p1.study_pseudonym, "2026-02-03", "usual"],  # line 5: twice
        [p2.study_pseudonym, "2026-02-01", "=cmd|' /C calc'!A0"],  # line 6: a formula is just an unknown arm
    ])
    with translation.override("nl"):
        result = _import(study, "allocations", data, research.researcher)
    assert not result.ok and result.event is None
    assert [e.split(":")[0] for e in result.errors] == ["Regel 3", "Regel 4", "Regel 5", "Regel 6"]
    assert "onbekende deelnemer" in result.errors[0] and "geen datum" in result.errors[1]
    assert not Allocation.objects.filter(study=study).exists() and not StudyEvent.objects.filter(kind="imported").exists()
    good = _csv([["deelnemer", "randomisatiedatum", "arm"], [p1.study_pseudonym, "2026-02-01", "ee_mi"]])
    dry = _import(study, "allocations", good, research.researcher, dry_run=True)
    assert dry.ok and dry.event is None and not Allocation.objects.filter(study=study).exists()
    stored = _import(study, "allocations", good, research.researcher)
    assert stored.event.kind == "imported" and stored.event.after == {"what": "allocations", "file": "proef.csv", "lines": 1}
    p1.refresh_from_db()
    assert p1.stage == "randomised" and p1.allocation.block_number == 0  # not drawn from the sequence
    # the next drawn allocation in the stratum is still the first slot of the sequence
    consent_to_study(p2, research.researcher)
    assert services.participant_randomise(participant=p2, randomised_by=research.researcher).sequence_number == 1


def test_answers_import_with_half_grades(research, make_study):
    with time_machine.travel(TODAY):
        study = make_study()
        people = _enrolled(research, study, 3)
        questionnaire = services.questionnaire_create(study=study, title="Nameting", created_by=research.researcher, questions=[
            {"code": "cijfer", "text": "Welk cijfer?", "type": "grade"},
            {"code": "steun", "text": "Welke steun?", "type": "multiple", "choices": ["Gesprek", "Groep"], "required": False},
        ])
        rows = [["deelnemer", "datum", "cijfer", "steun"],
                [people[0].study_pseudonym, "2026-06-01", "6,5", "1;2"],
                [people[1].study_pseudonym, "2026-06-02", "7", ""],
                [people[2].study_pseudonym, "2026-06-03", "11", ""]]
        result = _import(study, "answers", _xlsx(rows), research.researcher, questionnaire=questionnaire)
        assert not result.ok and result.errors[0].startswith("Regel 4: cijfer")
        result = _import(study, "answers", _xlsx(rows[:3]), research.researcher, questionnaire=questionnaire)
        assert result.ok
    invitations = Invitation.objects.filter(questionnaire=questionnaire).order_by("participant_id")
    assert all(i.imported_in_id == result.event.pk and i.responded_at.date() == i.sent_at.date() for i in invitations)
    grades = sorted(a.number for a in questionnaire.questions.get(code="cijfer").answers.all())
    assert grades == [Decimal("6.5"), Decimal("7")]


@pytest.mark.parametrize(("payload", "status"), [
    (b"x" * (2 * 1024 * 1024 + 1), 400),  # too large
    (b"PK\x03\x04not a zip", 400),  # claims to be a workbook
    (b"", 400),
])
def test_import_api_refuses_bad_files(api, research, make_study, payload, status):
    study = make_study()
    response = api.post(f"/api/v1/research/studies/{study.pk}/import/", {
        "kind": "allocations", "file": SimpleUploadedFile("a.csv", payload), "dry_run": "true",
    })
    assert response.status_code == status


def test_import_api_and_page(api, research, make_study, client, outsider):
    study = make_study()
    (p,) = _enrolled(research, study, 1)
    consent_to_study(p, research.researcher)
    data = _csv([["deelnemer", "randomisatiedatum", "arm"], [p.study_pseudonym, "2026-02-01", "usual"]])
    url = f"/api/v1/research/studies/{study.pk}/import/"
    body = api.post(url, {"kind": "allocations", "file": SimpleUploadedFile("a.csv", data)}).json()
    assert body == {"kind": "allocations", "dry_run": True, "rows": 1, "errors": [], "stored": False}
    page = api.post(f"/research/studies/{study.pk}/import/", {"kind": "allocations", "store": "on",
                                                              "file": SimpleUploadedFile("a.csv", data)})
    assert page.status_code == 302 and Allocation.objects.filter(study=study).count() == 1
    client.force_login(outsider)
    assert client.post(url, {"kind": "allocations", "file": SimpleUploadedFile("a.csv", data)}).status_code == 404
    assert client.get(f"/research/studies/{study.pk}/import/").status_code == 404


def test_time_points_count_from_the_entered_dates(research, make_study):
    """A time point counts once randomisation date + days lies in the past: an earlier cohort's
    participant counts at 180 days, one randomised last month not yet."""
    with time_machine.travel(TODAY):
        study = make_study(follow_up_days=[30, 180])
        early, late = _enrolled(research, study, 2)
        for p in (early, late):
            consent_to_study(p, research.researcher)
        rows = [["deelnemer", "randomisatiedatum", "arm"], [early.study_pseudonym, "2026-02-01", "usual"],
                [late.study_pseudonym, "2026-10-15", "usual"]]
        assert _import(study, "allocations", _csv(rows), research.researcher).ok
        result = analysis.outcomes(study=study)
    n_at = {tp.days: next(r.n for r in tp.rows if r.arm.code == "usual") for tp in result.time_points if tp.outcome == "paid"}
    assert n_at == {30: 2, 180: 1}


def test_allocation_log_queries_do_not_grow_with_allocations(api, research, make_study, django_assert_max_num_queries):
    study = make_study()
    people = _enrolled(research, study, 6)
    for p in people:
        consent_to_study(p, research.researcher)
    rows = [["deelnemer", "randomisatiedatum", "arm"]] + [[p.study_pseudonym, "2026-02-01", "usual"] for p in people]
    assert _import(study, "allocations", _csv(rows), research.researcher).ok
    with django_assert_max_num_queries(20):
        assert len(api.get(f"/api/v1/research/studies/{study.pk}/allocations/").json()) == 6


def test_import_reads_through_the_shared_table_reader(research, make_study):
    """Windows-1252 with semicolons and a header with spaces; an XLSX file named .csv; an empty
    line keeps the line numbers as the spreadsheet shows them; a too long cell is refused."""
    study = make_study()
    (p,) = _enrolled(research, study, 1)
    consent_to_study(p, research.researcher)
    data = f"Deelnemer;Randomised on;Arm\n\nP-ONBEKEND;1-2-2026;usual\n{p.study_pseudonym};1-2-2026;géén\n".encode("cp1252")
    with translation.override("nl"):
        result = _import(study, "allocations", data, research.researcher, dry_run=True)
    assert [e.split(":")[0] for e in result.errors] == ["Regel 3", "Regel 4"]
    assert "onbekende arm “géén”" in result.errors[1]
    workbook = _xlsx([["deelnemer", "randomised on", "arm"], [p.study_pseudonym, date(2026, 2, 1), "usual"]])
    assert _import(study, "allocations", workbook, research.researcher, dry_run=True).ok
    too_long = _csv([["deelnemer", "randomisatiedatum", "arm"], [p.study_pseudonym, "2026-02-01", "x" * 5001]])
    result = _import(study, "allocations", too_long, research.researcher, dry_run=True)
    assert not result.ok and "5000" in result.errors[0]
    twice = _csv([["deelnemer", "randomised on", "randomised_on", "arm"]])
    assert not _import(study, "allocations", twice, research.researcher, dry_run=True).ok
