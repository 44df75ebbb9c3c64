"""Request-wide security: the role policy, who is logged in, and protective headers."""
from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from erp.auth.models import User
from erp.auth.policy import enforce_policy
from erp.extensions import db, login_manager

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def load_user(session_token: str) -> User | None:
    """Flask-Login's loader: the session holds a token that a password change renews."""
    return db.session.scalar(select(User).where(User.session_token == session_token, User.active.is_(True)))


def add_security_headers(response):
    """No inline script, no framing, no MIME sniffing, no referrer leaks."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    return response


def init_app(app: Flask) -> None:
    """Install the login loader, the policy check and the headers."""
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(enforce_policy)
    app.after_request(add_security_headers)
