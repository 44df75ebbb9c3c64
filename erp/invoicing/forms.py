"""Forms for invoices, payments, reminders and the counter sale."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, FieldList, Form, FormField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from erp.forms import FrenchDecimalField, TextField, VersionedForm, as_choices, strip
from erp.invoicing.models import PaymentMethod

METHOD_CHOICES = as_choices((m.value, m.label) for m in PaymentMethod)


class HeadingForm(VersionedForm):
    """A draft's title, the buyer's order reference, the date of sale and notes."""

    title = TextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    purchase_order = TextField(_l("Client's order number"), validators=[Length(max=60)])
    delivery_date = DateField(_l("Date of the sale or of the end of the work"), validators=[Optional()])
    notes = TextAreaField(_l("Notes printed on the invoice"), filters=[strip], validators=[Length(max=2000)])
    submit = SubmitField(_l("Save"))


class PaymentForm(VersionedForm):
    """Money received."""

    day = DateField(_l("Date received"), validators=[InputRequired()], default=date.today)
    amount = FrenchDecimalField(_l("Amount (€)"), places=2, min_value="0.01", max_value=100_000_000,
                                validators=[InputRequired()])
    method = SelectField(_l("Method"), choices=METHOD_CHOICES, coerce=PaymentMethod)
    reference = TextField(_l("Reference (cheque number, transfer label…)"), validators=[Length(max=100)])
    submit = SubmitField(_l("Record the payment"))


class ReverseForm(FlaskForm):
    """Why a payment is reversed."""

    reason = TextField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("Reverse"))


class CounterRow(Form):
    """One item sold at the counter."""

    item_id = SelectField(_l("Item"), coerce=int, validate_choice=False)
    quantity = FrenchDecimalField(_l("Qty"), places=3, min_value="0.001", max_value=1000)


class CounterSaleForm(FlaskForm):
    """A walk-in tyre service: job, invoice and payment in one go."""

    client_id = SelectField(_l("Client"), coerce=int)
    new_client_name = TextField(_l("…or a new private client: name"), validators=[Length(max=160)])
    new_client_address = TextField(_l("Address"), validators=[Length(max=120)])
    new_client_postcode = TextField(_l("Postcode"), validators=[Length(max=10)])
    new_client_city = TextField(_l("City"), validators=[Length(max=80)])
    new_client_email = TextField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)],
                                 description=_l("The invoice is sent there (an e-invoice needs it)."))
    vehicle = TextField(_l("Vehicle (registration, mileage)"), validators=[Length(max=120)])
    rows = FieldList(FormField(CounterRow), min_entries=4, max_entries=8)
    method = SelectField(_l("Paid by"), choices=METHOD_CHOICES, coerce=PaymentMethod)
    reference = TextField(_l("Payment reference"), validators=[Length(max=100)])
    submit = SubmitField(_l("Invoice and record the payment"))
