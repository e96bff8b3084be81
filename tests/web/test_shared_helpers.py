"""The shared helpers other apps build on: SVG charts and PDF rendering."""

from django.test import RequestFactory

from werkbrug.web.charts import Series, bar_chart, line_chart
from werkbrug.web.pdf import render_pdf


def test_bar_chart_is_accessible_svg_with_escaped_labels():
    svg = bar_chart(title="Vragen per maand", labels=["jan", "<feb>"], series=[Series("Vragen", [3, 7])])
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title" in svg
    assert "&lt;feb&gt;" in svg and "<feb>" not in svg
    assert svg.count("<rect") == 2  # one bar per value, no legend for a single series


def test_step_line_chart_draws_every_point():
    svg = line_chart(title="Kaplan-Meier", x_values=[0, 10, 20], series=[Series("Arm A", [1.0, 0.5, 0.25])], step=True, y_max=1)
    points = svg.split('points="')[1].split('"')[0].split()
    assert len(points) == 5  # three points plus two step corners


def test_pdf_is_rendered_from_a_template(db):
    request = RequestFactory().get("/")
    response = render_pdf(request, "web/errors/404.html", {}, filename="test.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_axis_ticks_keep_the_decimals_they_need():
    from werkbrug.web.charts import _fmt

    assert [_fmt(v) for v in (0, 1, 2.5, 0.25, 0.75, 12.0)] == ["0", "1", "2,5", "0,25", "0,75", "12"]  # Dutch decimal comma


def test_clients_see_their_portal_and_questionnaires_in_the_menu(client, client_user):
    client.force_login(client_user)
    html = client.get("/").content.decode()
    assert 'href="/portal/"' in html and 'href="/research/my-questionnaires/"' in html
    assert 'href="/organisations/"' not in html
