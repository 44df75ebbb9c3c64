"""What every template can use: formats, the role policy, the navigation."""
from flask import Flask
from flask_babel import get_locale

from erp import i18n
from erp.auth.models import Role
from erp.auth.policy import can, can_manage_section


def init_app(app: Flask) -> None:
    """Register filters and globals."""
    app.add_template_filter(i18n.money, "money")
    app.add_template_filter(i18n.unit_money, "unit_money")
    app.add_template_filter(i18n.number, "number")
    app.add_template_filter(i18n.day, "day")
    app.add_template_filter(i18n.moment, "moment")
    app.add_template_global(can)
    app.add_template_test(can, "allowed")
    app.add_template_global(lambda: str(get_locale() or "fr"), "current_locale")
    app.add_template_global(can_manage_section)
    app.add_template_global(Role)
