"""Everything Werkbrug holds about the signed-in client, to read (PDF) and to reuse (JSON):
the rights of access and to data portability (AVG art. 15 and 20).

One function gathers the file (`client_file`), read through the other apps' selectors: personal
details, each trajectory with its team, intake (every section: it is the client's own), plan
versions with who agreed when, referrals, IPS phases, jobs and employer contacts; the signals
about the client, their consents, their correction requests. Then the access log: who looked at
the file, when and why. That list only grows, so the JSON streams it row by row and the PDF
shows the newest `PDF_ACCESS_LOG_ROWS` (saying how many there are in all; the JSON and the
portal page have every one). Times are Europe/Amsterdam; the PDF writes them the Dutch way.

Nothing of another person's file is in it: everything is selected by this client (their
trajectories, their pseudonym); the names of the professionals who worked with them are, as the
access log must name them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone

from werkbrug.clients.models import Client
from werkbrug.plans import selectors as plan_selectors
from werkbrug.trajectories import selectors as trajectory_selectors
from werkbrug.web.pdf import render_pdf

from . import selectors

FORMAT = "werkbrug-client-export/1"
PDF_ACCESS_LOG_ROWS = 500


def _local(value: datetime | None) -> str | None:
    return timezone.localtime(value, timezone.get_default_timezone()).isoformat() if value else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _name(user) -> str:
    return user.get_full_name() if user is not None else ""


def _plan(trajectory) -> list[dict]:
    versions = []
    for version in plan_selectors.versions(trajectory=trajectory).order_by("number"):
        document = plan_selectors.plan_document(trajectory=trajectory, version=version)
        versions.append({
            "number": version.number, "made_by": _name(version.created_by), "made_at": _local(version.created_at),
            "note": version.note, "asked_at": _local(version.submitted_at), "agreed_by_everyone_at": _local(version.agreed_at),
            "state": str(document.state_label),
            "goals": [{"title": item["goal"].title, "description": item["goal"].description, "actions": [
                {"title": a.title, "owner": "client" if a.owner_is_client else _name(a.owner), "due_on": _day(a.due_on),
                 "status": a.status} for a in item["actions"]]} for item in document.content],
            "answers": [{"by_client": r.for_client, "who": "client" if r.for_client and r.person_id == trajectory.client.user_id
                         else _name(r.person), "answer": r.kind, "comment": r.comment,
                         "answered_at": _local(r.responded_at)} for r in document.answers],
        })
    return versions


def client_file(*, client: Client) -> dict[str, Any]:
    """The whole file but the access log, as plain data (the caller has authorized `portal.export`)."""
    intakes = {item["trajectory"].pk: item for item in selectors.portal_intakes(client=client)}
    referrals = selectors.portal_referrals(client=client) or []
    jobs = {item["trajectory"].pk: item for item in (selectors.portal_jobs(client=client) or [])}
    trajectories = []
    for t in selectors.portal_trajectories(client=client):
        intake = intakes.get(t.pk)
        work = jobs.get(t.pk, {})
        trajectories.append({
            "id": t.pk, "status": t.status, "started_on": _day(t.started_on), "ended_on": _day(t.ended_on),
            "plan_director": _name(t.plan_director),
            "team": [{"name": _name(m.person), "organisation": str(m.organisation), "role": m.get_role_display(),
                      "joined_at": _local(m.joined_at), "left_at": _local(m.left_at)}
                     for m in trajectory_team(t)],
            "intake": None if intake is None else {
                "status": intake["intake"].status, "completed_at": _local(intake["intake"].completed_at),
                "sections": [{"title": str(s["title"]), "fields": {f["name"]: f["value"] for f in s["fields"]}}
                             for s in intake["sections"]]},
            "plan_versions": _plan(t),
            "referrals": [{"service": r.get_service_display(), "to": str(r.organisation), "question": r.question,
                           "state": r.state, "outcome": r.outcome, "reason": r.reason,
                           "referred_by": _name(r.referred_by), "referred_at": _local(r.created_at),
                           "steps": [{"to": e.to_state, "by": _name(e.actor), "at": _local(e.at), "reason": e.reason}
                                     for e in r.events.all()]}
                          for r in referrals if r.trajectory_id == t.pk],
            "ips_phases": [{"phase": p.phase, "from": _day(p.changed_on), "note": p.note} for p in work.get("phases", [])],
            "jobs": [{"employer": j.employer_name, "job_title": j.job_title, "start": _day(j.start), "end": _day(j.end),
                      "hours_per_week": j.hours_per_week, "hourly_wage": j.hourly_wage, "contract": j.contract_type,
                      "competitive": j.competitive, "end_reason": j.end_reason, "end_note": j.end_note}
                     for j in work.get("jobs", [])],
            "employer_contacts": [{"date": _day(c.contacted_on), "employer": c.employer_name, "kind": c.kind, "note": c.note}
                                  for c in work.get("contacts", [])],
        })
    return {
        "format": FORMAT,
        "made_at": _local(timezone.now()),
        "client": {
            "pseudonym": client.pseudonym, "first_name": client.first_name, "last_name": client.last_name,
            "date_of_birth": _day(client.date_of_birth), "email": client.email, "phone": client.phone,
            "address": client.address, "postcode": client.postcode, "city": client.city, "benefit": client.benefit,
        },
        "trajectories": trajectories,
        "signals": [{"sent_at": _local(s.created_at), "from": _name(s.author), "about": s.category, "urgency": s.urgency,
                     "text": s.text} for s in selectors.portal_signals(client=client)],
        "consents": [{"organisation": str(group["organisation"]), "category": row["category"].value,
                      "category_label": str(row["category"].label), "given_now": row["granted"], "state": row["display"],
                      "valid_until": _day(row["state"].valid_until) if row["state"] else None}
                     for group in selectors.portal_consents(client=client, trajectory=selectors.portal_trajectory(client=client))
                     for row in group["rows"] if row["state"]],
        "correction_requests": [{"about": c.subject, "text": c.text, "requested_at": _local(c.requested_at),
                                 "state": c.state, "answer": c.answer, "answered_by": _name(c.answered_by),
                                 "answered_at": _local(c.answered_at)}
                                for c in selectors.portal_corrections(client=client)],
    }


def trajectory_team(trajectory) -> list:
    return list(trajectory_selectors.team_members(trajectory=trajectory, current_only=False))


def access_log_row(record) -> dict[str, Any]:
    return {"at": _local(record.occurred_at), "who": record.actor_name, "organisation": record.actor_organisation,
            "role": record.actor_role, "what": record.code, "information": record.data_category,
            "why": record.purpose, "object": record.object_type}


def json_chunks(*, client: Client) -> Iterator[str]:
    """The file as one JSON document, the access log streamed from the database in chunks."""
    head = json.dumps(client_file(client=client), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    yield head[:-1].rstrip() + ',\n "access_log": ['
    first = True
    for record in selectors.portal_access_log(client=client).iterator(chunk_size=500):
        yield ("\n  " if first else ",\n  ") + json.dumps(access_log_row(record), cls=DjangoJSONEncoder, ensure_ascii=False)
        first = False
    yield "\n ]\n}\n"


def json_response(*, client: Client) -> StreamingHttpResponse:
    response = StreamingHttpResponse(json_chunks(client=client), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="werkbrug-{client.pseudonym}.json"'
    return response


def pdf_response(request: HttpRequest, *, client: Client) -> HttpResponse:
    log = selectors.portal_access_log(client=client)
    total = log.count()
    rows = selectors.access_log_rows(log[:PDF_ACCESS_LOG_ROWS])
    context = {
        "client": client, "file": client_file(client=client), "printed_at": timezone.now(),
        "intakes": selectors.portal_intakes(client=client), "trajectories": selectors.portal_trajectories(client=client),
        "plans": [(t, plan_selectors.plan_document(trajectory=t, version=v))
                  for t in selectors.portal_trajectories(client=client)
                  if (v := plan_selectors.agreed_or_current(trajectory=t)) is not None],
        "referrals": selectors.portal_referrals(client=client) or [],
        "jobs": selectors.portal_jobs(client=client) or [],
        "signals": list(selectors.portal_signals(client=client)),
        "corrections": list(selectors.portal_corrections(client=client)),
        "log_rows": rows, "log_total": total, "log_bounded": total > PDF_ACCESS_LOG_ROWS,
        "log_limit": PDF_ACCESS_LOG_ROWS,
    }
    response = render_pdf(request, "portal/pdf/file.html", context, filename=f"werkbrug-{client.pseudonym}.pdf")
    response["Content-Disposition"] = f'attachment; filename="werkbrug-{client.pseudonym}.pdf"'
    return response
