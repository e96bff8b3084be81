"""Rules for experience experts: profiles, requests, deployments, balance, wellbeing, groups.

- Profiles (with the expert's domains of lived experience) are about the expert's own history:
  the expert, the region's casework roles, experience-expert coordinators and region
  administrators see them; managers and employers without a casework role do not. The time
  balance is for the expert, the region's coordinators and the managers of the expert's *own*
  organisation (never another organisation's manager).
- Who coordinates an expert (and so reads their wellbeing) is decided by the region
  administrator, never by a coordinator for themselves (`ee_profile.assign_coordinator`); the
  assignment is recorded and the expert is told.
- The note of an absence (often a reason such as illness) is for the expert, their own
  coordinator and region administrators; everyone else sees only that the expert is away.
- A request or deployment *for a client* is client-level data: the requester works with it as a
  team member (`client_data`); the expert the request is offered to sees it because it is
  addressed to them, and only when the client consented to the expert's organisation taking
  part. Every such decision is logged.
- Wellbeing (check-ins and the signals that follow from them) is private to the expert and
  *their* coordinator (`ExpertProfile.coordinator`): never colleagues, other coordinators,
  managers, administrators, reports or the API for others. Recovery comes first.
- Reports are aggregates for managers, coordinators and region administrators.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..choices import CASEWORK_ROLES, DataCategory, Role
from . import ALLOW, Decision, rule, scope_rule
from .clients import client_data, consented_categories

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from ..models import User

COORDINATING = (Role.EE_COORDINATOR,)
REPORTING = (Role.MANAGER, Role.EE_COORDINATOR, Role.REGION_ADMIN)


def _in_region(user: User, obj: Any) -> bool:
    region_id = getattr(obj, "region_id", None)
    return user.is_professional and user.region_id is not None and (region_id is None or region_id == user.region_id)


def _no(reason: str, *, hide: bool = False) -> Decision:
    return Decision(False, reason=reason, hide=hide)


# Who sees experts' profiles besides the expert: people who work with clients (and so ask for
# an expert), the coordinators, and the region administrator who assigns coordinators.
PROFILE_READERS = frozenset(CASEWORK_ROLES | {Role.EE_COORDINATOR, Role.REGION_ADMIN})


def reads_profiles(user: User) -> bool:
    return user.is_professional and user.region_id is not None and bool(user.roles & PROFILE_READERS)


@rule("ee_domain.list", "experience_experts.use")
def list_domains(user: User, _obj: Any) -> Decision:
    return ALLOW if user.is_professional and user.region_id else _no("professionals only")


@rule("ee_profile.list")
def list_profiles(user: User, _obj: Any) -> Decision:
    return ALLOW if reads_profiles(user) else _no("casework roles and coordinators only")


@rule("ee_profile.view")
def view_profile(user: User, profile: Any) -> Decision:
    if not _in_region(user, profile):
        return _no("another region", hide=True)
    if profile is not None and getattr(profile, "person_id", None) == user.pk:
        return ALLOW
    return ALLOW if reads_profiles(user) else _no("casework roles and coordinators only", hide=True)


@scope_rule("ee_profile.view")
def visible_profiles(user: User, queryset: QuerySet) -> QuerySet:
    if not user.is_professional or user.region_id is None:
        return queryset.none()
    queryset = queryset.filter(region_id=user.region_id)
    return queryset if reads_profiles(user) else queryset.filter(person=user)


@rule("ee_profile.assign_coordinator")
def assign_coordinator(user: User, profile: Any) -> Decision:
    """Only the region administrator decides who coordinates an expert (and so reads their
    wellbeing); a coordinator cannot make themselves anyone's coordinator."""
    if not _in_region(user, profile):
        return _no("another region", hide=True)
    if user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    return _no("region administrators only")


@rule("ee_absence.view_note")
def view_absence_note(user: User, profile: Any) -> Decision:
    """The note of an absence (a reason such as illness): the expert, their own coordinator and
    the region administrators. Others see only the dates."""
    if profile is None or not _in_region(user, profile) or not user.is_professional:
        return _no("private", hide=True)
    if profile.person_id == user.pk or is_own_coordinator(user, profile):
        return ALLOW
    if user.has_role(Role.REGION_ADMIN) or user.is_superuser:
        return ALLOW
    return _no("the expert, their coordinator and region administrators")


@rule("ee_profile.change")
def change_profile(user: User, profile: Any) -> Decision:
    """The expert keeps their own profile (limits, availability, absences); coordinators too."""
    if not _in_region(user, profile):
        return _no("another region", hide=True)
    if profile is not None and getattr(profile, "person_id", None) == user.pk:
        return ALLOW
    if user.has_role(*COORDINATING, Role.REGION_ADMIN):
        return ALLOW
    return _no("the expert or a coordinator")


@rule("ee_profile.create")
def create_profile(user: User, profile: Any) -> Decision:
    """Making a profile for an expert of the region: coordinators and region administrators."""
    if profile is not None and not _in_region(user, profile):
        return _no("another region", hide=True)
    if user.is_professional and user.region_id and user.has_role(*COORDINATING, Role.REGION_ADMIN):
        return ALLOW
    return _no("coordinators only")


@rule("ee_domain.change")
def change_domains(user: User, _obj: Any) -> Decision:
    return ALLOW if user.is_professional and user.has_role(*COORDINATING, Role.REGION_ADMIN) else _no("coordinators only")


def _request_client_decision(user: User, request: Any, code: str) -> Decision:
    """A request for a client: the requester as team member, or the expert it is addressed to."""
    client = request.client
    if request.requested_by_id == user.pk:
        return client_data(user, client, DataCategory.PARTICIPATION, code=code)
    addressed = request.expert_id == user.pk or any(
        o.expert_id == user.pk for o in request.offers.all() if o.outcome != "declined"
    )
    if addressed and user.region_id == client.region_id:
        consent = DataCategory.PARTICIPATION in consented_categories(client, user.organisation_id, user)
        return Decision(
            consent, reason="" if consent else "no consent for the expert's organisation", client=client,
            category=DataCategory.PARTICIPATION, code=code, purpose="deployment request addressed to the expert",
            role=Role.EXPERIENCE_EXPERT, relation=True, consent=consent,
        )
    return client_data(user, client, DataCategory.PARTICIPATION, code=code)


@rule("ee_request.create")
def create_request(user: User, obj: Any) -> Decision:
    """`obj` is the client the request is for, or None for a group or topic."""
    if not user.is_professional or not (user.roles & (CASEWORK_ROLES | {Role.EE_COORDINATOR, Role.MANAGER, Role.AMBASSADOR})):
        return _no("professionals only")
    if obj is None:
        return ALLOW
    return client_data(user, obj, DataCategory.PARTICIPATION, code="C")


def _request_refused(request: Any, reason: str, code: str) -> Decision:
    """A refusal on a request: logged against the client when the request names one."""
    if getattr(request, "client_id", None) is not None:
        return Decision(False, reason=reason, client=request.client, category=DataCategory.PARTICIPATION, code=code,
                        hide=True)
    return _no(reason, hide=True)


@rule("ee_request.view")
def view_request(user: User, request: Any) -> Decision:
    if not _in_region(user, request):
        return _request_refused(request, "another region", "R")
    if request.client_id is not None:
        return _request_client_decision(user, request, "R")
    return ALLOW if user.is_professional else _no("professionals only")


@rule("ee_request.offer")
def offer_request(user: User, request: Any) -> Decision:
    """The requester (or a coordinator for group requests) puts the request to an expert."""
    if not _in_region(user, request):
        return _request_refused(request, "another region", "U")
    if request.client_id is not None:
        if request.requested_by_id != user.pk:
            return Decision(False, reason="the requester only", client=request.client,
                            category=DataCategory.PARTICIPATION, code="U", hide=True)
        return client_data(user, request.client, DataCategory.PARTICIPATION, code="U")
    return ALLOW if request.requested_by_id == user.pk or user.has_role(*COORDINATING) else _no("the requester only")


@rule("ee_request.cancel")
def cancel_request(user: User, request: Any) -> Decision:
    """The requester cancels their request. An experience-expert coordinator of the region cancels
    a group request, and a client's request once it is put to (or accepted by) an expert they
    coordinate; that is logged against the client, and the cancel page does not name the client."""
    if not _in_region(user, request):
        return _request_refused(request, "another region", "U")
    if request.requested_by_id == user.pk:
        if request.client_id is not None:
            return client_data(user, request.client, DataCategory.PARTICIPATION, code="U")
        return ALLOW
    if user.is_professional and user.has_role(*COORDINATING):
        if request.client_id is not None:
            if request.expert_id is None or not _coordinates(user, request.expert_id):
                return _request_refused(request, "not an expert this coordinator coordinates", "U")
            return Decision(True, client=request.client, category=DataCategory.PARTICIPATION, code="U",
                            purpose="cancelling a deployment request", role=Role.EE_COORDINATOR, relation=True,
                            consent=DataCategory.PARTICIPATION in consented_categories(request.client,
                                                                                          request.organisation_id))
        return ALLOW
    return _request_refused(request, "the requester or a coordinator", "U")


@rule("ee_request.release")
def release_request(user: User, request: Any) -> Decision:
    """A leaving expert's requests are released (offered: open again; accepted and still planned:
    cancelled) by the region administrator who deactivates the expert's account. A request for a
    client is then a write in the client's file by someone outside the team: logged as such (code
    U, purpose hand-over, no team relation), like `team.hand_over`."""
    from .administration import is_region_admin_of

    if not is_region_admin_of(user, getattr(request, "region_id", None)):
        return _request_refused(request, "region administrators only", "U")
    if request.client_id is not None:
        return Decision(True, client=request.client, category=DataCategory.PARTICIPATION, code="U",
                        purpose="hand-over of a leaving experience expert", role=Role.REGION_ADMIN, relation=False,
                        consent=False)
    return ALLOW


@rule("ee_request.answer")
def answer_request(user: User, request: Any) -> Decision:
    """Only the expert the request is offered to accepts or declines it."""
    if not _in_region(user, request):
        return _request_refused(request, "another region", "U")
    pending = [o for o in request.offers.all() if o.outcome == "pending"]
    if not pending or pending[0].expert_id != user.pk:
        if request.client_id is not None:
            return Decision(False, reason="not offered to you", client=request.client,
                            category=DataCategory.PARTICIPATION, code="U", hide=True)
        return _no("not offered to you", hide=True)
    if request.client_id is not None:
        # Answering needs the offer, not consent (declining must always be possible); the
        # service refuses an acceptance without consent with a clear message.
        client = request.client
        consent = DataCategory.PARTICIPATION in consented_categories(client, user.organisation_id, user)
        return Decision(True, client=client, category=DataCategory.PARTICIPATION, code="U",
                        purpose="answer to a deployment request", role=Role.EXPERIENCE_EXPERT, relation=True,
                        consent=consent)
    return ALLOW


@scope_rule("ee_request.view")
def visible_requests(user: User, queryset: QuerySet) -> QuerySet:
    from django.db.models import Q

    if not user.is_professional or user.region_id is None:
        return queryset.none()
    mine = Q(requested_by=user) | Q(expert=user) | Q(offers__expert=user) | (Q(client__isnull=True) & Q(status="open"))
    if user.has_role(*COORDINATING):
        mine |= Q(client__isnull=True)  # coordinators keep track of (and may cancel) every group request
    return queryset.filter(region_id=user.region_id).filter(mine).distinct()


@rule("ee_request.list")
def list_requests(user: User, _obj: Any) -> Decision:
    """A list that can name clients: one log record per request for the whole list."""
    if not user.is_professional:
        return _no("professionals only")
    return Decision(True, code="R", purpose="deployment requests", role=user.primary_role, log=True)


@rule("deployment.create")
def create_deployment(user: User, deployment: Any) -> Decision:
    """An expert registers their own deployments; for a client as a member of the client's team."""
    if not user.has_role(Role.EXPERIENCE_EXPERT) or deployment.expert_id != user.pk:
        return _no("the expert registers their own deployments")
    if deployment.client_id is not None:
        return client_data(user, deployment.client, DataCategory.PARTICIPATION, code="C")
    return ALLOW


@rule("deployment.change")
def change_deployment(user: User, deployment: Any) -> Decision:
    if deployment.expert_id != user.pk:
        if deployment.client_id is not None:
            return Decision(False, reason="the expert's own deployments", client=deployment.client,
                            category=DataCategory.PARTICIPATION, code="U", hide=True)
        return _no("the expert's own deployments", hide=True)
    if deployment.client_id is not None:
        return client_data(user, deployment.client, DataCategory.PARTICIPATION, code="U")
    return ALLOW


def _coordinates(user: User, expert_id: int) -> bool:
    """Is `user` the coordinator named on the expert's profile?"""
    from werkbrug.experience_experts.models import ExpertProfile  # lazy: the app imports the policy

    return user.has_role(Role.EE_COORDINATOR) and ExpertProfile.objects.filter(
        person_id=expert_id, coordinator_id=user.pk).exists()


@rule("deployment.correct")
def correct_deployment(user: User, deployment: Any) -> Decision:
    """A registration is corrected or withdrawn by the expert who made it or by the coordinator
    named on the expert's profile (who keeps the figures right). For a client, the expert needs
    the client's file (team and consent, as when registering); the coordinator acts for the
    expert's organisation, and only while the client consents to it taking part."""
    if not _in_region(user, deployment):
        return _deployment_refused(deployment, "another region")
    if deployment.expert_id == user.pk:
        if deployment.client_id is not None:
            return client_data(user, deployment.client, DataCategory.PARTICIPATION, code="U")
        return ALLOW
    if not user.is_professional or not _coordinates(user, deployment.expert_id):
        return _deployment_refused(deployment, "the expert or their coordinator")
    if deployment.client_id is None:
        return ALLOW
    consent = DataCategory.PARTICIPATION in consented_categories(deployment.client, deployment.expert.organisation_id)
    return Decision(consent, reason="" if consent else "no consent for the expert's organisation",
                    client=deployment.client, category=DataCategory.PARTICIPATION, code="U",
                    purpose="correction of an expert's registration", role=Role.EE_COORDINATOR, relation=True,
                    consent=consent)


def _deployment_refused(deployment: Any, reason: str) -> Decision:
    if getattr(deployment, "client_id", None) is not None:
        return Decision(False, reason=reason, client=deployment.client, category=DataCategory.PARTICIPATION,
                        code="U", hide=True)
    return _no(reason, hide=True)


@rule("ee_registrations.list")
def list_registrations(user: User, profile: Any) -> Decision:
    """An expert's registrations, to correct them: the expert and their own coordinator. The list
    does not name clients for the coordinator; it is logged once per request."""
    if profile is None or not _in_region(user, profile) or not user.is_professional:
        return _no("another region", hide=True)
    if profile.person_id == user.pk or is_own_coordinator(user, profile):
        return Decision(True, code="R", purpose="an expert's registrations", role=user.primary_role, log=True)
    return _no("the expert and their coordinator", hide=True)


@rule("deployment.list")
def list_deployments(user: User, expert: Any) -> Decision:
    """The expert's own list names clients: only the expert, logged once per request."""
    if expert is None or expert.pk != user.pk or not user.has_role(Role.EXPERIENCE_EXPERT):
        return _no("the expert's own deployments")
    return Decision(True, code="R", purpose="own deployments", role=Role.EXPERIENCE_EXPERT, log=True)


def is_own_coordinator(user: User, profile: Any) -> bool:
    return profile is not None and profile.coordinator_id == user.pk and user.has_role(Role.EE_COORDINATOR)


@rule("ee_balance.view")
def view_balance(user: User, profile: Any) -> Decision:
    """Hours by setting and kind: the expert, the region's coordinators and the managers of the
    expert's own organisation (an external employer's manager has no business with them)."""
    if not _in_region(user, profile) or profile is None or not user.is_professional:
        return _no("another region", hide=True)
    if profile.person_id == user.pk or user.has_role(*COORDINATING):
        return ALLOW
    own_organisation = user.organisation_id is not None and user.organisation_id == profile.person.organisation_id
    if user.has_role(Role.MANAGER) and own_organisation:
        return ALLOW
    return _no("the expert, coordinators and the expert's own managers", hide=True)


@rule("ee_wellbeing.view")
def view_wellbeing(user: User, profile: Any) -> Decision:
    """Check-ins and signals: the expert and their own coordinator. Nobody else, ever."""
    if profile is None or not user.is_professional or user.region_id != profile.region_id:
        return _no("private", hide=True)
    if profile.person_id == user.pk or is_own_coordinator(user, profile):
        return ALLOW
    return _no("private to the expert and their coordinator", hide=True)


@rule("ee_wellbeing.create")
def create_checkin(user: User, profile: Any) -> Decision:
    if profile is not None and profile.person_id == user.pk and user.has_role(Role.EXPERIENCE_EXPERT):
        return ALLOW
    return _no("only the expert fills in their check-in", hide=True)


@rule("ee_report.view")
def view_report(user: User, _obj: Any) -> Decision:
    return ALLOW if user.is_professional and user.has_role(*REPORTING) else _no("managers and coordinators")


def _facilitates(user: User, group: Any) -> bool:
    return any(f.pk == user.pk for f in group.facilitators.all())


@rule("support_group.create")
def create_group(user: User, _obj: Any) -> Decision:
    ok = user.is_professional and user.has_role(Role.EXPERIENCE_EXPERT, *COORDINATING)
    return ALLOW if ok else _no("experts and coordinators")


@rule("support_group.list")
def list_groups(user: User, _obj: Any) -> Decision:
    ok = user.is_professional and user.has_role(Role.EXPERIENCE_EXPERT, *COORDINATING)
    return ALLOW if ok else _no("experts and coordinators")


def _group_worker(user: User, group: Any) -> bool:
    if not _in_region(user, group):
        return False
    return _facilitates(user, group) or (
        user.has_role(*COORDINATING) and user.organisation_id == group.organisation_id
    )


@rule("support_group.view")
def view_group(user: User, group: Any) -> Decision:
    """The group page lists participants (clients): facilitators and the organisation's coordinator,
    logged once per request."""
    if not _group_worker(user, group):
        return _no("facilitators and coordinators", hide=True)
    return Decision(True, code="R", purpose="support group", role=user.primary_role, relation=True, log=True)


@rule("support_group.change")
def change_group(user: User, group: Any) -> Decision:
    if not _group_worker(user, group):
        return _no("facilitators and coordinators", hide=True)
    return Decision(True, code="U", purpose="support group", role=user.primary_role, relation=True, log=True)


@rule("support_group.add_participant")
def add_participant(user: User, participant: Any) -> Decision:
    """A facilitator adds a client who consented to the group's organisation taking part."""
    group, client = participant.group, participant.client
    if not _group_worker(user, group) or client.region_id != user.region_id:
        return Decision(False, reason="facilitators and coordinators", client=client,
                        category=DataCategory.PARTICIPATION, code="C", hide=True)
    consent = DataCategory.PARTICIPATION in consented_categories(client, group.organisation_id)
    return Decision(consent, reason="" if consent else "no consent", client=client,
                    category=DataCategory.PARTICIPATION, code="C", purpose="support group participant",
                    role=user.primary_role, relation=True, consent=consent, hide=False)


@rule("deployment.view")
def view_deployment(user: User, deployment: Any) -> Decision:
    """One deployment (e.g. a planned one being registered): the expert's own."""
    if deployment.expert_id != user.pk:
        if deployment.client_id is not None:
            return Decision(False, reason="the expert's own deployments", client=deployment.client,
                            category=DataCategory.PARTICIPATION, hide=True)
        return _no("the expert's own deployments", hide=True)
    if deployment.client_id is not None:
        return client_data(user, deployment.client, DataCategory.PARTICIPATION)
    return ALLOW
