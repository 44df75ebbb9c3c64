"""Logging in and out, safe redirects, rate limiting, sessions ended by password change or deactivation."""
import pytest

from erp import create_app
from erp.auth.models import Role
from tests.conftest import PASSWORD


def test_login_with_good_credentials_lands_on_the_overview(client, make_user, db):
    """A staff member logs in with e-mail (any case) and password."""
    user = make_user(Role.ACCOUNTANT, email="compta@example.org")
    response = client.post("/login", data={"email": "  Compta@Example.ORG ", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.get("/overview").status_code == 200
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_wrong_password_is_refused_with_a_french_message(client, make_user):
    """A wrong password gives a 401 and a message beside the field, in French."""
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": "wrong-password"})
    assert response.status_code == 401
    assert "E-mail ou mot de passe incorrect" in response.get_data(as_text=True)


def test_unknown_email_and_deactivated_account_are_refused_alike(client, make_user):
    """No hint whether an e-mail exists; a deactivated account cannot log in."""
    user = make_user(active=False)
    for email in (user.email, "nobody@example.org"):
        response = client.post("/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 401


@pytest.mark.parametrize("target, expected", [
    ("/students", "/students"),
    ("https://evil.example/phish", "/"),
    ("//evil.example/phish", "/"),
    ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_next_redirects_only_to_the_apps_own_paths(client, make_user, target, expected):
    """`next` cannot send a user to another site after login."""
    user = make_user()
    response = client.post("/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == expected


def test_logout_is_a_post_and_ends_the_session(client, login):
    """GET cannot log anybody out (405); POST does."""
    login()
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/overview").status_code == 302


def test_deactivating_a_user_ends_their_session_at_once(app, client, login, db):
    """A deactivated user is logged out on their next request."""
    user = login(Role.CRAFTSMAN)
    assert client.get("/overview").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/overview").status_code == 302


def test_password_change_ends_other_sessions(app, login, db):
    """Renewing the session token logs out every other browser of that user."""
    from erp.auth.services import set_password

    other_browser = app.test_client()
    user = login(Role.DIRECTOR)
    other_browser.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other_browser.get("/overview").status_code == 200
    set_password(None, user, "a-brand-new-password")
    db.session.commit()
    assert other_browser.get("/overview").status_code == 302


def test_login_attempts_are_rate_limited(make_app, make_user):
    """After too many attempts from one address, the login answers 429 in French."""
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    user = make_user()
    client = app.test_client()
    codes = [client.post("/login", data={"email": user.email, "password": "bad-password"}).status_code
             for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    assert "Trop de tentatives" in client.post("/login", data={"email": user.email, "password": PASSWORD}).get_data(
        as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(client, make_user):
    """The session cookie cannot be read by scripts nor sent by other sites' forms."""
    user = make_user()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure(monkeypatch):
    """In production the session cookie is only sent over HTTPS, and a secret key is mandatory."""
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError):
        create_app(ProductionConfig)
