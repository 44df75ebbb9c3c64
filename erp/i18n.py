"""Language and time zone of each request, and French formats for templates."""
from datetime import date, datetime
from decimal import Decimal

from flask import current_app, has_request_context, request, session
from flask_babel import format_currency, format_date, format_datetime, format_decimal
from flask_login import current_user


def select_locale() -> str:
    """The user's preference, else the language picked on the login page, else French."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and background work speak the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    if request.args.get("lang") in languages:
        session["lang"] = request.args["lang"]
    chosen = session.get("lang")
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    """Every user works in the school's time zone."""
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def money(value: Decimal | None) -> str:
    """1 234,56 € in French, €1,234.56 in English."""
    return "" if value is None else format_currency(value, "EUR")


def unit_money(value: Decimal | None) -> str:
    """A unit price: at least 2 and at most 4 decimals (12,50 € ; 0,1234 €)."""
    return "" if value is None else format_currency(value, "EUR", format="#,##0.00##\u00a0¤")


def number(value: Decimal | None, places: int = 2) -> str:
    """A decimal with the locale's separators and at most `places` decimals."""
    if value is None:
        return ""
    return format_decimal(value, format="#,##0." + "#" * places if places else "#,##0")


def day(value: date | None) -> str:
    """22/11/2026 in French."""
    return "" if value is None else format_date(value, "short")


def moment(value: datetime | None) -> str:
    """22/11/2026 09:30 in the school's time zone."""
    return "" if value is None else format_datetime(value, "short")
