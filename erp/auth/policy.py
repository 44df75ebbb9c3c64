"""The role policy: every endpoint declares who may use it; nothing undeclared is served."""
from collections.abc import Callable

from flask import Flask, abort, current_app, request
from flask_login import current_user

from erp.auth.models import Role

PUBLIC = frozenset({"public"})  #: marker: reachable without logging in (login page, portal)
ALL_STAFF = frozenset(Role)
#: endpoints added by extensions, which cannot carry our decorator
EXTENSION_PUBLIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})


def roles(*allowed: Role) -> Callable:
    """Declare the roles allowed on a view."""
    if not allowed:
        raise ValueError("declare at least one role, or use @public")

    def decorate(view):
        view.allowed_roles = frozenset(allowed)
        return view

    return decorate


def staff(view):
    """Declare a view open to every logged-in staff member."""
    view.allowed_roles = ALL_STAFF
    return view


def public(view):
    """Declare a view open to anybody, logged in or not."""
    view.allowed_roles = PUBLIC
    return view


def allowed_roles(endpoint: str, app: Flask | None = None) -> frozenset | None:
    """The roles an endpoint declares, or None when it declares nothing."""
    if endpoint in EXTENSION_PUBLIC_ENDPOINTS:
        return PUBLIC
    view = (app or current_app).view_functions.get(endpoint)
    return getattr(view, "allowed_roles", None)


def enforce_policy():
    """before_request hook: deny undeclared endpoints, send anonymous users to login, 403 others."""
    if request.endpoint is None:  # no route matched: let the 404 handler answer
        return None
    allowed = allowed_roles(request.endpoint)
    if allowed is None:
        abort(403)
    if allowed is PUBLIC:
        return None
    if not current_user.is_authenticated:
        from erp.extensions import login_manager

        return login_manager.unauthorized()
    if current_user.role not in allowed:
        abort(403)
    return None


def can(endpoint: str) -> bool:
    """True when the current user may use the endpoint; templates use it to show actions."""
    allowed = allowed_roles(endpoint)
    if allowed is None:
        return False
    if allowed is PUBLIC:
        return True
    return current_user.is_authenticated and current_user.role in allowed


def can_manage_section(section_id: int | None) -> bool:
    """Directors manage every section; a craftsman only their own."""
    if not current_user.is_authenticated:
        return False
    if current_user.role is Role.DIRECTOR:
        return True
    return current_user.role is Role.CRAFTSMAN and section_id == current_user.section_id
