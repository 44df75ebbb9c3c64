"""Login, account and password forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length

from erp.auth.models import ROLE_LABELS, Role
from erp.forms import TextField, VersionedForm, as_choices

LANGUAGE_CHOICES = as_choices([("fr", "Français"), ("en", "English")])


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = TextField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Stay logged in on this device"))
    submit = SubmitField(_l("Log in"))


def _new_password_fields():
    return (
        PasswordField(_l("New password"), validators=[InputRequired(), Length(min=10, max=200)]),
        PasswordField(_l("Repeat the new password"),
                      validators=[InputRequired(), EqualTo("password", message=_l("The two passwords differ."))]),
    )


class UserForm(VersionedForm):
    """A staff account as the director edits it."""

    email = TextField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    full_name = TextField(_l("Full name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), choices=as_choices((r.value, label) for r, label in ROLE_LABELS.items()),
                       coerce=Role, validators=[InputRequired()])
    section_id = SelectField(_l("Section (master craftsmen)"), coerce=int, choices=[], validate_choice=True)
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))


class NewUserForm(UserForm):
    """A new staff account, with its first password."""

    password, confirm = _new_password_fields()


class SetPasswordForm(FlaskForm):
    """The director sets a new password for a staff member."""

    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set the password"))


class ChangePasswordForm(FlaskForm):
    """A user changes their own password."""

    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change my password"))


class PreferencesForm(FlaskForm):
    """A user's own preferences."""

    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    submit = SubmitField(_l("Save"))
