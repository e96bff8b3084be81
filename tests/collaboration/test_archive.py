"""Signals and referrals of a closed trajectory: read-only for its former team (the archive's
rule, `trajectory_data`), in pages and the API; not for an outsider, and not for whoever is in the
client's next trajectory. Nobody sends, acknowledges, withdraws or answers anything in it."""

from __future__ import annotations

from django.urls import reverse

from werkbrug.clients.models import ConsentMethod
from werkbrug.core.choices import Role
from werkbrug.core.models import AccessLogRecord
from werkbrug.trajectories.services import trajectory_close, trajectory_start

CLOSE = {"reason": "work_found", "outcome": "paid_work", "note": ""}
API = "/api/v1/"


def test_the_former_team_reads_closed_signals_and_referrals_and_nobody_else(team, signal, referral, debt_counsellor,
                                                                            as_user, make_person):
    sent = signal(text="Beslaglegging op komst; let op haar stemming.")
    trajectory_close(trajectory=team.trajectory, closed_by=team.jobcoach, **CLOSE)
    t = team.trajectory.pk
    pages = {
        "signals": reverse("collaboration:signals", kwargs={"trajectory_pk": t}),
        "referrals": reverse("collaboration:referrals", kwargs={"trajectory_pk": t}),
        "referral": reverse("collaboration:referral", kwargs={"pk": referral.pk}),
        "api signals": f"{API}trajectories/{t}/signals/",
        "api signal": f"{API}signals/{sent.pk}/",
        "api referrals": f"{API}trajectories/{t}/referrals/",
        "api referral": f"{API}referrals/{referral.pk}/",
    }
    former = as_user(team.labour_expert)  # a recipient of the signal, not yet acknowledged
    for name, url in pages.items():
        assert former.get(url).status_code == 200, name
    signals_page = former.get(pages["signals"]).content.decode()
    referrals_page = former.get(pages["referrals"]).content.decode()
    referral_page = as_user(team.jobcoach).get(pages["referral"]).content.decode()
    assert "Beslaglegging op komst" in signals_page
    # Read-only: no buttons to send, acknowledge, refer or withdraw …
    assert reverse("collaboration:signal_create", kwargs={"trajectory_pk": t}) not in signals_page
    assert reverse("collaboration:signal_acknowledge", kwargs={"trajectory_pk": t, "pk": sent.pk}) not in signals_page
    assert reverse("collaboration:referral_create", kwargs={"trajectory_pk": t}) not in referrals_page
    assert reverse("collaboration:referral_withdraw", kwargs={"pk": referral.pk}) not in referral_page
    receiver_page = as_user(debt_counsellor).get(pages["referral"])
    assert receiver_page.status_code == 200
    assert reverse("collaboration:referral_accept", kwargs={"pk": referral.pk}) not in receiver_page.content.decode()
    # … and every write refused, pages and API alike.
    assert former.get(reverse("collaboration:signal_create", kwargs={"trajectory_pk": t})).status_code == 404
    assert former.post(reverse("collaboration:signal_acknowledge", kwargs={"trajectory_pk": t, "pk": sent.pk})).status_code == 404
    assert former.post(f"{API}signals/{sent.pk}/acknowledge/", {}, content_type="application/json").status_code == 404
    assert former.post(pages["api signals"], {"text": "x"}, content_type="application/json").status_code == 404
    assert as_user(team.jobcoach).post(f"{API}referrals/{referral.pk}/withdraw/", {"reason": "x"},
                                       content_type="application/json").status_code == 404
    assert as_user(debt_counsellor).post(f"{API}referrals/{referral.pk}/accept/", {},
                                         content_type="application/json").status_code == 404
    sent.refresh_from_db()
    referral.refresh_from_db()
    assert not sent.recipients.filter(acknowledged_at__isnull=False).exists()
    assert referral.state == "requested"
    # The reads are logged as the archive's.
    for action in ("signal.view", "referral.view", "referral.view_one"):
        assert AccessLogRecord.objects.filter(action=action, actor_id_snapshot=team.labour_expert.pk, granted=True,
                                              purpose="archive").exists(), action
    outsider = as_user(team.outsider)
    assert all(outsider.get(url).status_code == 404 for url in pages.values())
    # The client's next trajectory, with another jobcoach: the closed file stays its old team's.
    newcomer = make_person(team.jobcoach.organisation, Role.JOBCOACH)
    trajectory_start(client=team.client, started_by=newcomer, role=Role.JOBCOACH, consent_method=ConsentMethod.VERBAL)
    newcomer_client = as_user(newcomer)
    assert all(newcomer_client.get(url).status_code == 404 for url in pages.values())
    assert newcomer_client.post(reverse("collaboration:signal_create", kwargs={"trajectory_pk": t}),
                                {"text": "x"}).status_code == 404
