"""Forms for catalog items and materials."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from erp.catalog.models import UNIT_LABELS, VAT_RATES, Nature, Unit
from erp.forms import FrenchDecimalField, TextField, VersionedForm, as_choices, strip

UNIT_CHOICES = as_choices((unit.value, label) for unit, label in UNIT_LABELS.items())
NATURE_CHOICES = as_choices([(Nature.SERVICES.value, _l("Services")), (Nature.GOODS.value, _l("Goods"))])
VAT_CHOICES = as_choices((str(rate), f"{rate.normalize():f} %".replace(".", ",")) for rate in VAT_RATES)
MAX_PRICE = 10_000_000


class CatalogItemForm(VersionedForm):
    """A service or product sold by the school."""

    code = TextField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    label = TextField(_l("Label"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), filters=[strip], validators=[Length(max=2000)])
    unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, coerce=Unit)
    unit_price = FrenchDecimalField(_l("Unit price (€ excl. VAT)"), places=4, min_value=0, max_value=MAX_PRICE,
                                    validators=[InputRequired()])
    vat_rate = SelectField(_l("VAT rate"), choices=VAT_CHOICES, coerce=Decimal, default=str(VAT_RATES[0]))
    nature = SelectField(_l("Nature"), choices=NATURE_CHOICES, coerce=Nature)
    section_id = SelectField(_l("Section"), coerce=int)
    revenue_account = TextField(_l("Revenue account"), validators=[Length(max=10)],
                                description=_l("Leave empty for the section's default account."))
    active = BooleanField(_l("Offered"), default=True)
    submit = SubmitField(_l("Save"))


class MaterialForm(VersionedForm):
    """A material used in the workshop, with its unit cost for estimates."""

    code = TextField(_l("Code"), validators=[DataRequired(), Length(max=20)])
    label = TextField(_l("Label"), validators=[DataRequired(), Length(max=200)])
    unit = SelectField(_l("Unit"), choices=UNIT_CHOICES, coerce=Unit)
    unit_cost = FrenchDecimalField(_l("Unit cost (€ excl. VAT)"), places=4, min_value=0, max_value=MAX_PRICE,
                                   validators=[InputRequired()])
    supplier = TextField(_l("Supplier"), validators=[Length(max=120)])
    active = BooleanField(_l("In use"), default=True)
    submit = SubmitField(_l("Save"))
