"""Client form."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from erp.clients.models import CLIENT_KIND_LABELS, ClientKind
from erp.forms import TextField, VersionedForm, as_choices, strip


class ClientForm(VersionedForm):
    """A client: identity, legal identifiers, billing and work-site addresses, terms."""

    kind = SelectField(_l("Kind"), choices=as_choices((k.value, label) for k, label in CLIENT_KIND_LABELS.items()),
                       coerce=ClientKind)
    name = TextField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    siren = TextField(_l("SIREN"), validators=[Length(max=20)])
    siret = TextField(_l("SIRET"), validators=[Length(max=20)])
    vat_number = TextField(_l("Intra-EU VAT number"), validators=[Length(max=16)])
    email = TextField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = TextField(_l("Phone"), validators=[Length(max=30)])
    address_line1 = TextField(_l("Billing address"), validators=[DataRequired(), Length(max=120)])
    address_line2 = TextField(_l("Address (continued)"), validators=[Length(max=120)])
    postcode = TextField(_l("Postcode"), validators=[DataRequired(), Length(max=10)])
    city = TextField(_l("City"), validators=[DataRequired(), Length(max=80)])
    site_line1 = TextField(_l("Work site or delivery address (if different)"), validators=[Length(max=120)])
    site_line2 = TextField(_l("Address (continued)"), validators=[Length(max=120)])
    site_postcode = TextField(_l("Postcode"), validators=[Length(max=10)])
    site_city = TextField(_l("City"), validators=[Length(max=80)])
    payment_terms_days = IntegerField(_l("Payment terms (days)"), validators=[Optional(), NumberRange(0, 60)],
                                      description=_l("Leave empty for the school's default terms."))
    chorus_service_code = TextField(_l("Chorus Pro service code (public bodies)"), validators=[Length(max=100)])
    chorus_engagement = TextField(_l("Engagement number (public bodies)"), validators=[Length(max=50)])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=2000)])
    confirm_duplicate = BooleanField(_l("This is another client: save anyway"))
    submit = SubmitField(_l("Save"))
