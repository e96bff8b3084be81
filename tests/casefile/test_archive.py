"""The case file of a closed trajectory: read-only for its former team (the archive's rule,
`trajectory_data`), not for an outsider, and not for whoever is in the client's next trajectory."""

from __future__ import annotations

from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import DataCategory, Role
from werkbrug.trajectories.services import trajectory_close, trajectory_start

CLOSE = {"reason": "work_found", "outcome": "paid_work", "note": ""}


def test_the_former_team_reads_the_closed_case_file_and_nobody_else(team, note, document, as_user, make_person):
    entry = note(category=DataCategory.WORK_INCOME, text="Werkgever gebeld: ze begint maandag.")
    doc = document(category=DataCategory.PARTICIPATION)
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **CLOSE)
    pages = {
        "journal": reverse("casefile:journal", kwargs={"trajectory_pk": team.trajectory.pk}),
        "entry": reverse("casefile:journal_entry", kwargs={"trajectory_pk": team.trajectory.pk, "pk": entry.pk}),
        "documents": reverse("casefile:documents", kwargs={"trajectory_pk": team.trajectory.pk}),
    }
    former = as_user(team.labour_expert)
    for name, url in pages.items():
        response = former.get(url)
        assert response.status_code == 200, name
    assert "ze begint maandag" in former.get(pages["journal"]).content.decode()
    assert doc.title in former.get(pages["documents"]).content.decode()
    # read-only: no form to write a note on the archived file
    assert reverse("casefile:journal_create", kwargs={"trajectory_pk": team.trajectory.pk}) not in \
        former.get(pages["journal"]).content.decode()
    assert former.post(reverse("casefile:journal_create", kwargs={"trajectory_pk": team.trajectory.pk}),
                       {"text": "x"}).status_code == 404  # the policy refuses first (trajectory_write)
    outsider = as_user(team.outsider)
    assert all(outsider.get(url).status_code == 404 for url in pages.values())
    # The client's next trajectory, with another jobcoach: the closed file stays its old team's.
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    newcomer_client = as_user(newcomer)
    assert all(newcomer_client.get(url).status_code == 404 for url in pages.values())
    # Nor can the next team write into the old file: refused by the policy, as an outsider is.
    assert newcomer_client.post(reverse("casefile:journal_create", kwargs={"trajectory_pk": team.trajectory.pk}),
                                {"text": "x"}).status_code == 404
