"""Security headers, CSRF on every form, French error pages, never a 500 for bad input."""
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.jobs.models import Section
from tests.conftest import PASSWORD


def test_security_headers_on_every_page(client):
    """CSP without inline script, no framing, no sniffing."""
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_script_or_style(client, login):
    """What the CSP forbids is not used: no <script> without src, no style attribute."""
    login(Role.DIRECTOR)
    for url in ("/overview", "/users", "/settings/school", "/students", "/teams", "/sections", "/audit/"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>" not in page and " style=" not in page, url


def test_assets_are_served_locally(client):
    """Bootstrap comes from the package, not a CDN: the app works offline."""
    page = client.get("/login").get_data(as_text=True)
    assert "cdn" not in page.lower()
    with client.get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200


def test_a_form_without_its_csrf_token_is_refused_and_writes_nothing(make_app, make_user, db):
    """With CSRF on, a POST without a valid token gets a French 400 and no row is written."""
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    user = make_user(Role.DIRECTOR)
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert client.post("/login", data={"email": user.email, "password": PASSWORD,
                                       "csrf_token": token}).status_code == 302
    response = client.post("/sections/new", data={"code": "X", "name": "Nouvelle", "hourly_rate": "10",
                                                  "weekly_capacity_hours": "10", "csrf_token": "stale"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Section.id))) == 0


def test_error_pages_are_in_french(client, login):
    """404 and 403 come as French pages."""
    response = client.get("/no-such-page")
    assert response.status_code == 404 and "Page introuvable" in response.get_data(as_text=True)
    login(Role.ACCOUNTANT)
    response = client.get("/users")
    assert response.status_code == 403 and "Accès refusé" in response.get_data(as_text=True)


def test_an_unexpected_error_gives_the_french_500_page_and_rolls_back(app, client, login, db):
    """A crash mid-request rolls back what the request wrote and shows a French page."""
    from erp.auth.policy import staff

    def crash():
        db.session.add(Section(code="Z", name="Half-written", hourly_rate=0, weekly_capacity_hours=0))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/crash", "crash", staff(crash))
    login(Role.DIRECTOR)
    response = client.get("/crash")
    assert response.status_code == 500 and "Rien n’a été enregistré" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Section.id))) == 0
