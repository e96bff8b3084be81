import pytest

from werkbrug.core.choices import OrganisationType, Role


@pytest.fixture
def manager(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Dashboard"), Role.MANAGER)


@pytest.fixture
def region_admin(make_person, make_org):
    return make_person(make_org(OrganisationType.MUNICIPALITY, "Gemeente Beheer"), Role.REGION_ADMIN)


@pytest.fixture
def make_trajectories(region, make_person, make_client):
    """make_trajectories(n, org, started_on=..., ended_on=...): n trajectories with a plan director
    of `org`, started (and closed) on the given days, through the real services."""
    from werkbrug.clients.models import ConsentMethod
    from werkbrug.clients.services import consent_grant
    from werkbrug.core.choices import DataCategory
    from werkbrug.trajectories.models import Trajectory
    from werkbrug.trajectories.services import trajectory_close, trajectory_start

    coaches = {}

    def make(n, org, *, started_on, ended_on=None):
        coach = coaches.get(org.pk) or coaches.setdefault(org.pk, make_person(org, Role.JOBCOACH))
        made = []
        for _ in range(n):
            trajectory = trajectory_start(client=make_client(coach), started_by=coach, role=Role.JOBCOACH,
                                          consent_method=ConsentMethod.VERBAL)
            consent_grant(client=trajectory.client, organisation=org, category=DataCategory.JOB_OUTCOMES,
                          recorded_by=coach, method=ConsentMethod.PAPER, evidence="Getekend formulier")
            Trajectory.objects.filter(pk=trajectory.pk).update(started_on=started_on)
            trajectory.refresh_from_db()
            if ended_on is not None:
                trajectory = trajectory_close(trajectory=trajectory, closed_by=coach, reason="work_found",
                                              outcome="paid_work", ended_on=ended_on)
            made.append(trajectory)
        return made

    return make
