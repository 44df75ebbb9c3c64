"""Staff accounts: creation, changes, passwords, authentication."""
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from erp.audit.services import diff, record_action, snapshot
from erp.auth.models import Role, User, new_session_token
from erp.columns import utcnow
from erp.errors import ValidationFailed, check_version
from erp.extensions import db

MIN_PASSWORD_LENGTH = 10
AUDITED_FIELDS = ("email", "full_name", "role", "section_id", "active", "locale")
# A hash to compare against when the e-mail is unknown, so both cases take the same time.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


def _hash(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return generate_password_hash(password, method=method)


def normalise_email(email: str) -> str:
    """E-mails are compared case-insensitively, so they are stored lower-case."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """The account with this e-mail, whatever its case."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            _l("The password must be at least %(n)d characters long.", n=MIN_PASSWORD_LENGTH), field="password"
        )


def _check_role_section(role: Role, section_id: int | None) -> None:
    if role is Role.CRAFTSMAN and not section_id:
        raise ValidationFailed(_l("A master craftsman belongs to a section."), field="section_id")


def create_user(actor, *, email: str, full_name: str, role: Role, password: str,
                section_id: int | None = None, locale: str = "fr") -> User:
    """Create a staff account; e-mails are unique whatever their case."""
    email = normalise_email(email)
    if find_user_by_email(email):
        raise ValidationFailed(_l("An account already uses this e-mail address."), field="email")
    _check_password(password)
    _check_role_section(role, section_id)
    user = User(email=email, full_name=full_name.strip(), role=role, password_hash=_hash(password),
                section_id=section_id if role is Role.CRAFTSMAN else None, locale=locale)
    db.session.add(user)
    db.session.flush()
    record_action(actor, "user.create", user, snapshot(user, AUDITED_FIELDS))
    return user


def update_user(actor, user: User, *, version, email: str, full_name: str, role: Role,
                section_id: int | None, locale: str) -> User:
    """Change an account's identity, role or section; refuses a stale form."""
    check_version(user, version)
    email = normalise_email(email)
    other = find_user_by_email(email)
    if other is not None and other.id != user.id:
        raise ValidationFailed(_l("An account already uses this e-mail address."), field="email")
    _check_role_section(role, section_id)
    if user.id == getattr(actor, "id", None) and role is not Role.DIRECTOR and user.role is Role.DIRECTOR:
        raise ValidationFailed(_l("You cannot remove your own director role."), field="role")
    before = snapshot(user, AUDITED_FIELDS)
    user.email, user.full_name, user.role, user.locale = email, full_name.strip(), role, locale
    user.section_id = section_id if role is Role.CRAFTSMAN else None
    record_action(actor, "user.update", user, diff(before, snapshot(user, AUDITED_FIELDS)))
    return user


def set_password(actor, user: User, password: str) -> User:
    """Set a new password and end the user's other sessions."""
    _check_password(password)
    user.password_hash = _hash(password)
    user.session_token = new_session_token()
    record_action(actor, "user.password", user)
    return user


def change_own_password(user: User, current_password: str, new_password: str) -> User:
    """A user changes their own password, proving they know the current one."""
    if not check_password_hash(user.password_hash, current_password):
        raise ValidationFailed(_l("The current password is wrong."), field="current_password")
    return set_password(user, user, new_password)


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (or reactivate) an account; a deactivated user is logged out at once."""
    if user.id == getattr(actor, "id", None) and not active:
        raise ValidationFailed(_l("You cannot deactivate your own account."))
    if user.active == active:
        return user
    user.active = active
    user.session_token = new_session_token()
    record_action(actor, "user.activate" if active else "user.deactivate", user, {"active": [not active, active]})
    return user


def authenticate(email: str, password: str) -> User | None:
    """The active account matching these credentials, or None."""
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    # A plain UPDATE: logging in is not an edit of the account and must not bump its version.
    db.session.execute(update(User.__table__).where(User.__table__.c.id == user.id).values(last_login_at=utcnow()))
    return user


def count_users() -> int:
    """How many accounts exist (the first one is created from the command line)."""
    return db.session.scalar(select(func.count(User.id)))
