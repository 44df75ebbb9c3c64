"""The director manages staff accounts: create, edit, deactivate, reset password — with clear refusals."""
import pytest
from sqlalchemy import func, select

from erp.audit.models import AuditEntry
from erp.auth.models import Role, User


def _count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_director_creates_a_craftsman_account(client, login, db, make_section):
    """A new craftsman gets his section; the creation is in the audit trail."""
    director = login(Role.DIRECTOR)
    section = make_section(name="Métallerie")
    response = client.post("/users/new", data={
        "email": "Nouveau@Example.org", "full_name": "Jean Forgeron", "role": "craftsman",
        "section_id": section.id, "locale": "fr", "password": "un-mot-de-passe", "confirm": "un-mot-de-passe"})
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "nouveau@example.org"))
    assert user.role is Role.CRAFTSMAN and user.section_id == section.id
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "user.create"))
    assert entry.user_id == director.id and entry.record_id == user.id


@pytest.mark.parametrize("field, value, message", [
    ("email", "", "Ce champ est requis."),
    ("email", "pas-une-adresse", "Adresse électronique non valide."),
    ("full_name", "x" * 121, "plus de 120 caractères"),
    ("full_name", "Jean\nForgeron", "ne peut pas contenir de retour à la ligne"),
    ("password", "court", "entre 10 et 200 caractères"),
    ("role", "superuser", "Choix non valide"),
])
def test_bad_input_is_refused_beside_the_field(client, login, db, field, value, message):
    """Empty, too long, malformed or forged values: 422, a French message, nothing written."""
    login(Role.DIRECTOR)
    before = _count(db, User)
    data = {"email": "ok@example.org", "full_name": "Jean", "role": "accountant", "section_id": 0,
            "locale": "fr", "password": "un-mot-de-passe", "confirm": "un-mot-de-passe"}
    data[field] = value
    if field == "password":
        data["confirm"] = value
    response = client.post("/users/new", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(db, User) == before


def test_craftsman_without_section_and_duplicate_email_are_refused(client, login, db, make_user):
    """Domain rules answer beside the field too."""
    login(Role.DIRECTOR)
    existing = make_user(Role.ACCOUNTANT, email="pris@example.org")
    base = {"full_name": "Jean", "locale": "fr", "password": "un-mot-de-passe", "confirm": "un-mot-de-passe"}
    response = client.post("/users/new", data=base | {"email": "a@example.org", "role": "craftsman", "section_id": 0})
    assert response.status_code == 422 and "appartient à une section" in response.get_data(as_text=True)
    response = client.post("/users/new", data=base | {"email": existing.email.upper(), "role": "accountant",
                                                      "section_id": 0})
    assert response.status_code == 422 and "utilise déjà cette adresse" in response.get_data(as_text=True)


def test_html_in_a_name_is_shown_escaped(client, login, make_user):
    """A name with markup is displayed as text, never run."""
    login(Role.DIRECTOR)
    make_user(Role.ACCOUNTANT, name="<script>alert(1)</script>")
    page = client.get("/users").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_stale_edit_is_refused_and_nothing_is_overwritten(client, login, db, make_user):
    """Two directors edit one account: the second save, made on the old version, is refused."""
    login(Role.DIRECTOR)
    target = make_user(Role.ACCOUNTANT, name="Avant")
    form = {"email": target.email, "role": "accountant", "section_id": 0, "locale": "fr",
            "version": target.version}
    assert client.post(f"/users/{target.id}", data=form | {"full_name": "Premier"}).status_code == 302
    response = client.post(f"/users/{target.id}", data=form | {"full_name": "Second"})
    assert response.status_code == 409
    assert "Quelqu’un d’autre a enregistré cette fiche" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, target.id).full_name == "Premier"


def test_director_deactivates_and_resets_passwords(client, login, db, make_user):
    """Deactivation is a POST and audited; a new password is at least 10 characters."""
    login(Role.DIRECTOR)
    target = make_user(Role.ACCOUNTANT)
    assert client.post(f"/users/{target.id}/active").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, target.id).active is False
    response = client.post(f"/users/{target.id}/password", data={"password": "court", "confirm": "court"})
    assert response.status_code == 422
    response = client.post(f"/users/{target.id}/password",
                           data={"password": "tout-nouveau-mdp", "confirm": "tout-nouveau-mdp"})
    assert response.status_code == 302
    actions = set(db.session.scalars(select(AuditEntry.action).where(AuditEntry.record_id == target.id)))
    assert {"user.deactivate", "user.password"} <= actions


def test_director_cannot_lock_himself_out(client, login, db):
    """Deactivating oneself or dropping one's own director role is refused."""
    me = login(Role.DIRECTOR)
    client.post(f"/users/{me.id}/active")
    db.session.expire_all()
    assert db.session.get(User, me.id).active is True
    response = client.post(f"/users/{me.id}", data={"email": me.email, "full_name": me.full_name, "role": "accountant",
                                                    "section_id": 0, "locale": "fr", "version": me.version})
    assert response.status_code == 422


def test_user_changes_own_password_and_language(client, login, db):
    """The profile page: the current password is required; the language applies at once."""
    from tests.conftest import PASSWORD

    me = login(Role.ACCOUNTANT)
    response = client.post("/profile", data={"pw-current_password": "mauvais", "pw-password": "nouveau-mdp-123",
                                              "pw-confirm": "nouveau-mdp-123", "pw-submit": "1"})
    assert response.status_code == 422 and "mot de passe actuel est incorrect" in response.get_data(as_text=True)
    response = client.post("/profile", data={"pw-current_password": PASSWORD, "pw-password": "nouveau-mdp-123",
                                              "pw-confirm": "nouveau-mdp-123", "pw-submit": "1"})
    assert response.status_code == 302
    assert client.get("/overview").status_code == 200  # this session survives its own password change
    assert "Se déconnecter" in client.get("/overview").get_data(as_text=True)
    client.post("/profile", data={"prefs-locale": "en", "prefs-submit": "1"})
    assert "Log out" in client.get("/overview").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).locale == "en"


def test_create_user_command_makes_the_first_director(app, db):
    """`flask create-user` creates the first director from the command line."""
    result = app.test_cli_runner().invoke(args=["create-user", "--email", "Dir@Example.org", "--name", "Anne",
                                                "--role", "director", "--password", "un-mot-de-passe"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User).where(User.email == "dir@example.org")).role is Role.DIRECTOR
    result = app.test_cli_runner().invoke(args=["create-user", "--email", "x@example.org", "--name", "X",
                                                "--password", "court"])
    assert result.exit_code != 0 and "10" in result.output
