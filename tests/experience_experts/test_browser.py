"""Browser: request → match → accept → register → check-in → balance chart, axe-clean pages."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import assert_accessible, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_request_match_accept_register_checkin_balance(page, sign_in, demo_region):
    from werkbrug.core.choices import Role
    from werkbrug.core.models import User
    from werkbrug.experience_experts.models import CheckIn, Deployment, DeploymentRequest
    from werkbrug.trajectories.models import Trajectory

    labour_expert = User.objects.filter(region=demo_region, organisation__short_name="UWV",
                                        role_assignments__role=Role.LABOUR_EXPERT).order_by("id").first()
    expert = User.objects.filter(region=demo_region, organisation__short_name="UWV",
                                 role_assignments__role=Role.EXPERIENCE_EXPERT).order_by("id").first()
    trajectory = Trajectory.objects.filter(team__person=labour_expert, client__last_name="Hoekstra").first()

    # The professional asks for an experience expert from the client's trajectory
    sign_in(labour_expert)
    page.goto(f"/experience-experts/requests/new/?trajectory={trajectory.pk}")
    assert_accessible(page)
    page.select_option("#id_kind", "three_way")
    page.locator("#id_minutes").fill("75")
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/experience-experts/requests/*/")
    request = DeploymentRequest.objects.get(trajectory=trajectory, kind="three_way")
    # Matching: the ranked experts with their reasons; ask the UWV expert
    assert page.locator("table.table tbody tr").count() >= 3
    assert_accessible(page)
    follow(page.locator(f"button[name=expert][value='{expert.pk}']"))
    page.wait_for_url(f"**/experience-experts/requests/{request.pk}/")
    assert_accessible(page)

    # The expert accepts; the registration form is pre-filled from the request
    sign_in(expert)
    page.goto("/experience-experts/")
    assert_accessible(page)
    follow(page.locator(f"a[href='/experience-experts/requests/{request.pk}/']"))
    assert_accessible(page)
    # The day and time are pre-filled from the request (its first day, its minutes); the place is chosen.
    page.locator("#id_accept-place").fill("UWV Tiel, spreekkamer 2")
    follow(page.locator("button[name=answer][value=accept]"))
    page.wait_for_url("**/experience-experts/deployments/register/?planned=*")
    assert page.locator("#id_minutes").input_value() == "75"
    assert_accessible(page)
    page.locator("#id_outcome").fill("Samen met de arbeidsdeskundige de volgende stap gezet.")
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/experience-experts/balance/")
    deployment = Deployment.objects.get(request=request)
    assert deployment.status == "registered" and deployment.minutes == 75

    # The weekly check-in
    page.goto("/experience-experts/wellbeing/")
    assert_accessible(page)
    page.locator("#id_energy_3").check()
    page.locator("#id_load_1").check()
    page.locator("#id_note").fill("Goede week")
    follow(page.locator("form.form button[type=submit]"))
    page.wait_for_url("**/experience-experts/wellbeing/")
    assert CheckIn.objects.filter(expert=expert, energy=4, load=2).exists()
    assert_accessible(page)

    # The balance chart (SVG) with its table
    page.goto("/experience-experts/balance/")
    expect(page.locator("svg.chart-svg")).to_be_visible()
    expect(page.locator("table.table").first).to_be_visible()
    assert_accessible(page)
