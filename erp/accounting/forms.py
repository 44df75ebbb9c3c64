"""Forms of the Exports page and of the chart of accounts."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField
from wtforms.validators import InputRequired, Length

from erp.accounting.chart import DEFAULTS, VAT_KEYS, field_name, section_key
from erp.catalog.models import Nature
from erp.forms import TextField


class WorkbookForm(FlaskForm):
    """The period of the accountant's workbook."""

    start_date = DateField(_l("From"), validators=[InputRequired(_l("Give the first day of the period."))])
    end_date = DateField(_l("To"), validators=[InputRequired(_l("Give the last day of the period."))])
    submit = SubmitField(_l("Export to Excel"))


class FecForm(FlaskForm):
    """The fiscal year of the FEC-layout file."""

    fiscal_year = SelectField(_l("Fiscal year"), coerce=int, validate_choice=True)
    submit_fec = SubmitField(_l("Export in FEC layout"))


def _pair(form_class, key: str, label, default_number: str = "") -> None:
    setattr(form_class, f"{field_name(key)}", TextField(label, validators=[Length(max=10)],
                                                        render_kw={"placeholder": default_number}))
    setattr(form_class, f"{field_name(key)}_label", TextField(_l("Label"), validators=[Length(max=80)]))


#: the school-wide accounts, grouped as on the page
GROUPS = [
    (_l("Clients"), ["clients", "deposits"]),
    (_l("Revenue"), ["revenue:goods", "revenue:services"]),
    (_l("VAT collected"), VAT_KEYS),
    (_l("Payments received"), ["payment:transfer", "payment:cheque", "payment:card", "payment:cash"]),
    (_l("Other resources"), [key for key in DEFAULTS if key.startswith("resource:")]),
]


def chart_form(sections) -> FlaskForm:
    """The chart-of-accounts form: number and label for each flow, and optional accounts per section."""

    class ChartForm(FlaskForm):
        submit = SubmitField(_l("Save the accounts"))

    for key, (number, label, _class) in DEFAULTS.items():
        _pair(ChartForm, key, label, number)
    for section in sections:
        for nature in Nature:
            _pair(ChartForm, section_key(nature, section.id), f"{section.name} — {nature.label}")
    return ChartForm()
