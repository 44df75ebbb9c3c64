"""Forms for the school's settings and fiscal years."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from erp.forms import FrenchDecimalField, TextField, VersionedForm, as_choices, strip
from erp.settings.models import MAX_PAYMENT_TERMS_DAYS, VAT_REGIME_LABELS, VatRegime

MONTHS = [(1, _l("January")), (2, _l("February")), (3, _l("March")), (4, _l("April")), (5, _l("May")),
          (6, _l("June")), (7, _l("July")), (8, _l("August")), (9, _l("September")), (10, _l("October")),
          (11, _l("November")), (12, _l("December"))]


class SchoolForm(VersionedForm):
    """The school's identity, legal identifiers and document defaults."""

    legal_name = TextField(_l("Legal name"), validators=[DataRequired(), Length(max=120)])
    address_line1 = TextField(_l("Address"), validators=[DataRequired(), Length(max=120)])
    address_line2 = TextField(_l("Address (continued)"), validators=[Length(max=120)])
    postcode = TextField(_l("Postcode"), validators=[DataRequired(), Length(max=10)])
    city = TextField(_l("City"), validators=[DataRequired(), Length(max=80)])
    email = TextField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = TextField(_l("Phone"), validators=[Length(max=30)])
    website = TextField(_l("Website"), validators=[Length(max=120)])
    siren = TextField(_l("SIREN"), validators=[DataRequired(), Length(max=20)])
    siret = TextField(_l("SIRET"), validators=[Length(max=20)])
    rna = TextField(_l("RNA number"), validators=[Length(max=12)])
    vat_number = TextField(_l("Intra-EU VAT number"), validators=[Length(max=20)])
    vat_regime = SelectField(_l("VAT regime"), choices=as_choices((r.value, label) for r, label in VAT_REGIME_LABELS.items()),
                             coerce=VatRegime)
    vat_on_debits = BooleanField(_l("The school opted to pay VAT on debits"))
    iban = TextField(_l("IBAN"), validators=[Length(max=42)])
    bic = TextField(_l("BIC"), validators=[Length(max=11)])
    payment_terms_days = IntegerField(_l("Payment terms (days)"),
                                      validators=[InputRequired(), NumberRange(0, MAX_PAYMENT_TERMS_DAYS)])
    late_penalty_rate = FrenchDecimalField(_l("Late-payment penalty rate (% a year)"), places=2,
                                           min_value=0, max_value=100, validators=[InputRequired()])
    quote_validity_days = IntegerField(_l("Quote validity (days)"), validators=[InputRequired(), NumberRange(1, 365)])
    insurance_mention = TextAreaField(_l("Insurance mention (décennale)"), filters=[strip],
                                      validators=[Length(max=1000)])
    portal_link_days = IntegerField(_l("Client links stay valid (days)"),
                                    validators=[InputRequired(), NumberRange(1, 730)])
    fiscal_year_start_month = SelectField(_l("First month of the fiscal year"), choices=as_choices(MONTHS), coerce=int)
    submit = SubmitField(_l("Save"))


class LogoForm(VersionedForm):
    """Upload or remove the logo printed on documents."""

    logo = FileField(_l("Logo (PNG or JPEG, under 1 MB)"))
    remove = BooleanField(_l("Remove the current logo"))
    submit = SubmitField(_l("Save the logo"))


class FiscalYearForm(VersionedForm):
    """A fiscal year, its budget and its self-financing target."""

    label = TextField(_l("Label"), validators=[DataRequired(), Length(max=30)])
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    budget = FrenchDecimalField(_l("Budget (€)"), places=2, min_value=0, max_value=100_000_000,
                                validators=[InputRequired()])
    target_percent = FrenchDecimalField(_l("Self-financing target (%)"), places=2, min_value="0.01",
                                        max_value=100, validators=[InputRequired()])
    submit = SubmitField(_l("Save"))
