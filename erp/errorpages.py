"""Error pages in the user's language; a failed request never leaves a half-written change."""
from flask import Flask, current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from erp.extensions import db

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("Your role does not give access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or the link is no longer valid.")),
    405: (_l("Action not allowed"), _l("This action cannot be done this way.")),
    413: (_l("File too large"), _l("The file sent is too large.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute, then try again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. Nothing was saved. "
                                          "Try again; if it happens again, tell the director.")),
}


def render_error(code: int, title=None, message=None):
    """The error page for an HTTP status."""
    default_title, default_message = MESSAGES.get(code, MESSAGES[400 if code < 500 else 500])
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def handle_http_error(error: HTTPException):
    db.session.rollback()
    return render_error(error.code or 500)


def handle_csrf_error(error: CSRFError):
    db.session.rollback()
    return render_error(400, _l("Form expired"),
                        _l("This form has expired or was already sent. Reload the page and try again."))


def handle_unexpected(error: Exception):
    db.session.rollback()
    if isinstance(error, HTTPException):
        return handle_http_error(error)
    current_app.logger.exception("unhandled error")
    return render_error(500)


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(Exception, handle_unexpected)
