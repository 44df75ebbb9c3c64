"""Forms for quotes: heading, lines, estimate, acceptance on paper, decline."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from erp.catalog.forms import NATURE_CHOICES, UNIT_CHOICES, VAT_CHOICES
from erp.catalog.models import VAT_RATES, Nature, Unit
from erp.forms import FrenchDecimalField, TextField, VersionedForm, strip

MAX_QUANTITY = 1_000_000
MAX_PRICE = 10_000_000


class QuoteForm(VersionedForm):
    """A quote's heading."""

    client_id = SelectField(_l("Client"), coerce=int, validators=[InputRequired()])
    section_id = SelectField(_l("Section"), coerce=int, validators=[InputRequired()])
    title = TextField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                      description=_l("What is made or done, e.g. “Metal staircase, quarter turn”."))
    site_address = TextAreaField(_l("Work site (if different from the client's address)"), filters=[strip],
                                 validators=[Length(max=500)])
    valid_until = DateField(_l("Valid until"), validators=[Optional()])
    deposit_percent = FrenchDecimalField(_l("Deposit asked at acceptance, in percent of the total incl. VAT"), places=2,
                                         min_value=0, max_value=100, default=Decimal("0"))
    terms = TextAreaField(_l("Terms (start date, duration, guarantee, payment schedule)"), filters=[strip],
                          validators=[Length(max=3000)])
    submit = SubmitField(_l("Save"))


class LineForm(VersionedForm):
    """A line, typed freely or prefilled from the catalog."""

    catalog_item_id = SelectField(_l("From the catalog"), coerce=int, default=0)
    label = TextAreaField(_l("Designation"), filters=[strip], validators=[Length(max=1000)])
    quantity = FrenchDecimalField(_l("Quantity"), places=3, min_value="0.001", max_value=MAX_QUANTITY,
                                  validators=[InputRequired()], default=Decimal("1"))
    unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, coerce=Unit, default=Unit.PIECE.value)
    unit_price = FrenchDecimalField(_l("Unit price (€ excl. VAT)"), places=4, min_value=0, max_value=MAX_PRICE)
    discount_percent = FrenchDecimalField(_l("Discount %"), places=2, min_value=0, max_value=100,
                                          default=Decimal("0"))
    vat_rate = SelectField(_l("VAT"), choices=VAT_CHOICES, coerce=Decimal, default=str(VAT_RATES[0]))
    nature = SelectField(_l("Nature"), choices=NATURE_CHOICES, coerce=Nature, default=Nature.SERVICES.value)
    submit = SubmitField(_l("Add the line"))


def line_arguments(form: LineForm) -> dict:
    """What `add_line` needs from the form: a catalog item (whose unit, VAT rate and nature apply, a typed label
    or price overriding) or a free line with all its fields."""
    from erp.catalog.models import CatalogItem
    from erp.errors import ValidationFailed
    from erp.extensions import db

    common = dict(version=form.version.data, quantity=form.quantity.data,
                  discount_percent=form.discount_percent.data or 0)
    item = db.session.get(CatalogItem, form.catalog_item_id.data) if form.catalog_item_id.data else None
    if item is not None:
        return common | dict(item=item, label=form.label.data or None, unit_price=form.unit_price.data)
    if form.unit_price.data is None or not form.label.data:
        raise ValidationFailed(_l("Choose a catalog item, or give a designation and a unit price."), field="label")
    return common | dict(label=form.label.data, unit=form.unit.data, unit_price=form.unit_price.data,
                         vat_rate=form.vat_rate.data, nature=form.nature.data)


class EstimateForm(VersionedForm):
    """The internal estimate: hours, rate, other costs."""

    student_hours = FrenchDecimalField(_l("Student hours"), places=2, min_value=0, max_value=100_000,
                                       validators=[InputRequired()])
    craftsman_hours = FrenchDecimalField(_l("Craftsman supervision hours"), places=2, min_value=0,
                                         max_value=100_000, validators=[InputRequired()])
    labour_rate = FrenchDecimalField(_l("Hourly rate (€)"), places=2, min_value=0, max_value=10_000,
                                     validators=[InputRequired()])
    other_costs = FrenchDecimalField(_l("Other costs (€)"), places=2, min_value=0, max_value=MAX_PRICE,
                                     validators=[InputRequired()])
    other_costs_note = TextField(_l("Other costs: what"), validators=[Length(max=200)])
    submit = SubmitField(_l("Update the estimate"))


class MaterialLineForm(VersionedForm):
    """A material added to the estimate."""

    material_id = SelectField(_l("Material"), coerce=int, validators=[InputRequired()])
    quantity = FrenchDecimalField(_l("Quantity"), places=3, min_value="0.001", max_value=MAX_QUANTITY,
                                  validators=[InputRequired()])
    submit = SubmitField(_l("Add the material"))


class VersionOnlyForm(VersionedForm):
    """A button acting on a quote as it was displayed."""

    submit = SubmitField(_l("Confirm"))


class MoveForm(VersionedForm):
    """Move a line up or down."""

    offset = HiddenField()


class PaperAcceptanceForm(VersionedForm):
    """The craftsman records a quote signed on paper."""

    name = TextField(_l("Signed by"), validators=[DataRequired(), Length(max=120)])
    vat_certified = BooleanField(_l("The client signed the 10 % VAT certification"))
    submit = SubmitField(_l("Record the acceptance"))


class DeclineForm(VersionedForm):
    """The client's refusal, with an optional reason."""

    reason = TextAreaField(_l("Reason (optional)"), filters=[strip], validators=[Length(max=2000)])
    submit = SubmitField(_l("Record the refusal"))


class PortalAcceptForm(FlaskForm):
    """The client's online “bon pour accord”."""

    name = TextField(_l("Your full name"), validators=[DataRequired(), Length(max=120)])
    agree = BooleanField(_l("Good for agreement: I accept this quote and its terms"), validators=[DataRequired()])
    vat_certified = BooleanField(_l(
        "I certify that the premises are a dwelling completed more than two years ago, and that the works neither "
        "create a new building nor increase its floor area by more than 10 % (10 % VAT rate)."))
    submit = SubmitField(_l("Accept the quote"))


class PortalDeclineForm(FlaskForm):
    """The client declines online."""

    reason = TextAreaField(_l("Reason (optional)"), filters=[strip], validators=[Length(max=2000)])
    submit = SubmitField(_l("Decline the quote"))
