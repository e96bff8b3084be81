"""The BSN (eleven test, kept out of error reports) and consent (history, end dates, lists)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from werkbrug.clients.bsn import find_bsns, is_valid_bsn, normalise_bsn
from werkbrug.clients.models import Client, ConsentEvent, ConsentMethod, ConsentState
from werkbrug.clients.services import consent_grant, consent_withdraw
from werkbrug.core import policy
from werkbrug.core.choices import DataCategory

pytestmark = pytest.mark.django_db

VALID_BSN = "111222333"


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("111222333", True),
        ("123456782", True),
        ("1112.22.333", True),  # written with separators
        ("111 222 333", True),
        ("123456789", False),  # fails the eleven test
        ("111222334", False),
        ("000000000", False),  # all zeros pass the sum but are no number
        ("11122233", False),  # eight digits: read as 011122233, which fails
        ("1112223330", False),  # ten digits
        ("11122233a", False),
        ("", False),
    ],
)
def test_eleven_test(value, valid):
    assert is_valid_bsn(value) is valid


def test_eight_digit_numbers_get_a_leading_zero():
    eight = next(f"{n:08d}" for n in range(10_000_000, 10_100_000) if is_valid_bsn(f"0{n:08d}"))
    assert is_valid_bsn(eight) and normalise_bsn(eight) == "0" + eight


def test_find_bsns_only_finds_numbers_that_pass():
    assert find_bsns("nummer 111222333 en 123456789 en 1112.22.333") == ["111222333", "1112.22.333"]


def _register_data(**extra):
    data = {"first_name": "Anouk", "last_name": "Visser", "date_of_birth": "1991-03-02", "bsn": VALID_BSN,
            "benefit": "wajong", "role": "jobcoach", "consent_method": "verbal"}
    data.update(extra)
    return data


@pytest.fixture
def crash_report(monkeypatch):
    """crash_report(call): make encrypting the BSN fail, run `call`, return Django's error report
    (what the admins would be mailed) as HTML."""
    from django.core.signals import got_request_exception
    from django.views.debug import ExceptionReporter

    from werkbrug.core import crypto

    def broken(value, *args, **kwargs):
        raise RuntimeError("the key store is down")

    monkeypatch.setattr(crypto, "encrypt", broken)
    seen = {}

    def remember(sender, request=None, **kwargs):
        seen["request"] = request

    def report(call) -> str:
        got_request_exception.connect(remember)
        try:
            with pytest.raises(RuntimeError) as info:
                call()
        finally:
            got_request_exception.disconnect(remember)
        # A report in production starts at the request handler: leave out the frames of this
        # test and of Django's test client, which hold the data the test sends.
        tb = info.tb
        while tb is not None and ("/tests/" in tb.tb_frame.f_code.co_filename
                                  or "django/test/" in tb.tb_frame.f_code.co_filename):
            tb = tb.tb_next
        reporter = ExceptionReporter(seen.get("request"), info.type, info.value, tb)
        return reporter.get_traceback_html() + reporter.get_traceback_text()

    return report


def test_the_bsn_is_kept_out_of_error_reports_of_the_pages(as_user, jobcoach, crash_report):
    c = as_user(jobcoach)
    html = crash_report(lambda: c.post(reverse("clients:register"), _register_data()))
    assert "the key store is down" in html  # it is the report of this crash
    assert VALID_BSN not in html
    assert not Client.objects.exists()  # and nothing was half-written


def test_the_bsn_is_kept_out_of_error_reports_of_the_edit_page(team, as_user, crash_report):
    c = as_user(team.jobcoach)
    data = {**_register_data(), "first_name": team.client.first_name, "last_name": team.client.last_name,
            "status": "active"}
    html = crash_report(lambda: c.post(reverse("clients:edit", args=[team.client.pk]), data))
    assert "the key store is down" in html and VALID_BSN not in html


def test_the_bsn_is_kept_out_of_error_reports_of_the_api(as_user, jobcoach, crash_report):
    c = as_user(jobcoach)
    html = crash_report(lambda: c.post("/api/v1/clients/", _register_data(), content_type="application/json"))
    assert "the key store is down" in html and VALID_BSN not in html


def test_the_bsn_is_kept_out_of_error_reports_of_the_services(jobcoach, crash_report):
    from werkbrug.trajectories.services import client_register_and_start

    html = crash_report(lambda: client_register_and_start(
        registered_by=jobcoach, role="jobcoach", consent_method="verbal", first_name="A", last_name="B",
        date_of_birth=date(1990, 1, 1), bsn=VALID_BSN))
    assert "the key store is down" in html and VALID_BSN not in html


def test_a_second_registration_is_caught_and_the_bsn_is_in_no_url_or_log_record(as_user, jobcoach):
    from werkbrug.core.models import AccessLogRecord

    c = as_user(jobcoach)
    response = c.post(reverse("clients:register"), _register_data())
    assert response.status_code == 302 and VALID_BSN not in response.url
    again = c.post(reverse("clients:register"), _register_data(first_name="Tweede"))
    assert again.status_code == 200 and "met dit BSN ingeschreven" in again.content.decode()
    assert Client.objects.count() == 1
    for record in AccessLogRecord.objects.all():
        assert VALID_BSN not in " ".join(str(value) for value in record.__dict__.values())


def test_consent_history_keeps_every_grant_and_withdrawal(team):
    for _ in range(2):
        consent_grant(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS,
                      recorded_by=team.labour_expert, method=ConsentMethod.VERBAL, evidence="Formulier", given_on=timezone.localdate() - timedelta(days=3))
        consent_withdraw(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS,
                         recorded_by=team.labour_expert, method=ConsentMethod.PAPER)
    events = ConsentEvent.objects.filter(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS)
    assert list(events.order_by("id").values_list("kind", "method")) == [
        ("grant", "verbal"), ("withdraw", "paper"), ("grant", "verbal"), ("withdraw", "paper")]
    assert all(e.recorded_by == team.labour_expert and e.recorded_at for e in events)
    state = ConsentState.objects.get(client=team.client, organisation=team.uwv, category=DataCategory.DEBTS)
    assert not state.granted and state.version == 4


@pytest.mark.parametrize(
    ("kwargs", "field", "code"),
    [
        ({"valid_until": date(2020, 1, 1), "given_on": date(2020, 2, 1)}, "valid_until", "end_before_start"),
        ({"given_on": date(2999, 1, 1)}, "given_on", "future"),
        ({"method": ConsentMethod.PORTAL}, "method", "method"),  # a professional cannot use the portal method
        ({"method": "telepathy"}, "method", "method"),
    ],
)
def test_bad_consent_input_writes_nothing(team, kwargs, field, code):
    before = (ConsentEvent.objects.count(), ConsentState.objects.count())
    args = {"client": team.client, "organisation": team.uwv, "category": DataCategory.DEBTS,
            "recorded_by": team.labour_expert, "method": ConsentMethod.PAPER, "evidence": "Formulier", **kwargs}
    with pytest.raises(ValidationError) as exc:
        consent_grant(**args)
    assert exc.value.error_dict[field][0].code == code
    assert (ConsentEvent.objects.count(), ConsentState.objects.count()) == before


def test_consent_for_an_organisation_of_another_region_is_refused(team, client_user, make_org, other_region):
    far = make_org("ggz", "Ver weg", in_region=other_region)
    with pytest.raises(ValidationError) as exc:
        consent_grant(client=team.client, organisation=far, category=DataCategory.PLAN,
                      recorded_by=client_user, method=ConsentMethod.PORTAL)
    assert exc.value.code == "other_region"


@pytest.mark.parametrize(
    ("state", "listed"),
    [("granted", True), ("ends_today", True), ("expired", False), ("withdrawn", False)],
)
def test_the_client_list_scope_follows_the_current_consent(team, state, listed):
    """Lists of clients (`policy.scope`) answer like `client_data`: an ended consent hides the client."""
    today = timezone.localdate()
    org = team.uwv
    if state == "expired":
        consent_grant(client=team.client, organisation=org, category=DataCategory.PARTICIPATION,
                      recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Formulier", given_on=today - timedelta(days=30),
                      valid_until=today - timedelta(days=1))
    elif state == "ends_today":
        consent_grant(client=team.client, organisation=org, category=DataCategory.PARTICIPATION,
                      recorded_by=team.labour_expert, method=ConsentMethod.PAPER, evidence="Formulier", valid_until=today)
    elif state == "withdrawn":
        consent_withdraw(client=team.client, organisation=org, category=DataCategory.PARTICIPATION,
                         recorded_by=team.labour_expert, method=ConsentMethod.VERBAL)
    visible = policy.scope(team.labour_expert, "client.view", Client.objects.all())
    assert (team.client in visible) is listed
    assert policy.can(team.labour_expert, "client.view", team.client) is listed
