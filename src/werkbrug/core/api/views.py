from django.db.models import OuterRef, Subquery
from django.http import Http404
from rest_framework import viewsets
from rest_framework.response import Response

from .. import policy
from ..access_log import access_log_search
from ..models import AccessLogRecord, Organisation, Region, RoleAssignment, User
from ..sql import CommaJoined
from .serializers import (
    AccessLogRecordSerializer,
    OrganisationSerializer,
    PersonSerializer,
    RegionSerializer,
)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = RegionSerializer
    queryset = Region.objects.none()  # for the schema; get_queryset decides

    def get_queryset(self):
        policy.authorize(self.request.user, "region.view", None)
        return Region.objects.filter(pk=self.request.user.region_id)


# `list` from plain rows (`values_list`) instead of model instances and a ModelSerializer.
#
# The directory lists are read on every screen that picks a colleague or an organisation; the
# serializer machinery (a model instance per row, a related manager per person, DRF's field
# introspection) cost more than the query. `row_to_dict` builds exactly what the declared
# serializer would, which stays `serializer_class` for the schema and for `retrieve`; tests
# (tests/api/test_directory_lists.py) compare the two shapes row by row. (A comment, not a
# docstring: drf-spectacular would publish a docstring as the endpoints' description.)
class LeanListMixin:
    list_columns: tuple[str, ...] = ()

    def list_rows(self, queryset):
        return queryset.values_list(*self.list_columns)

    @staticmethod
    def row_to_dict(row: tuple) -> dict:
        raise NotImplementedError

    def list(self, request, *args, **kwargs):
        rows = self.list_rows(self.filter_queryset(self.get_queryset()))
        page = self.paginate_queryset(rows)
        if page is not None:
            return self.get_paginated_response([self.row_to_dict(row) for row in page])
        return Response([self.row_to_dict(row) for row in rows])


class OrganisationViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = OrganisationSerializer
    queryset = Organisation.objects.none()
    list_columns = ("id", "region_id", "name", "short_name", "type", "website", "email", "phone")

    def get_queryset(self):
        policy.authorize(self.request.user, "organisation.view", None)
        return Organisation.objects.filter(region_id=self.request.user.region_id).order_by("name")

    @staticmethod
    def row_to_dict(row: tuple) -> dict:
        pk, region, name, short_name, type_, website, email, phone = row
        return {"id": pk, "region": region, "name": name, "short_name": short_name, "type": type_,
                "website": website, "email": email, "phone": phone}


def _roles_joined():
    """The person's roles in one column (comma-separated), read in the same query as the person."""
    return Subquery(
        RoleAssignment.objects.filter(person=OuterRef("pk"))
        .order_by()
        .values("person")
        .annotate(joined=CommaJoined("role"))
        .values("joined")
    )


class PersonViewSet(LeanListMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = PersonSerializer
    queryset = User.objects.none()
    list_columns = ("id", "first_name", "last_name", "organisation_id", "job_title", "email", "roles_joined")

    def get_queryset(self):
        policy.authorize(self.request.user, "person.view", None)
        return (
            User.objects.filter(region_id=self.request.user.region_id, kind="professional", is_active=True)
            .prefetch_related("role_assignments")
            .order_by("last_name", "first_name", "id")
        )

    def list_rows(self, queryset):
        return queryset.prefetch_related(None).annotate(roles_joined=_roles_joined()).values_list(*self.list_columns)

    @staticmethod
    def row_to_dict(row: tuple) -> dict:
        pk, first_name, last_name, organisation, job_title, email, roles = row
        return {
            "id": pk,
            "name": f"{first_name} {last_name}".strip(),  # User.get_full_name
            "organisation": organisation,
            "job_title": job_title,
            "email": email,
            "roles": sorted(roles.split(",")) if roles else [],
        }


class AccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AccessLogRecordSerializer
    queryset = AccessLogRecord.objects.none()

    def get_queryset(self):
        policy.authorize(self.request.user, "access_log.search", None)
        params = self.request.query_params
        return access_log_search(
            region_id=self.request.user.region_id,
            client_pseudonym=params.get("client", ""),
            actor=params.get("actor", ""),
            code=params.get("code", ""),
        )

    def retrieve(self, request, *args, **kwargs):
        """One record, checked against its own region before anything else (one record of this read)."""
        record = AccessLogRecord.objects.filter(pk=kwargs["pk"]).first()
        if record is None:
            raise Http404
        policy.authorize(request.user, "access_log.view", record)
        return Response(self.get_serializer(record).data)

