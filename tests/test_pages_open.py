"""Every page opens, for every role allowed on it, on the demo school: no template error ever reaches a user."""
import pytest

from erp.auth.models import Role, User
from erp.auth.policy import PUBLIC, allowed_roles

SAMPLE_ARGS = {"int": 1, "default": "x", "string": "x", "path": "x"}


@pytest.fixture
def demo(app, db):
    app.test_cli_runner().invoke(args=["demo-data"])
    return {role: db.session.query(User).filter_by(role=role).order_by(User.id).first() for role in Role}


def test_every_get_page_opens_for_its_roles(app, db, demo):
    """GET every endpoint each role may use (ids = 1 of the demo data): never a 5xx."""
    for role in Role:
        _open_all(app, demo, role)


def _open_all(app, demo, role):
    client = app.test_client()
    client.post("/login", data={"email": demo[role].email, "password": "atelier-demo"})
    opened = 0
    for rule in app.url_map.iter_rules():
        allowed = allowed_roles(rule.endpoint)
        if "GET" not in rule.methods or allowed is PUBLIC or role not in allowed:
            continue
        args = {name: SAMPLE_ARGS.get(type(conv).__name__.replace("Converter", "").lower(), 1)
                for name, conv in rule._converters.items()}
        if rule.endpoint == "jobs.movements":
            args = {"kind": "receipt"}
        url = rule.build(args)[1]
        response = client.get(url)
        assert response.status_code < 500, (role, url)
        response.close()
        opened += 1
    assert opened > 10
