"""The generated attack suite's machinery: endpoints, a victim, personas, bodies and the checks.

Endpoints come from the URLconf (every pattern, recursively, `/api/v1/` included); the request
bodies of API operations from the OpenAPI schema. A path parameter is filled from
`PARAMETERS`, keyed by the route up to that parameter (`/api/v1/signals/{pk}`): a new endpoint
under a known collection (`/api/v1/signals/{pk}/escalate/`) is attacked without anyone writing
a line; a new collection fails `test_every_path_parameter_is_known` until it is added here.
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Count, Q
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

# Parts of the URLconf that are not the product's: Django's admin (only mounted in debug and
# demo mode, staff only), static files.
SKIPPED_PREFIXES = ("/admin/", "/static/")
MISSING_ID = 987654321
METHODS = ("GET", "POST", "PATCH", "DELETE")


# ---------------------------------------------------------------------------------------------
# Endpoints


def _route_text(pattern) -> str:
    text = str(pattern.pattern)
    text = text.lstrip("^").rstrip("$").replace("\\", "")
    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", text)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", text)


def _walk(resolver: URLResolver, prefix: str):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + _route_text(entry))
        elif isinstance(entry, URLPattern):
            yield prefix + _route_text(entry), entry


@dataclass(frozen=True)
class Endpoint:
    template: str  # "/api/v1/trajectories/{pk}/team/{member_pk}/"
    name: str

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)

    @property
    def api(self) -> bool:
        return self.template.startswith("/api/")

    def keys(self) -> list[str]:
        """Per parameter, the route up to and including it: the key into `PARAMETERS`."""
        keys = []
        for match in re.finditer(r"{(\w+)}", self.template):
            keys.append(self.template[: match.end()])
        return keys


def endpoints() -> list[Endpoint]:
    found, seen = [], set()
    for route, pattern in _walk(get_resolver(), "/"):
        if route.startswith(SKIPPED_PREFIXES) or route in seen:
            continue
        seen.add(route)
        found.append(Endpoint(route, pattern.name or ""))
    return sorted(found, key=lambda e: e.template)


def normalise(template: str) -> str:
    """`/api/v1/regions/{id}/` and `/api/v1/regions/{pk}/` are one route."""
    return re.sub(r"{\w+}", "{}", template)


_schema_cache: dict[str, Any] = {}


def openapi() -> dict:
    if "schema" not in _schema_cache:
        from drf_spectacular.generators import SchemaGenerator

        _schema_cache["schema"] = SchemaGenerator().get_schema(request=None, public=True)
    return _schema_cache["schema"]


def operations() -> dict[str, dict[str, dict]]:
    """normalised path → {METHOD: operation} of the OpenAPI schema."""
    result: dict[str, dict[str, dict]] = defaultdict(dict)
    for path, ops in openapi()["paths"].items():
        for method, op in ops.items():
            if method.upper() in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                result[normalise(path)][method.upper()] = op
    return result


# ---------------------------------------------------------------------------------------------
# Path parameters: which object of the world each route parameter names

# Route up to the parameter → (model label, how the world picks it). "victim": the victim's own
# object of that model (or, where the victim has none, another client's: every client is
# forbidden to the personas); "region": an object of region A; a literal: that value.
PARAMETERS: dict[str, tuple[str, str]] = {}


def _p(model: str, pick: str = "victim", *routes: str) -> None:
    for route in routes:
        PARAMETERS[route] = (model, pick)


_p("clients.Client", "victim", "/api/v1/clients/{pk}", "/clients/{pk}")
_p("trajectories.Trajectory", "victim", "/api/v1/trajectories/{pk}", "/trajectories/{pk}",
   "/api/v1/plans/{trajectory_pk}", "/plans/{trajectory_pk}",
   "/api/v1/trajectories/{trajectory_pk}", "/collaboration/trajectories/{trajectory_pk}",
   "/employment/trajectories/{trajectory_pk}", "/experience-experts/trajectories/{trajectory_pk}")
_p("trajectories.TeamMembership", "victim", "/api/v1/trajectories/{}/team/{member_pk}",
   "/trajectories/{}/team/{member_pk}")
_p("clients.JoinRequest", "victim", "/api/v1/clients/join-requests/{pk}", "/clients/join-requests/{pk}")
_p("plans.PlanVersion", "number", "/api/v1/plans/{}/versions/{number}", "/plans/{}/versions/{number}")
_p("plans.Action", "victim", "/api/v1/plans/{}/actions/{action_pk}", "/plans/{}/actions/{action_pk}",
   "/portal/plan/actions/{action_pk}", "/api/v1/portal/plan/actions/{action_pk}")
_p("collaboration.Signal", "victim", "/api/v1/signals/{pk}", "/collaboration/trajectories/{}/signals/{pk}")
_p("collaboration.Referral", "victim", "/api/v1/referrals/{pk}", "/collaboration/referrals/{pk}")
_p("employment.Job", "victim", "/api/v1/jobs/{pk}", "/employment/trajectories/{}/jobs/{pk}")
_p("trajectories.Trajectory", "victim", "/casefile/trajectories/{trajectory_pk}")
_p("casefile.JournalEntry", "victim", "/api/v1/journal/{pk}", "/casefile/trajectories/{}/journal/{pk}")
_p("casefile.Document", "victim", "/api/v1/documents/{pk}", "/casefile/trajectories/{}/documents/{pk}")
_p("casefile.DocumentVersion", "victim", "/api/v1/document-versions/{pk}",
   "/casefile/trajectories/{}/documents/{}/versions/{version_pk}")
_p("core.Region", "region", "/api/v1/regions/{pk}")
_p("core.Organisation", "region", "/api/v1/organisations/{pk}", "/organisations/{pk}")
_p("core.User", "region", "/api/v1/people/{pk}")
_p("core.AccessLogRecord", "victim", "/api/v1/access-log/{pk}")
_p("ambassadors.Topic", "region", "/api/v1/ambassadors/topics/{pk}")
_p("ambassadors.Ambassador", "region", "/api/v1/ambassadors/ambassadors/{pk}")
_p("ambassadors.Absence", "region", "/api/v1/ambassadors/absences/{pk}")
_p("ambassadors.Question", "region", "/api/v1/ambassadors/questions/{pk}", "/ambassadors/questions/{pk}")
_p("ambassadors.Question", "region", "/api/v1/ambassadors/qa/{pk}", "/ambassadors/qa/{pk}")
_p("ambassadors.QuestionGroup", "region", "/api/v1/ambassadors/groups/{pk}", "/ambassadors/groups/{pk}")
_p("ambassadors.Proposal", "region", "/api/v1/ambassadors/proposals/{pk}", "/ambassadors/proposals/{pk}")
_p("experience_experts.LivedExperienceDomain", "region", "/api/v1/ee-domains/{pk}")
_p("experience_experts.ExpertProfile", "with_absence", "/api/v1/ee-profiles/{pk}", "/experience-experts/profiles/{pk}")
_p("experience_experts.Absence", "region", "/api/v1/ee-profiles/{}/absences/{absence_pk}",
   "/experience-experts/profiles/{}/absences/{absence_pk}")
_p("experience_experts.DeploymentRequest", "victim", "/api/v1/ee-requests/{pk}", "/experience-experts/requests/{pk}")
_p("experience_experts.Deployment", "victim", "/api/v1/ee-deployments/{pk}", "/experience-experts/deployments/{pk}")
_p("experience_experts.SupportGroup", "region", "/api/v1/ee-support-groups/{pk}", "/experience-experts/support-groups/{pk}")
_p("experience_experts.SupportGroupMeeting", "region", "/api/v1/ee-meetings/{pk}", "/experience-experts/meetings/{pk}")
_p("knowledge_map.Item", "region", "/api/v1/knowledge-items/{pk}", "/knowledge-map/items/{pk}")
_p("knowledge_map.Relation", "region", "/api/v1/knowledge-relations/{pk}", "/knowledge-map/relations/{pk}")
_p("evaluations.Study", "region", "/api/v1/research/studies/{pk}", "/research/studies/{pk}")
_p("evaluations.Participant", "victim", "/api/v1/research/studies/{}/participants/{participant_pk}",
   "/research/studies/{}/participants/{participant_pk}")
_p("evaluations.Questionnaire", "region", "/api/v1/research/studies/{}/questionnaires/{questionnaire_pk}",
   "/research/studies/{}/questionnaires/{questionnaire_pk}")
_p("evaluations.Question", "region", "/api/v1/research/studies/{}/questionnaires/{}/questions/{question_pk}",
   "/research/studies/{}/questionnaires/{}/questions/{question_pk}")
_p("evaluations.InterviewRound", "region", "/api/v1/research/studies/{}/rounds/{round_pk}")
_p("evaluations.Interview", "victim", "/api/v1/research/studies/{}/interviews/{interview_pk}",
   "/research/studies/{}/interviews/{interview_pk}")
_p("evaluations.Code", "region", "/api/v1/research/studies/{}/codes/{code_pk}", "/research/studies/{}/codes/{code_pk}")
_p("evaluations.Memo", "region", "/api/v1/research/studies/{}/memos/{memo_pk}", "/research/studies/{}/memos/{memo_pk}")
_p("evaluations.Passage", "region", "/research/studies/{}/interviews/{}/passages/{passage_pk}")
_p("evaluations.Expectation", "region", "/api/v1/research/studies/{}/expectations/{expectation_pk}")
_p("evaluations.Invitation", "victim", "/api/v1/research/my-questionnaires/{invitation_pk}",
   "/research/my-questionnaires/{invitation_pk}")
_p("notifications.Notification", "not_persona", "/api/v1/notifications/{pk}", "/notifications/{pk}")
_p("api.ApiToken", "not_persona", "/api/v1/tokens/{pk}")
_p("", "token", "/research/q/{token}")
_p("evaluations.ScheduleEvent", "region", "/research/studies/{}/schedule/{event_pk}")
_p("", "token", "/research/account/{uidb64}", "/research/account/{}/{token}")
_p("core.Organisation", "region", "/administration/organisations/{pk}", "/api/v1/admin/organisations/{pk}")
_p("core.User", "region", "/administration/people/{pk}", "/api/v1/admin/people/{pk}")
_p("", "token", "/administration/welcome/{uidb64}", "/administration/welcome/{}/{token}")
_p("", "token", "/appointments/feed/{token}")
_p("trajectories.Trajectory", "victim", "/appointments/trajectories/{trajectory_pk}")
_p("appointments.Appointment", "victim", "/api/v1/appointments/{pk}", "/appointments/{pk}")
_p("portal.CorrectionRequest", "victim", "/portal/correction-requests/{pk}")
# The FHIR interface answers only systems' tokens: every persona's session gets a 401 there.
_p("clients.Client", "victim", "/fhir/R4/Patient/{pk}")
_p("trajectories.Trajectory", "victim", "/fhir/R4/CarePlan/{pk}", "/fhir/R4/CareTeam/{pk}")
_p("plans.Action", "victim", "/fhir/R4/Task/{pk}")
_p("clients.ConsentState", "victim", "/fhir/R4/Consent/{pk}")
_p("collaboration.Signal", "victim", "/fhir/R4/Communication/{pk}")
_p("core.AccessLogRecord", "victim", "/fhir/R4/AuditEvent/{pk}")
_p("appointments.Appointment", "victim", "/fhir/R4/Appointment/{pk}")
_p("evaluations.Questionnaire", "region", "/fhir/R4/Questionnaire/{pk}")
_p("evaluations.Invitation", "victim", "/fhir/R4/QuestionnaireResponse/{pk}")
_p("", "own", "/fhir/R4/Subscription/{pk}")  # a system's own subscriptions: no persona holds a system token
_p("interchange.SystemClient", "region", "/interchange/systems/{pk}")
_p("", "own", "/portal/plan/versions/{number}")  # the signed-in client's own plan: version 1
# The dashboard's drill-down: an organisation of the region; a month of this year (January).
_p("core.Organisation", "region", "/reports/organisations/{organisation_id}",
   "/api/v1/reports/organisations/{organisation_id}")
_p("", "year", "/reports/months/{year}", "/api/v1/reports/months/{year}")
_p("", "calendar_month", "/reports/months/{}/{month}", "/api/v1/reports/months/{}/{month}")
_p("", "csv", "/api/v1/research/studies/{}/codebook.{fmt}", "/research/studies/{}/codes/export.{fmt}",
   "/knowledge-map/manage/export.{fmt}")


def parameter_key(key: str) -> str:
    """`/api/v1/trajectories/{pk}/team/{member_pk}` → `/api/v1/trajectories/{}/team/{member_pk}`:
    earlier parameters do not matter, the last one is named."""
    head, _, last = key.rpartition("{")
    return normalise(head) + "{" + last


def client_level_models() -> set[str]:
    """Every model whose rows belong to one client: reachable from Client by foreign keys."""
    found = {"clients.Client", "core.AccessLogRecord"}
    changed = True
    while changed:
        changed = False
        for model in apps.get_models():
            label = model._meta.label
            if label in found or not label.startswith(tuple(a.label + "." for a in apps.get_app_configs()
                                                            if a.name.startswith("werkbrug"))):
                continue
            for f in model._meta.fields:
                if f.is_relation and f.related_model is not None and f.related_model._meta.label in found:
                    found.add(label)
                    changed = True
                    break
    return found


# ---------------------------------------------------------------------------------------------
# The world: the demo region, a victim with sentinel data, the personas


def _related(obj, depth: int, seen: set, out: list) -> None:
    if depth == 0:
        return
    for rel in obj._meta.related_objects:
        if rel.many_to_many:
            continue
        accessor = rel.get_accessor_name()
        try:
            objs = [getattr(obj, accessor)] if rel.one_to_one else list(getattr(obj, accessor).all()[:100])
        except Exception:  # noqa: BLE001, S112 — a missing one-to-one
            continue
        for o in objs:
            key = (o._meta.label, o.pk)
            if key not in seen:
                seen.add(key)
                out.append(o)
                _related(o, depth - 1, seen, out)


SENTINEL_SKIP = re.compile(r"hash|encrypted|token|key|code|email|url|slug|password|username|pseudonym|number")


def _is_sentinel_field(f) -> bool:
    from django.db import models

    if f.choices or not isinstance(f, models.CharField | models.TextField):
        return False
    if isinstance(f, models.EmailField | models.URLField | models.SlugField | models.GenericIPAddressField):
        return False
    if SENTINEL_SKIP.search(f.name):
        return False
    return isinstance(f, models.TextField) or (f.max_length or 0) >= 60


def build_world():
    """Load the demo region; choose the victim; give their data sentinel values; the personas."""
    from django.core.management import call_command

    from werkbrug.clients.models import Client
    from werkbrug.core.choices import OrganisationType, Role, UserKind
    from werkbrug.core.models import Organisation, Region, RoleAssignment, User
    from werkbrug.trajectories.models import TeamMembership

    call_command("demo", quiet=True)
    region = Region.objects.get(slug="rivierenland-oost")
    client_models = client_level_models()

    # The victim: the client whose file reaches the most kinds of client-level data.
    best = None
    for candidate in Client.objects.filter(region=region, trajectories__isnull=False).distinct().order_by("pk"):
        out: list = []
        _related(candidate, 5, set(), out)
        kinds = {o._meta.label for o in out}
        if best is None or len(kinds) > len(best[1]):
            best = (candidate, kinds, out)
    victim, _kinds, objects = best
    Client.objects.filter(pk=victim.pk).update(
        first_name="Xantippa", last_name="Qwerinckhoven", phone="0611122233", address="Zwaluwstaartlaan 977",
    )
    victim.refresh_from_db()
    sentinels = {
        "first+last name": "Xantippa Qwerinckhoven", "last name": "Qwerinckhoven",
        "first name": "Xantippa", "pseudonym": victim.pseudonym, "phone": "0611122233",
        "address": "Zwaluwstaartlaan 977",
    }
    for attr in ("client_number", "number"):
        value = getattr(victim, attr, None)
        if value and len(str(value)) >= 6:
            sentinels["client number"] = str(value)
    n = 0
    for obj in objects:
        updates = {}
        for f in obj._meta.fields:
            if _is_sentinel_field(f) and getattr(obj, f.attname):
                n += 1
                marker = f"QX{n:03d}ZV"
                updates[f.attname] = f"{marker} {obj._meta.model_name}.{f.name}"[: f.max_length or 400]
                sentinels[f"{obj._meta.label}.{f.name}"] = marker
        if updates:
            type(obj).objects.filter(pk=obj.pk).update(**updates)
    by_model: dict[str, list] = defaultdict(list)
    for obj in [victim, *objects]:
        by_model[obj._meta.label].append(obj.pk)

    # Every region-A client's pseudonym: no persona is in any of their teams…
    team_of = defaultdict(set)
    for person_id, client_id in TeamMembership.objects.filter(left_at__isnull=True).values_list(
            "person_id", "trajectory__client_id"):
        team_of[person_id].add(client_id)
    pseudonyms = dict(Client.objects.filter(region=region).values_list("pk", "pseudonym"))

    victim_team = set(TeamMembership.objects.filter(trajectory__client=victim).values_list("person_id", flat=True))
    victim_orgs = list(Organisation.objects.filter(
        pk__in=TeamMembership.objects.filter(trajectory__client=victim).values("organisation_id")))
    home = {
        OrganisationType.GGZ: victim_orgs[0] if victim_orgs else None,
    }
    personas = []
    for role in Role.values:
        # A professional of region A with this role and no other (a second role would let them see
        # what the role alone may not), in no team of the victim; a demo person where there is one
        # (they have their own caseload), else a new one.
        user = (
            User.objects.filter(region=region, kind=UserKind.PROFESSIONAL)
            .annotate(n_roles=Count("role_assignments", distinct=True))
            .filter(n_roles=1, role_assignments__role=role)
            .exclude(pk__in=victim_team).order_by("pk").first()
        )
        if user is None:
            org = home.get(OrganisationType.GGZ) or Organisation.objects.filter(region=region).first()
            user = User.objects.create_user(username=f"attack.{role}", password="x" * 16, region=region,
                                            organisation=org, first_name="Aanval", last_name=role)
            RoleAssignment.objects.create(person=user, role=role)
        own = team_of.get(user.pk, set())
        personas.append(Persona(f"role:{role}", user, allowed_clients=own))
    other_client = (
        Client.objects.filter(region=region, user__isnull=False).exclude(pk=victim.pk).order_by("pk").first()
    )
    personas.append(Persona("client:other", other_client.user, allowed_clients={other_client.pk}))
    far_region = Region.objects.create(name="Ver Weg", slug="ver-weg")
    far_org = Organisation.objects.create(region=far_region, name="GGZ Ver Weg", type=OrganisationType.GGZ)
    far = User.objects.create_user(username="attack.far", password="x" * 16, region=far_region,
                                   organisation=far_org, first_name="Verre", last_name="Jobcoach")
    RoleAssignment.objects.bulk_create([RoleAssignment(person=far, role=r) for r in
                                        (Role.JOBCOACH, Role.REGION_ADMIN, Role.PRIVACY_OFFICER)])
    personas.append(Persona("other-region:jobcoach+admin+privacy", far, allowed_clients=set()))
    personas.append(Persona("anonymous", None, allowed_clients=set()))
    _adopt_expert_requests(victim, by_model, personas)
    for persona in personas:
        persona.sentinels = dict(sentinels) if victim.pk not in persona.allowed_clients else {}
        for client_id, pseudonym in pseudonyms.items():
            if client_id not in persona.allowed_clients:
                persona.sentinels[f"pseudonym of client {client_id}"] = pseudonym
        persona.login()
    return SimpleNamespace(region=region, victim=victim, by_model=by_model, sentinels=sentinels,
                           personas=personas, client_models=client_models)


def _adopt_expert_requests(victim, by_model, personas) -> None:
    """The experience-expert requests and deployments name their client with a bare foreign key
    (no reverse relation to walk): give the victim one of each, addressed to no persona."""
    from werkbrug.experience_experts.models import Deployment, DeploymentRequest
    from werkbrug.trajectories.models import TeamMembership

    persona_ids = {p.user.pk for p in personas if p.user is not None}
    trajectory = victim.trajectories.order_by("pk").first()
    member = TeamMembership.objects.filter(trajectory=trajectory).order_by("pk").first()
    request = (
        DeploymentRequest.objects.filter(client__isnull=False).exclude(expert_id__in=persona_ids)
        .exclude(offers__expert_id__in=persona_ids).order_by("pk").first()
    )
    if request is not None:  # requested by one of the victim's team, not by a persona
        DeploymentRequest.objects.filter(pk=request.pk).update(
            client=victim, trajectory=trajectory, requested_by=member.person if member else request.requested_by)
        by_model["experience_experts.DeploymentRequest"].append(request.pk)
    deployment = Deployment.objects.exclude(expert_id__in=persona_ids).order_by("pk").first()
    if deployment is not None:
        Deployment.objects.filter(pk=deployment.pk).update(client=victim)
        by_model["experience_experts.Deployment"].append(deployment.pk)


@dataclass
class Persona:
    name: str
    user: Any
    allowed_clients: set = field(default_factory=set)
    sentinels: dict = field(default_factory=dict)
    browser: Any = None
    cookie: str = ""

    def login(self) -> None:
        from django.test import Client as TestClient

        self.browser = TestClient(raise_request_exception=False)
        if self.user is not None:
            self.browser.force_login(self.user)
            self.cookie = self.browser.cookies[settings.SESSION_COOKIE_NAME].value

    def fresh(self):
        """The signed-in browser, as at the start (a logout or language switch is undone)."""
        self.browser.cookies = SimpleCookie()
        if self.cookie:
            self.browser.cookies[settings.SESSION_COOKIE_NAME] = self.cookie
        return self.browser


def pick(world, model: str, how: str, chosen: dict) -> Any:
    """The value of one path parameter: an object of the world the personas may not touch."""
    if how == "token":
        return "Zq8dGmV1xYt4bNc7kPe2LwR9hJ3sFa6U"
    if how == "csv":
        return "csv"
    if how == "own":
        return "1"
    if how == "year":
        return str(timezone.localdate().year)
    if how == "calendar_month":
        return "1"
    model_cls = apps.get_model(model)
    qs = model_cls.objects.all()
    if how in ("victim", "number") and world.by_model.get(model):
        qs = qs.filter(pk__in=world.by_model[model])
    elif model == "core.AccessLogRecord":
        qs = qs.filter(client_pseudonym=world.victim.pseudonym)
    elif how == "with_absence":
        qs = qs.filter(absences__isnull=False)
    elif how == "not_persona":  # someone else's own object (a notification, a token)
        field = next(f.name for f in model_cls._meta.fields if f.is_relation and f.related_model._meta.label == "core.User")
        personas = [p.user for p in world.personas if p.user is not None]
        qs = qs.exclude(**{f"{field}__in": personas})
        if not qs.exists() and model == "api.ApiToken":  # the demo hands out no tokens: one of a colleague's
            from werkbrug.api.models import token_issue
            from werkbrug.core.models import User

            token_issue(User.objects.filter(region=world.victim.region).exclude(pk__in=[u.pk for u in personas])
                        .order_by("pk").first())
    # Keep children under their parent: a version of the chosen plan, a participant of the study.
    for parent in chosen.values():
        if parent is None:
            continue
        for f in model_cls._meta.fields:
            if f.is_relation and isinstance(parent, f.related_model):
                qs = qs.filter(**{f.name: parent})
            elif f.is_relation and f.related_model is not None and f.related_model._meta.label == "plans.Plan" \
                    and parent._meta.label == "trajectories.Trajectory":
                qs = qs.filter(**{f"{f.name}__trajectory": parent})
    obj = qs.order_by("pk").first()
    if obj is None:
        obj = model_cls.objects.order_by("pk").first()
    return obj


def fill(world, endpoint: Endpoint) -> tuple[str, str, bool]:
    """(forbidden URL, missing URL, client-level?) for `endpoint`."""
    url, missing, client_level = endpoint.template, endpoint.template, False
    chosen: dict[str, Any] = {}
    for name, key in zip(endpoint.params, endpoint.keys(), strict=True):
        model, how = PARAMETERS[parameter_key(key)]
        value = pick(world, model, how, chosen)
        if isinstance(value, str):
            url = url.replace("{" + name + "}", value, 1)
            gone = {"token": "Nx0" + value[3:], "own": str(MISSING_ID)}.get(how, value)
            missing = missing.replace("{" + name + "}", gone, 1)
            continue
        chosen[name] = value
        if model in world.client_models:
            client_level = True
        shown = value.number if how == "number" else value.pk
        url = url.replace("{" + name + "}", str(shown), 1)
        missing = missing.replace("{" + name + "}", str(MISSING_ID), 1)
    return url, missing, client_level


def object_url(endpoint: Endpoint, url: str) -> str | None:
    """The URL of the object the first path parameter names: `/api/v1/items/1/` for
    `/api/v1/items/1/transition/`; None where the route has no parameter."""
    match = re.search(r"{\w+}", endpoint.template)
    if match is None:
        return None
    head, tail = endpoint.template[: match.start()], endpoint.template[match.end():]
    if not url.startswith(head):
        return None
    value = url[len(head):].split("/", 1)[0]
    return head + value + ("/" if tail.startswith("/") else "")


# What a persona may see by design although they are in no team of the client: (route, persona,
# why). For these only (d), no 5xx, is checked. Keep this list short and each line argued.
LEGITIMATE = [
    (r"^/api/v1/referrals/incoming/$|^/collaboration/$",
     r"^role:(jobcoach|therapist|client_manager|labour_expert|debt_counsellor|experience_expert|ambassador)$",
     "policy `referral.incoming`: casework professionals see the referrals to their organisation, logged"),
    (r"^/(api/v1/ee-support-groups|api/v1/ee-meetings|experience-experts/support-groups|experience-experts/meetings)/",
     r"^role:(ee_coordinator|experience_expert)$",
     "policy `support_group.view`: facilitators and the organisation's coordinator see the participants, logged"),
    (r"^/(api/v1/ee-deployments/\{pk\}/(correct|withdraw|history)/|experience-experts/deployments/\{pk\}/"
     r"(correct|withdraw|history)/)$", r"^role:ee_coordinator$",
     "policy `deployment.correct`: the coordinator named on the expert's profile corrects the expert's "
     "registrations (shown without the client), logged against the client"),
    (r"^/(api/v1/ee-requests|experience-experts/requests)/\{pk\}/cancel/$", r"^role:ee_coordinator$",
     "policy `ee_request.cancel`: the coordinator of the expert a request was put to may cancel it "
     "(the cancel page does not name the client), logged against the client"),
    (r"^/(api/v1/)?access-log/", r"^role:privacy_officer$",
     "the privacy officer reviews the region's access log, which names clients by pseudonym"),
    (r"^/(api/v1/)?research/", r"^role:researcher$",
     "the study's researchers see its pseudonymised participants and their data"),
    (r"^/(api/v1/admin|administration)/people/\{pk\}/hand-over/$", r"^role:manager$",
     "policy `handover.manage`: a manager hands over the places of their own organisation's people (the "
     "page names clients by trajectory number only), so a stale or empty hand-over answers 400, not 404"),
    (r"^/api/v1/ambassadors/questions/\{pk\}/unpublish/$", r"^role:region_admin$",
     "policy `ambassador_qa.unpublish`: the region administrator moderates the region's Q&As, so a question "
     "that is not published answers 400, not 404"),
]


def legitimate(endpoint: Endpoint, persona: Persona) -> bool:
    return any(re.search(route, endpoint.template) and re.search(who, persona.name)
               for route, who, _why in LEGITIMATE)


# ---------------------------------------------------------------------------------------------
# Bodies


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi()["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if "allOf" in schema:
        merged: dict = {"type": "object", "properties": {}}
        for part in schema["allOf"]:
            merged["properties"].update(_resolve(part).get("properties", {}))
        return merged
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return _resolve(schema[key][0])
    return schema


def example(schema: dict, world, name: str = "", depth: int = 0) -> Any:
    """A valid-looking value for `schema`; ids that name client data point at the victim."""
    schema = _resolve(schema)
    if "enum" in schema:
        values = [v for v in schema["enum"] if v not in (None, "")]
        return values[0] if values else None
    kind = schema.get("type", "object")
    if kind == "object" or "properties" in schema:
        if depth > 3:
            return {}
        return {k: example(v, world, k, depth + 1) for k, v in schema.get("properties", {}).items()
                if not v.get("readOnly")}
    if kind == "array":
        return [example(schema.get("items", {}), world, name, depth + 1)]
    if kind == "integer":
        victim_ids = {
            "client": world.victim.pk, "trajectory": world.by_model["trajectories.Trajectory"][0],
        }
        for word, value in victim_ids.items():
            if word in name:
                return value
        return world.by_model["trajectories.Trajectory"][0] if name.endswith(("id", "pk")) else 1
    if kind == "number":
        return 1.5
    if kind == "boolean":
        return True
    fmt = schema.get("format", "")
    if fmt == "date":
        return "2026-03-02"
    if fmt == "date-time":
        return "2026-03-02T10:00:00+01:00"
    if fmt == "email":
        return "aanval@example.org"
    if fmt == "uri":
        return "https://example.org/aanval"
    return "aanval tekst"


def api_bodies(world, endpoint: Endpoint, method: str) -> list[tuple[str, Any]]:
    """[(kind, JSON body)]: a valid-looking body from the schema and an invalid one."""
    op = operations().get(normalise(endpoint.template), {}).get(method)
    body = {}
    if op and "requestBody" in op:
        content = op["requestBody"].get("content", {})
        schema = (content.get("application/json") or next(iter(content.values()), {})).get("schema", {})
        body = example(schema, world)
    invalid: Any = {k: {"unexpected": ["x" * 300]} for k in (body if isinstance(body, dict) else {})} or {
        "unexpected": [None, {"deep": "x"}]}
    return [("valid", body), ("invalid", invalid)]


WEB_FORM = {
    "text": "aanval tekst", "title": "aanval", "description": "aanval", "reason": "aanval",
    "note": "aanval", "comment": "aanval", "question": "aanval", "answer": "aanval",
    "category": "work", "urgency": "normal", "date": "2026-03-02", "started_on": "2026-03-02",
    "ended_on": "2026-03-03", "given_on": "2026-03-02", "role": "jobcoach", "person": "1",
    "organisation": "1", "trajectory": "1", "client": "1", "status": "done", "phase": "job_search",
    "kind": "visit", "employer": "aanval", "first_name": "Aan", "last_name": "Val",
    "date_of_birth": "1990-01-01", "method": "verbal", "data_category": "plan", "version": "1",
    "outcome": "accepted", "service": "debt_counselling",
}
WEB_INVALID = {"date": "not-a-date", "version": "zz", "person": "-1", "trajectory": "x' OR 1=1",
               "category": "\x00", "text": "x" * 5000, "csrfmiddlewaretoken": "forged"}


def web_bodies(method: str) -> list[tuple[str, Any]]:
    return [("valid", WEB_FORM), ("invalid", WEB_INVALID)]


# ---------------------------------------------------------------------------------------------
# Requests and checks


@dataclass
class Result:
    status: int
    text: str
    problem_type: str
    location: str
    written: int = 0
    denied: int = 0


def send(persona: Persona, method: str, url: str, body: Any, api: bool, count_log: bool) -> Result:
    from werkbrug.core.models import AccessLogRecord

    browser = persona.fresh()
    kwargs: dict[str, Any] = {}
    if method != "GET" and body is not None:
        if api:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        elif method == "POST":
            kwargs = {"data": body}
        else:
            kwargs = {"data": "&".join(f"{k}={v}" for k, v in body.items()),
                      "content_type": "application/x-www-form-urlencoded"}
    kwargs["HTTP_ACCEPT"] = "application/json" if api else "text/html"

    def tally():
        return AccessLogRecord.objects.aggregate(n=Count("id"), d=Count("id", filter=Q(granted=False)))

    result = None
    try:
        with transaction.atomic():
            before = tally() if count_log else None
            response = getattr(browser, method.lower())(url, **kwargs)
            ctype = response.get("Content-Type", "")
            streaming = getattr(response, "streaming", False)
            raw = b"".join(response.streaming_content) if streaming else response.content
            text = raw.decode(errors="replace") if len(raw) < 5_000_000 else ""
            problem = ""
            if "problem+json" in ctype:
                try:
                    problem = json.loads(text).get("type", "")
                except ValueError:
                    problem = "unparseable"
            result = Result(response.status_code, text, problem, response.get("Location", ""))
            if response.status_code >= 500:
                transaction.set_rollback(True)
            elif count_log:
                after = tally()
                result.written, result.denied = after["n"] - before["n"], after["d"] - before["d"]
    except DatabaseError as exc:
        result = Result(500, f"database error: {exc}", "", "")
    return result


def leaked(persona: Persona, result: Result) -> list[str]:
    haystack = result.text + result.location
    return sorted(label for label, value in persona.sentinels.items() if value and value in haystack)


def allowed(result: Result) -> bool:
    """Did the attempt get through (rather than being refused, or sent to sign in)?"""
    if 200 <= result.status < 300:
        return True
    if 300 <= result.status < 400:
        location = result.location
        return not any(part in location for part in ("/account/login", "/account/2fa"))
    return False


@dataclass
class Tally:
    """What one test saw; summed over the run by `tests.security.summary`."""

    requests: int = 0
    leaks: int = 0
    server_errors: int = 0
    oracle_mismatches: int = 0
    missing_log_records: int = 0
    let_through: int = 0
    findings: list[str] = field(default_factory=list)

    def add(self, kind: str, text: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        self.findings.append(text)

    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("requests", "leaks", "server_errors", "oracle_mismatches",
                                               "missing_log_records", "let_through")}


FULL = bool(os.environ.get("WERKBRUG_ATTACK_FULL"))


def plan(personas: list[Persona], endpoint_index: int) -> list[tuple[str, str, list[Persona], set[str]]]:
    """[(method, body kind, personas, names of those who also try a missing object)].

    Every persona GETs every endpoint. To keep the run within CI's minutes, the other methods
    and the missing-object twins rotate over the personas from endpoint to endpoint, so that
    every persona meets every method on some endpoints; WERKBRUG_ATTACK_FULL=1 runs the full
    product (every persona × method × body, each with its missing twin)."""
    n = len(personas)
    if FULL:
        everyone = {p.name for p in personas}
        return [("GET", "none", personas, everyone)] + [
            (m, kind, personas, everyone) for m in METHODS[1:] for kind in ("valid", "invalid")]

    def rotating(count: int, offset: int) -> list[Persona]:
        return [personas[(endpoint_index * 5 + offset + k) % n] for k in range(count)]

    def names(chosen: list[Persona]) -> set[str]:
        return {p.name for p in chosen}

    post = rotating(6, 3)
    return [
        ("GET", "none", personas, names(rotating(3, 0))),
        ("POST", "valid", post, names(post[:2])),
        ("POST", "invalid", rotating(2, 9), names(rotating(1, 9))),
        ("PATCH", "valid", rotating(2, 11), names(rotating(1, 11))),
        ("DELETE", "valid", rotating(2, 13), names(rotating(1, 13))),
    ]


def attack(world, endpoint: Endpoint, endpoint_index: int) -> Tally:
    tally = Tally()
    url, missing_url, client_level = fill(world, endpoint)
    has_params = bool(endpoint.params)
    seen: dict[str, bool] = {}

    def seen_by(persona: Persona) -> bool:
        """Does `persona` read the object the first path parameter names (GET on its own URL)?"""
        if persona.name not in seen:
            own = object_url(endpoint, url)
            seen[persona.name] = own is not None and allowed(send(persona, "GET", own, None, endpoint.api, False))
        return seen[persona.name]
    for method, body_kind, personas, twins in plan(world.personas, endpoint_index):
        if body_kind == "none":
            body = None
        else:
            bodies = dict(api_bodies(world, endpoint, method) if endpoint.api else web_bodies(method))
            body = bodies[body_kind]
        for persona in personas:
            with_twin = has_params and persona.name in twins
            where = f"{method} {url} ({body_kind} body) as {persona.name}" if body is not None else \
                f"{method} {url} as {persona.name}"
            count_log = client_level and persona.user is not None
            forbidden = send(persona, method, url, body, endpoint.api, count_log)
            tally.requests += 1
            if forbidden.status >= 500:
                tally.add("server_errors", f"{where}: {forbidden.status} {forbidden.text[:200]!r}")
            if legitimate(endpoint, persona):
                continue
            names = leaked(persona, forbidden)
            if names:
                tally.add("leaks", f"{where}: {forbidden.status} shows {', '.join(names[:6])}")
            if client_level and allowed(forbidden) and forbidden.status != 405:
                tally.add("let_through", f"{where}: {forbidden.status} {forbidden.location} on another "
                                         "client's data")
            # A 401 identified nobody (the FHIR interface takes systems' tokens, not sessions): no
            # actor, so no record; the interface's own tests log a system's refusals.
            elif count_log and forbidden.status < 500 and forbidden.status not in (401, 405) \
                    and forbidden.denied != 1:
                tally.add("missing_log_records",
                          f"{where}: {forbidden.status} wrote {forbidden.denied} denied access-log "
                          f"records ({forbidden.written} in all), not 1")
            if not with_twin:
                continue
            missing = send(persona, method, missing_url, body, endpoint.api, False)
            tally.requests += 1
            if missing.status >= 500:
                tally.add("server_errors", f"{method} {missing_url} as {persona.name}: {missing.status}")
            if allowed(forbidden) and not client_level:
                continue  # not forbidden to this persona: nothing to compare
            if not client_level and forbidden.status not in (401, 403, 404) and seen_by(persona):
                continue  # the persona may read the object: its existence is no secret to them
            if (forbidden.status, forbidden.problem_type) != (missing.status, missing.problem_type):
                tally.add("oracle_mismatches",
                          f"{where}: forbidden {forbidden.status} {forbidden.problem_type} ≠ missing "
                          f"{missing.status} {missing.problem_type}")
    return tally


def write_findings(endpoint: Endpoint, tally: Tally) -> None:
    """With WERKBRUG_ATTACK_FINDINGS=<file>, every finding is appended there, one a line."""
    path = os.environ.get("WERKBRUG_ATTACK_FINDINGS")
    if path and tally.findings:
        with open(path, "a", encoding="utf-8") as out:
            out.writelines(f"{endpoint.template}\t{line}\n" for line in tally.findings)


def summarise(findings: list[str], limit: int = 40) -> str:
    lines = findings[:limit]
    if len(findings) > limit:
        lines.append(f"… and {len(findings) - limit} more (WERKBRUG_ATTACK_FINDINGS=<file> lists them all)")
    return "\n".join(lines)
