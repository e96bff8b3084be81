"""Demo data for the client's rights: every client with a portal account has ticked off one of
their own actions and asked for a correction (every other one answered by the plan director).

Made through the real services, so the demo access log shows the clients at work too.
"""

from __future__ import annotations

import random

from werkbrug.clients.models import Client
from werkbrug.core.models import Region
from werkbrug.plans.models import Action, ActionStatus
from werkbrug.plans.services import action_tick
from werkbrug.trajectories.models import TrajectoryStatus

from .models import CorrectionSubject
from .services import correction_request_answer, correction_request_create

REQUESTS = [
    (CorrectionSubject.INTAKE, "Bij mijn opleiding staat mbo 2, maar ik heb mijn mbo 3-diploma in juni gehaald."),
    (CorrectionSubject.PERSONAL, "Mijn telefoonnummer is veranderd, het nieuwe nummer geef ik graag door bij het volgende gesprek."),
    (CorrectionSubject.PLAN, "De datum voor het gesprek met de werkgever klopt niet: we spraken de week erna af."),
]


def load(region: Region, rng: random.Random) -> None:
    clients = list(
        Client.objects.filter(region=region, user__isnull=False, trajectories__status=TrajectoryStatus.ACTIVE)
        .select_related("user").distinct().order_by("pk")
    )
    for n, client in enumerate(clients):
        action = (
            Action.objects.filter(version__plan__trajectory__client=client, owner_is_client=True, status=ActionStatus.OPEN)
            .exclude(version__plan__current_version=None)
            .select_related("version__plan__trajectory__client").order_by("due_on", "pk").first()
        )
        if action is not None and action.version.plan.current_version_id == action.version_id:
            action_tick(action=action, person=client.user, done=True)
        subject, text = REQUESTS[n % len(REQUESTS)]
        request = correction_request_create(client=client, person=client.user, subject=subject, text=text)
        director = request.trajectory.plan_director
        if n % 2 == 0 and director is not None:
            correction_request_answer(request=request, person=director,
                                      answer="Dank u, het is aangepast. U ziet het bij uw volgende bezoek.")
