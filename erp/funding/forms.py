"""Forms for resources and subsidy agreements."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from erp.forms import FrenchDecimalField, TextField, as_choices, strip
from erp.funding.models import FunderKind, ResourceKind

KINDS = as_choices((k.value, k.label) for k in ResourceKind)
FUNDERS = as_choices((k.value, k.label) for k in FunderKind)


class ResourceForm(FlaskForm):
    """A donation, sponsorship, apprenticeship-tax balance or subsidy."""

    kind = SelectField(_l("Kind"), choices=KINDS, coerce=ResourceKind)
    funder = TextField(_l("From"), validators=[DataRequired(), Length(max=160)])
    funder_kind = SelectField(_l("Who"), choices=FUNDERS, coerce=FunderKind)
    day = DateField(_l("Date"), validators=[InputRequired()], default=date.today)
    amount = FrenchDecimalField(_l("Amount (€)"), places=2, min_value="0.01", max_value=100_000_000,
                                validators=[InputRequired()])
    account = TextField(_l("Account"), validators=[Length(max=10)], description=_l("Empty: the usual account."))
    reference = TextField(_l("Reference"), validators=[Length(max=100)])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=2000)])
    submit = SubmitField(_l("Record"))


class SubsidyForm(FlaskForm):
    """A subsidy agreement with up to three instalments."""

    funder = TextField(_l("Public body"), validators=[DataRequired(), Length(max=160)])
    funder_kind = SelectField(_l("Who"), choices=FUNDERS, coerce=FunderKind, default=FunderKind.REGION.value)
    purpose = TextField(_l("Earmarked for"), validators=[DataRequired(), Length(max=300)])
    amount = FrenchDecimalField(_l("Amount granted (€)"), places=2, min_value="0.01", max_value=100_000_000,
                                validators=[InputRequired()])
    granted_on = DateField(_l("Granted on"), validators=[InputRequired()], default=date.today)
    justification_due = DateField(_l("Report due on"), validators=[Optional()])
    reference = TextField(_l("Decision or agreement number"), validators=[Length(max=100)])
    first_on = DateField(_l("1st instalment expected on"), validators=[Optional()])
    first_amount = FrenchDecimalField(_l("1st instalment (€)"), places=2, min_value="0.01", max_value=100_000_000)
    second_on = DateField(_l("2nd instalment expected on"), validators=[Optional()])
    second_amount = FrenchDecimalField(_l("2nd instalment (€)"), places=2, min_value="0.01", max_value=100_000_000)
    submit = SubmitField(_l("Record the agreement"))
