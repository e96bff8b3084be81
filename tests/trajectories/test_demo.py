from werkbrug.clients.models import Client, ConsentEvent, ConsentState
from werkbrug.core.models import User
from werkbrug.trajectories.models import Intake, PlanDirectorChange, Trajectory


def test_demo_loads_clients_teams_consents_and_portal_accounts(demo_region):
    assert Client.objects.filter(region=demo_region).count() >= 60
    assert Trajectory.objects.filter(region=demo_region, status="active").count() >= 60
    assert Intake.objects.filter(status="draft").exists() and Intake.objects.filter(status="complete").exists()
    assert ConsentEvent.objects.filter(kind="withdraw").exists()
    assert ConsentState.objects.filter(granted=True, valid_until__isnull=False).exists()  # expired ones
    assert PlanDirectorChange.objects.filter(previous__isnull=False).exists()
    # Ours are demo.client.<first name>; other modules add demo.client.<first>.<last> accounts.
    portal = [u for u in User.objects.filter(username__startswith="demo.client.", kind="client") if u.username.count(".") == 2]
    assert len(portal) == 3
    assert all(Client.objects.filter(user=u).exists() for u in portal)


def test_demo_has_closed_archived_reopened_trajectories_and_a_possible_duplicate(demo_region):
    from werkbrug.clients.known import possible_matches
    from werkbrug.clients.models import JoinRequest
    from werkbrug.trajectories.models import TrajectoryEvent
    from werkbrug.trajectories.selectors import archive_search

    closed = Trajectory.objects.filter(region=demo_region, status="closed")
    assert closed.count() >= 4 and not closed.filter(close_reason="").exists()
    assert set(closed.values_list("close_reason", flat=True)) >= {"work_found", "moved", "referred_elsewhere"}
    assert TrajectoryEvent.objects.filter(kind="reopened").exists()
    director = closed.first().plan_director
    assert archive_search(user=director).exists()
    request = JoinRequest.objects.get(trajectory__region=demo_region)
    original = request.client
    assert len(possible_matches(region_id=demo_region.pk, first_name=original.first_name,
                                last_name=original.last_name, date_of_birth=original.date_of_birth)) == 2
