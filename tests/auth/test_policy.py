"""Every endpoint declares its roles; each role is refused wherever it is not allowed (DESIGN §5)."""
import pytest

from erp.auth.models import Role
from erp.auth.policy import PUBLIC, allowed_roles

SAMPLE_ARGS = {"int": 1, "default": "x", "string": "x", "path": "x"}


def _rules(app):
    for rule in app.url_map.iter_rules():
        args = {name: SAMPLE_ARGS.get(type(conv).__name__.replace("Converter", "").lower(), 1)
                for name, conv in rule._converters.items()}
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        yield rule, args, methods


def test_every_endpoint_declares_its_roles(app):
    """An endpoint without a declaration fails the build."""
    undeclared = [rule.endpoint for rule, _args, _methods in _rules(app) if allowed_roles(rule.endpoint) is None]
    assert undeclared == []


def test_an_undeclared_endpoint_is_refused(app, client, login):
    """Deny by default: a view added without a declaration answers 403 even to the director."""
    app.add_url_rule("/undeclared", "undeclared", lambda: "secret")
    login(Role.DIRECTOR)
    assert client.get("/undeclared").status_code == 403


def test_anonymous_visitors_are_sent_to_login(app, client):
    """Every non-public endpoint redirects an anonymous visitor to the login page."""
    checked = 0
    for rule, args, methods in _rules(app):
        if allowed_roles(rule.endpoint) is PUBLIC:
            continue
        url = rule.build(args)[1]
        for method in methods:
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login"), (method, url)
            checked += 1
    assert checked > 10


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_403_where_not_allowed(app, client, login, role):
    """A logged-in user reaching an endpoint his role is not allowed gets 403, whatever the method."""
    login(role)
    refused = 0
    for rule, args, methods in _rules(app):
        allowed = allowed_roles(rule.endpoint)
        if allowed is PUBLIC or role in allowed:
            continue
        url = rule.build(args)[1]
        for method in methods:
            assert client.open(url, method=method).status_code == 403, (role, method, url)
            refused += 1
    if role is not Role.DIRECTOR:
        assert refused > 0


def test_navigation_shows_only_what_the_role_may_open(client, login):
    """Templates use the same policy: the accountant sees no staff-accounts link, the director does."""
    login(Role.ACCOUNTANT)
    page = client.get("/overview").get_data(as_text=True)
    assert "/users" not in page and "/settings/fiscal-years" in page
    client.post("/logout")
    login(Role.DIRECTOR)
    page = client.get("/overview").get_data(as_text=True)
    assert "/users" in page and "/audit/" in page
