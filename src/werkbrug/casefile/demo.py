"""Demo data for the case file, through the real services: contact notes (some corrected, some
shared with the client) and documents (the signed consent form attached to the consent record
it proves, a CV, a report replaced by a second version) for the demo trajectories. The PDFs
are small synthetic files (`pdf.tiny_pdf`). Deterministic from `rng`; never real people's data.
"""

from __future__ import annotations

import io
import random
from datetime import timedelta

from django.utils import timezone

from werkbrug.clients.models import ConsentEvent, ConsentMethod
from werkbrug.core.choices import DataCategory
from werkbrug.core.models import Region
from werkbrug.core.policy.clients import consented_categories
from werkbrug.trajectories.models import TeamMembership, Trajectory, TrajectoryStatus

from .models import DocumentKind, JournalKind
from .pdf import tiny_pdf
from .services import document_replace, document_upload, journal_entry_correct, journal_entry_create

NOTES = [
    (JournalKind.PHONE, "de werkgever", DataCategory.WORK_INCOME,
     "Werkgever gebeld: ze kan maandag beginnen, eerst drie ochtenden per week.", True),
    (JournalKind.CONVERSATION, "de cliënt", DataCategory.PARTICIPATION,
     "Kennismaking. Wil graag buiten werken, liefst in de groenvoorziening. Afspraak: cv samen maken.", True),
    (JournalKind.THREE_WAY, "cliënt en behandelaar", DataCategory.CARE,
     "Driegesprek: de behandeling loopt door naast de zoektocht naar werk; ochtenden gaan beter dan middagen.",
     False),
    (JournalKind.EMAIL, "de cliënt", DataCategory.PARTICIPATION,
     "Vacature van de bakkerij doorgestuurd; cliënt reageert voor vrijdag.", True),
    (JournalKind.EMPLOYER, "bakkerij De Korenbloem", DataCategory.WORK_INCOME,
     "Werkgever wil een proefplaatsing van twee weken; loonkostensubsidie besproken.", False),
    (JournalKind.CONVERSATION, "de cliënt", DataCategory.DEBTS,
     "Betalingsachterstand bij de energieleverancier; afspraak met schuldhulp gemaakt.", False),
]


def _pdf(title: str, lines: list[str]):
    data = tiny_pdf([title, "", *lines, "", "Synthetisch demodocument - geen echte persoon."])
    return io.BytesIO(data), len(data)


def load(region: Region, rng: random.Random) -> None:
    today = timezone.localdate()
    trajectories = list(
        Trajectory.objects.filter(region=region, status=TrajectoryStatus.ACTIVE).select_related("client").order_by("pk")
    )
    members_by: dict[int, list[TeamMembership]] = {}
    for m in TeamMembership.objects.filter(trajectory__in=trajectories, left_at__isnull=True).select_related(
            "person", "organisation").order_by("pk"):
        members_by.setdefault(m.trajectory_id, []).append(m)
    for index, trajectory in enumerate(trajectories):
        members = members_by.get(trajectory.pk, [])
        if not members:
            continue
        client = trajectory.client
        allowed = {m.pk: consented_categories(client, m.organisation_id) for m in members}
        written = []
        for kind, whom, category, text, shared in rng.sample(NOTES, rng.randint(2, 4)):
            authors = [m for m in members if category in allowed[m.pk]]
            if not authors:
                continue
            author = rng.choice(authors).person
            entry = journal_entry_create(
                trajectory=trajectory, author=author, category=category, kind=kind,
                occurred_on=max(trajectory.started_on, today - timedelta(days=rng.randint(1, 60))),
                with_whom=whom, text=text, shared_with_client=shared,
            )
            written.append((entry, author))
        if written and index % 3 == 0:
            entry, author = written[0]
            current = entry.current
            journal_entry_correct(
                entry=entry, author=author, kind=current.kind, occurred_on=current.occurred_on,
                with_whom=current.with_whom, text=current.text + " (Aanvulling: afspraak bevestigd per e-mail.)",
                shared_with_client=current.shared_with_client, reason="Aanvulling na terugbellen.",
            )
        # The signed consent form, attached to the paper consent record it proves.
        paper = (ConsentEvent.objects.filter(client=client, kind=ConsentEvent.Kind.GRANT, method=ConsentMethod.PAPER,
                                             category=DataCategory.PARTICIPATION)
                 .order_by("recorded_at", "pk").first())
        if paper is not None:
            uploader = next((m.person for m in members if m.organisation_id == paper.organisation_id), None)
            if uploader is not None and DataCategory.PARTICIPATION in allowed[
                    next(m.pk for m in members if m.person_id == uploader.pk)]:
                file, size = _pdf("Toestemmingsformulier (getekend)", [
                    f"Cliënt: {client.pseudonym}", f"Organisatie: {paper.organisation}",
                    f"Gegeven op: {paper.recorded_at:%d-%m-%Y}"])
                document_upload(
                    trajectory=trajectory, uploaded_by=uploader, category=DataCategory.PARTICIPATION,
                    kind=DocumentKind.SIGNED_CONSENT, title="Getekend toestemmingsformulier", upload=file,
                    name="toestemming-getekend.pdf", size=size, consent_event=paper,
                )
        if index % 2 == 0:
            author = members[0]
            if DataCategory.WORK_INCOME in allowed[author.pk]:
                file, size = _pdf("Curriculum vitae", ["Werkervaring: magazijn, groenvoorziening", "Rijbewijs B"])
                document_upload(trajectory=trajectory, uploaded_by=author.person, category=DataCategory.WORK_INCOME,
                                kind=DocumentKind.CV, title="Cv", upload=file, name="cv.pdf", size=size)
        if index % 4 == 1:
            author = members[0]
            if DataCategory.WORK_INCOME in allowed[author.pk]:
                file, size = _pdf("Re-integratieverslag", ["Voortgang: proefplaatsing gestart."])
                report = document_upload(
                    trajectory=trajectory, uploaded_by=author.person, category=DataCategory.WORK_INCOME,
                    kind=DocumentKind.REPORT, title="Re-integratieverslag", upload=file, name="verslag.pdf", size=size)
                file, size = _pdf("Re-integratieverslag (versie 2)", ["Voortgang: proefplaatsing geslaagd."])
                document_replace(document=report, uploaded_by=author.person, upload=file, name="verslag-v2.pdf",
                                 size=size, note="Uitkomst van de proefplaatsing toegevoegd.")
