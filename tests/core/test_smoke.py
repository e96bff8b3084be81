import pytest


@pytest.mark.django_db
def test_home_redirects_to_login_and_login_page_renders(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/account/login/"
    page = client.get("/account/login/")
    assert page.status_code == 200
    assert "<h1>" in page.content.decode()


def test_persona_sign_in_shows_home(client, demo_region):
    from werkbrug.core.models import User

    user = User.objects.get(username="demo.admin")
    response = client.post("/demo/personas/", {"user": user.pk})
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert home["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in home["Content-Security-Policy"]
