"""The IPS API: the same selectors, services and policy as the pages.

Writes fetch-and-authorize the trajectory (or job) with the write action before they read the
body: a missing and a forbidden one answer the same 404."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.api.params import valid_body

from .. import selectors, services
from . import serializers as s


class TrajectoryIPS(APIView):
    """Phase, phase history, employer contacts, jobs and outcome measures of one trajectory."""

    @extend_schema(responses=s.IPSOut)
    def get(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk)
        current = selectors.current_phase(trajectory=trajectory)
        return Response(s.IPSOut({
            "trajectory": trajectory.pk,
            "phase": current.phase if current else None,
            "phase_history": selectors.phase_history(trajectory=trajectory),
            "employer_contacts": selectors.employer_contacts(trajectory=trajectory),
            "jobs": selectors.jobs(trajectory=trajectory),
            "outcomes": selectors.client_outcomes_for(trajectory=trajectory),
        }).data)


class PhaseChanges(APIView):
    @extend_schema(request=s.PhaseChangeIn, responses={201: s.PhaseChangeOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="ips_phase.change")
        data = valid_body(s.PhaseChangeIn, request)
        change = services.phase_change(trajectory=trajectory, changed_by=request.user, **data)
        return Response(s.PhaseChangeOut(change).data, status=status.HTTP_201_CREATED)


class EmployerContacts(APIView):
    @extend_schema(responses=s.EmployerContactOut(many=True))
    def get(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk)
        return Response(s.EmployerContactOut(selectors.employer_contacts(trajectory=trajectory), many=True).data)

    @extend_schema(request=s.EmployerContactIn, responses={201: s.EmployerContactOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="employer_contact.create")
        data = valid_body(s.EmployerContactIn, request)
        contact = services.employer_contact_record(trajectory=trajectory, recorded_by=request.user, **data)
        return Response(s.EmployerContactOut(contact).data, status=status.HTTP_201_CREATED)


class Jobs(APIView):
    @extend_schema(responses=s.JobOut(many=True))
    def get(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk)
        return Response(s.JobOut(selectors.jobs(trajectory=trajectory), many=True).data)

    @extend_schema(request=s.JobStartIn, responses={201: s.JobOut})
    def post(self, request, trajectory_pk: int):
        trajectory = selectors.trajectory_for(user=request.user, pk=trajectory_pk, action="job.start")
        data = valid_body(s.JobStartIn, request)
        job = services.job_start(trajectory=trajectory, recorded_by=request.user, **data)
        return Response(s.JobOut(job).data, status=status.HTTP_201_CREATED)


class JobEnd(APIView):
    @extend_schema(request=s.JobEndIn, responses=s.JobOut)
    def post(self, request, pk: int):
        job = selectors.job_get(user=request.user, pk=pk, action="job.end")
        data = valid_body(s.JobEndIn, request)
        job = services.job_end(job=job, ended_by=request.user, **data)
        return Response(s.JobOut(job).data)


class CaseloadOutcomes(APIView):
    """IPS outcome measures per client and for the signed-in professional's caseload."""

    @extend_schema(responses=s.CaseloadOut)
    def get(self, request):
        from django.utils import timezone

        rows, totals = selectors.caseload_outcomes_for(user=request.user)
        return Response(s.CaseloadOut({
            "as_of": timezone.localdate(),
            "totals": totals,
            "clients": [{"trajectory": t.pk, "client_pseudonym": t.client.pseudonym, "phase": phase, "outcomes": o}
                        for t, phase, o in rows],
        }).data)
