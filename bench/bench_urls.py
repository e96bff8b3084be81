"""The product's URLs plus one comparison page for the benchmark only.

`/bench/bare/client-pages/<pk>/` is the same for the client's web page (`/clients/<pk>/`).

`/bench/bare/home/` is the signed-in home page as it was before "my work" (`bench/my_work.py`):
the same template and navigation, without the lists and without the navigation's counts.

`/bench/bare/clients/<pk>/` answers what `/api/v1/clients/<pk>/` answers — the same fields, built
by the same function (`client_out`), through the same kind of DRF view — but without the policy
decisions (`client.view`, `client.view_bsn`), the facts they read (team roles and consents) and
the access-log record: the difference in throughput between the two is the cost of the policy
and the log. It exists only under `bench_settings`, never in the product.

The data work is the same on both sides: the client read as `clients.selectors.client_get` reads
it, the same BSN decryption when the client has one (the benchmark's professional works for an
organisation with the legal basis, so the real endpoint reveals it too), the trajectory ids, and
DRF's JSON rendering of the same dict.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from werkbrug.urls import urlpatterns as product_urlpatterns


def _client(pk: int):
    """The client as `clients.selectors.client_get` reads it, without the decision."""
    from werkbrug.clients.models import Client

    client = next(iter(Client.objects.filter(pk=pk).order_by()[:1]), None)
    if client is None:
        raise Http404
    return client


class BareClientView(APIView):
    def get(self, request, pk: int):
        from werkbrug.clients.api.views import client_out

        return Response(client_out(request.user, _client(pk), show_bsn=True))


@login_required
def bare_client_page(request, pk: int):
    """`clients.views.detail` without its three decisions and the access-log record: the same
    template with the same context (the benchmark's jobcoach may see the BSN and change the
    client, so the page is the same)."""
    from werkbrug.trajectories.selectors import client_trajectory_list

    client = _client(pk)
    return render(request, "clients/detail.html", {
        "client": client, "show_bsn": True, "can_change": True,
        "trajectories": client_trajectory_list(client=client),
    })


@login_required
def bare_home(request):
    """`web.views.pages.home` without "my work": no lists, so the navigation counts nothing."""
    request.my_work_sections = []
    return render(request, "web/home.html", {"nav_cards": True, "my_work": []})


urlpatterns = [
    path("bench/bare/home/", bare_home),
    path("bench/bare/clients/<int:pk>/", BareClientView.as_view()),
    path("bench/bare/client-pages/<int:pk>/", bare_client_page),
    *product_urlpatterns,
]
