"""Research export benchmark: one study's pseudonymised export at national size, streamed.

    .venv/bin/python bench/research_export.py                        # studies of 10 000 and 100 000 participants
    .venv/bin/python bench/research_export.py --sizes 1000 10000      # smaller
    .venv/bin/python bench/research_export.py --formats csv xlsx      # some formats only

Builds (once; it reuses what the database holds) a PostgreSQL database (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/werkbrug_export_bench) with one research institute and, per
size, a running trial of that many participants: synthetic clients with research consent, an
allocation (nine in ten randomised), three stage events, a questionnaire answered by each (a
grade, a Likert item, a number, an open answer, a multiple choice) and a recorded job for every
second one. Loaded with `bulk_create` in batches of 5 000.

Then, per size and format, it runs the export in a fresh subprocess, through the views' own
`export_response` (as a page or the API delivers it, the access check left out) and writes the
response to a file, twice:

- once plain: elapsed time, the process's CPU time, the rows written (read back from the file)
  and the resident peak: the peak is reset just before the export (`/proc/self/clear_refs`), and
  the figure is the peak after it (VmHWM) minus the resident size before it (VmRSS); the libraries
  are imported and Django set up before, so the delta is the export's own (where the peak cannot
  be reset, `ru_maxrss` after minus before, which misses an export below the start-up's peak);
- once under `tracemalloc`: the peak of the Python heap during the export (tracemalloc slows the
  export, so its time is not the figure).

Formats: `csv` and `sav` are the participants table; `xlsx` is the whole workbook (participants,
stages, answers, codings and the codebook). Constant memory means the peak at 100 000 is about
the peak at 10 000, for every format: `.sav` too since it is written case by case (ADR 0013; with
pyreadstat, which writes a whole data frame, its heap peak was 70 MB at 100 000). The last lines
give, per format, the heap peak at the largest size over the peak at the smallest. The machine's
load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load as one_region  # noqa: E402 — bench/load.py: settings and database helpers

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/werkbrug_export_bench"
BATCH = 5000
TITLE = "Benchmark export {n}"


# --- the database -------------------------------------------------------------------------------------


def _institute():
    from django.contrib.auth import get_user_model

    from werkbrug.core.choices import OrganisationType, Role
    from werkbrug.core.models import Organisation, Region, RoleAssignment

    region, _created = Region.objects.get_or_create(slug="benchmark-export", defaults={"name": "Benchmarkregio"})
    institute, _created = Organisation.objects.get_or_create(
        region=region, name="Kennisinstituut Benchmark", defaults={"type": OrganisationType.RESEARCH})
    ggz, _created = Organisation.objects.get_or_create(region=region, name="GGZ Benchmark", defaults={"type": OrganisationType.GGZ})
    User = get_user_model()
    researcher = User.objects.filter(username="bench-researcher").first()
    if researcher is None:
        researcher = User.objects.create_user(username="bench-researcher", password=None, first_name="Rosa",
                                              last_name="Onderzoeker", region=region, organisation=institute)
        RoleAssignment.objects.create(person=researcher, role=Role.RESEARCHER)
    return region, institute, ggz, researcher


def _clients(region, institute, researcher, n: int) -> list[int]:
    """`n` synthetic clients with current research consent for the institute (ids, in order)."""
    from django.utils import timezone

    from werkbrug.clients.models import Client, ConsentEvent, ConsentState
    from werkbrug.core.choices import DataCategory

    have = Client.objects.filter(region=region).count()
    now = timezone.now()
    for start in range(have, n, BATCH):
        stop = min(start + BATCH, n)
        clients = Client.objects.bulk_create([
            Client(region=region, pseudonym=f"CB{i:08d}", first_name="Synthetisch", last_name=f"Cliënt{i}",
                   date_of_birth=date(1970 + i % 35, 1 + i % 12, 1 + i % 28), benefit=("ww", "wajong", "none")[i % 3])
            for i in range(start, stop)
        ])
        events = ConsentEvent.objects.bulk_create([
            ConsentEvent(client=c, organisation=institute, category=DataCategory.RESEARCH, kind="grant", method="paper",
                         given_on=date(2026, 1, 5), evidence="Formulier", recorded_by=researcher, recorded_at=now)
            for c in clients
        ])
        ConsentState.objects.bulk_create([
            ConsentState(client=e.client, organisation=institute, category=DataCategory.RESEARCH, granted=True, last_event=e)
            for e in events
        ])
        print(f"  clients {stop:>7}", flush=True)
    return list(Client.objects.filter(region=region).order_by("pk").values_list("pk", flat=True)[:n])


def _study(institute, researcher, n: int, client_ids: list[int]):
    """A running trial with `n` participants (reused when it is there)."""
    from werkbrug.evaluations import services as s
    from werkbrug.evaluations.models import (
        Allocation,
        Answer,
        Invitation,
        Participant,
        RecordedJob,
        StageEvent,
        Study,
    )

    title = TITLE.format(n=n)
    study = Study.objects.filter(title=title).first()
    if study is not None and study.participants.count() == n:
        return study
    if study is not None:
        raise SystemExit(f"{title!r} is half built: drop the database and start again")
    study = s.study_create(
        created_by=researcher, title=title, research_question="Vinden meer mensen werk?", design="rct",
        starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31), follow_up_days=[90, 180, 365],
        arms=[{"name": "Ervaringsdeskundige + MI", "code": "ee_mi"},
              {"name": "Gebruikelijke ondersteuning", "code": "usual", "is_control": True}], seed=12345,
    )
    study = s.study_start(study=study, started_by=researcher)
    questionnaire = s.questionnaire_create(study=study, title="Tevredenheid", created_by=researcher, questions=[
        {"code": "grade", "text": "Welk cijfer geeft u?", "type": "grade"},
        {"code": "helped", "text": "De begeleiding hielp mij", "type": "likert"},
        {"code": "hours", "text": "Hoeveel uur werkt u?", "type": "number", "required": False},
        {"code": "experience", "text": "Hoe heeft u het ervaren?", "type": "text", "required": False},
        {"code": "support", "text": "Welke steun kreeg u?", "type": "multiple", "choices": ["Gesprek", "Groep", "Werkplek"],
         "required": False},
    ])
    questions = {q.code: q for q in questionnaire.questions.all()}
    arms = list(study.arms.order_by("pk"))
    moment = datetime(2026, 2, 1, 10, 0, tzinfo=__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    for start in range(0, n, BATCH):
        stop = min(start + BATCH, n)
        people = Participant.objects.bulk_create([
            Participant(study=study, client_id=client_ids[i], study_pseudonym=f"P-{i:07d}", stage="started",
                        enrolled_at=moment) for i in range(start, stop)
        ])
        randomised = [(i, p) for i, p in zip(range(start, stop), people, strict=True) if i % 10]
        Allocation.objects.bulk_create([
            Allocation(study=study, participant=p, arm=arms[i % 2], sequence_number=i + 1, block_number=i // 4 + 1,
                       block_size=4, randomised_on=date(2025, 3, 1) + timedelta(days=i % 300), randomised_at=moment,
                       randomised_by=researcher) for i, p in randomised
        ])
        StageEvent.objects.bulk_create([
            StageEvent(participant=p, stage=stage, occurred_on=date(2025, 2, 1) + timedelta(days=k), recorded_by=researcher)
            for p in people for k, stage in enumerate(("informed", "consented", "started"))
        ])
        RecordedJob.objects.bulk_create([
            RecordedJob(participant=p, start=date(2025, 6, 1) + timedelta(days=i % 200), hours_per_week=Decimal(8 + i % 30),
                        competitive=i % 3 != 0, recorded_by=researcher) for i, p in randomised if i % 2
        ])
        invitations = Invitation.objects.bulk_create([
            Invitation(questionnaire=questionnaire, kind="client", participant=p, sent_at=moment, responded_at=moment)
            for p in people
        ])
        Answer.objects.bulk_create([
            answer for i, invitation in zip(range(start, stop), invitations, strict=True) for answer in (
                Answer(invitation=invitation, question=questions["grade"], number=Decimal(1 + i % 10)),
                Answer(invitation=invitation, question=questions["helped"], number=Decimal(1 + i % 5)),
                Answer(invitation=invitation, question=questions["hours"], number=Decimal(i % 80) / 2),
                Answer(invitation=invitation, question=questions["experience"], text=f"Een prettig gesprek, nummer {i}."),
                Answer(invitation=invitation, question=questions["support"], selected=[1 + i % 3]),
            )
        ])
        print(f"  study of {n}: participants {stop:>7}", flush=True)
    return study


def prepare(sizes: list[int]) -> dict[int, int]:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0, interactive=False)
    region, institute, _ggz, researcher = _institute()
    client_ids = _clients(region, institute, researcher, max(sizes))
    studies = {n: _study(institute, researcher, n, client_ids).pk for n in sizes}
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
    return studies


# --- one export, in its own process -------------------------------------------------------------------


def _rows_written(path: Path, fmt: str) -> int:
    if fmt == "csv":
        with path.open(encoding="utf-8-sig") as f:
            return sum(1 for _line in f) - 1  # no line breaks inside these cells
    if fmt == "sav":
        import pyreadstat

        _frame, meta = pyreadstat.read_sav(str(path), metadataonly=True)
        return meta.number_rows
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    return sum(sum(1 for _row in sheet.iter_rows()) - 1 for sheet in workbook.worksheets)


def _status(field: str) -> int:
    """A field of /proc/self/status in kB (VmRSS: resident now; VmHWM: the resident peak)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


def _reset_peak() -> bool:
    """Reset the resident peak (Linux: `5` to /proc/self/clear_refs), so that the peak after the
    export is the export's own and not that of the start-up (migrations check, imports)."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def run_one(study_id: int, fmt: str, traced: bool, out: Path) -> dict:
    import tracemalloc

    # Everything the export imports, imported before the first reading.
    import openpyxl  # noqa: F401
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.translation import gettext as _

    from werkbrug.evaluations import sav  # noqa: F401
    from werkbrug.evaluations.models import Study
    from werkbrug.evaluations.views import export_response

    study = Study.objects.get(pk=study_id)
    request = RequestFactory().get("/")
    translation.activate("nl")
    str(_("Yes"))  # the Dutch catalogue loaded before the first reading
    reset = _reset_peak()
    before = _status("VmRSS") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if traced:
        tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    response = export_response(request, study, "participants", fmt)
    with out.open("wb") as f:
        for piece in response.streaming_content:
            f.write(piece.encode() if isinstance(piece, str) else piece)
    response.close()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    heap = tracemalloc.get_traced_memory()[1] if traced else None
    after = _status("VmHWM") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"elapsed": elapsed, "cpu": cpu, "heap_peak": heap, "rss_before": before * 1024, "rss_delta": (after - before) * 1024,
            "rss_peak": after * 1024,
            "bytes": out.stat().st_size, "rows": None if traced else _rows_written(out, fmt)}


def measure(database_url: str, study_id: int, fmt: str, traced: bool) -> dict:
    out = Path(tempfile.gettempdir()) / f"research-export-bench-{os.getpid()}.{fmt}"  # a scratch file, removed below
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(study_id), fmt, str(out), "--database", database_url]
            + (["--traced"] if traced else []),
            check=True, capture_output=True, text=True, timeout=3600,
        )
    finally:
        out.unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def mb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e6:.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--formats", nargs="+", default=["csv", "xlsx", "sav"], choices=["csv", "xlsx", "sav"])
    parser.add_argument("--one", nargs=3, metavar=("STUDY", "FORMAT", "OUT"), help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_region.django_setup(args.database)
        study_id, fmt, out = args.one
        print(json.dumps(run_one(int(study_id), fmt, args.traced, Path(out))))
        return
    print(f"load average before: {os.getloadavg()}")
    one_region.ensure_database(args.database)
    one_region.django_setup(args.database)
    started = time.perf_counter()
    studies = prepare(sorted(args.sizes))
    print(f"database ready in {time.perf_counter() - started:.0f} s: " + ", ".join(
        f"study {pk} with {n} participants" for n, pk in studies.items()))
    from werkbrug.evaluations import exports

    chunks = f"chunks of {exports.CHUNK}" if hasattr(exports, "CHUNK") else "not streamed (before issue #19)"
    print(f"\nexport of the participants (csv, sav) or the whole workbook (xlsx); {chunks}")
    print(f"{'participants':>12} {'format':>6} {'rows':>8} {'size':>9} {'elapsed':>8} {'cpu':>8} {'heap peak':>10} {'rss delta':>10} {'rss peak':>9}")
    heaps: dict[str, dict[int, int]] = {fmt: {} for fmt in args.formats}
    for n, study_id in studies.items():
        for fmt in args.formats:
            plain = measure(args.database, study_id, fmt, traced=False)
            traced = measure(args.database, study_id, fmt, traced=True)
            heaps[fmt][n] = traced["heap_peak"]
            print(f"{n:>12} {fmt:>6} {plain['rows']:>8} {mb(plain['bytes']):>9} {plain['elapsed']:>7.1f}s {plain['cpu']:>7.1f}s "
                  f"{mb(traced['heap_peak']):>10} {mb(plain['rss_delta']):>10} {mb(plain['rss_peak']):>9}", flush=True)
    if len(studies) > 1:
        smallest, largest = min(studies), max(studies)
        print(f"\nheap peak at {largest} participants over the peak at {smallest}:")
        for fmt, peaks in heaps.items():
            print(f"{fmt:>6} {mb(peaks[largest])} / {mb(peaks[smallest])} = {peaks[largest] / peaks[smallest]:.2f}")
    print(f"\nload average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
