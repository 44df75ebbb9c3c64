"""Form pieces shared by every domain: trimmed text, French decimals, optimistic locking."""
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, HiddenField, SelectChoice, StringField, SubmitField
from wtforms.validators import ValidationError
from wtforms.widgets import TextInput


def as_choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices."""
    return [SelectChoice(value, label) for value, label in pairs]


def strip(value):
    """Filter: trim surrounding whitespace of text input."""
    return value.strip() if isinstance(value, str) else value


def no_control_characters(form, field):
    """Validator: refuse tabs, newlines and other control characters in one-line text."""
    if field.data and any(ord(c) < 32 or ord(c) == 127 for c in field.data):
        raise ValidationError(_l("This field cannot contain line breaks or control characters."))


class TextField(StringField):
    """A one-line text field, trimmed, with no control characters."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("filters", []).append(strip)
        super().__init__(label, [*(validators or []), no_control_characters], **kwargs)


class FrenchDecimalField(Field):
    """A decimal typed the French way ("1 234,5"), exact, with bounds and a fixed number of places."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, places: int = 2, min_value=None, max_value=None, **kwargs):
        kwargs.setdefault("render_kw", {}).setdefault("inputmode", "decimal")  # a numeric keypad on phones
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.min_value = None if min_value is None else Decimal(str(min_value))
        self.max_value = None if max_value is None else Decimal(str(max_value))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        return format(Decimal(self.data).quantize(Decimal(1).scaleb(-self.places)), "f").replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist or not valuelist[0].strip():
            return
        text = valuelist[0].strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(_l("Enter a number, e.g. 12,50.")) from None
        if not value.is_finite():
            raise ValueError(_l("Enter a number, e.g. 12,50."))
        if value.as_tuple().exponent < -self.places:
            raise ValueError(_l("At most %(n)d decimal places.", n=self.places))
        if self.min_value is not None and value < self.min_value:
            raise ValueError(_l("The value must be at least %(n)s.", n=str(self.min_value).replace(".", ",")))
        if self.max_value is not None and value > self.max_value:
            raise ValueError(_l("The value must be at most %(n)s.", n=str(self.max_value).replace(".", ",")))
        self.data = value.quantize(Decimal(1).scaleb(-self.places))


class VersionedForm(FlaskForm):
    """A form that carries the version of the record it edits, so a stale save is refused."""

    version = HiddenField()


class ConfirmForm(FlaskForm):
    """An empty form: a button that posts, protected by CSRF."""

    submit = SubmitField(_l("Confirm"))
