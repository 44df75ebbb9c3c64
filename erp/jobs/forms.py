"""Forms for sections, students and teams."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from erp.forms import FrenchDecimalField, TextField, VersionedForm, as_choices
from erp.jobs.models import STUDENT_STATUS_LABELS, StudentStatus


class SectionForm(VersionedForm):
    """A trade, its hourly labour rate and its weekly capacity."""

    code = TextField(_l("Code"), validators=[DataRequired(), Length(max=10)])
    name = TextField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    hourly_rate = FrenchDecimalField(_l("Hourly labour rate (€ excl. VAT)"), places=2, min_value=0,
                                     max_value=10_000, validators=[InputRequired()])
    weekly_capacity_hours = FrenchDecimalField(_l("Weekly workshop capacity (hours)"), places=1, min_value=0,
                                               max_value=10_000, validators=[InputRequired()])
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))


class StudentForm(VersionedForm):
    """A student: name, section, cohort and dates — nothing more is kept."""

    first_name = TextField(_l("First name"), validators=[DataRequired(), Length(max=60)])
    last_name = TextField(_l("Last name"), validators=[DataRequired(), Length(max=60)])
    section_id = SelectField(_l("Section"), coerce=int, validators=[InputRequired()])
    cohort = TextField(_l("Cohort"), validators=[DataRequired(), Length(max=20)],
                       description=_l("The intake, e.g. 2025-2027"))
    status = SelectField(_l("Status"), choices=as_choices((s.value, label) for s, label in STUDENT_STATUS_LABELS.items()),
                         coerce=StudentStatus)
    entry_date = DateField(_l("Entry date"), validators=[InputRequired()])
    exit_date = DateField(_l("Exit date"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes: easy to tap on a tablet."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TeamForm(VersionedForm):
    """A team of students of one section under a lead master craftsman."""

    name = TextField(_l("Name"), validators=[DataRequired(), Length(max=60)])
    section_id = SelectField(_l("Section"), coerce=int, validators=[InputRequired()])
    lead_craftsman_id = SelectField(_l("Lead master craftsman"), coerce=int)
    member_ids = CheckboxListField(_l("Members"), coerce=int)
    active = BooleanField(_l("Active"), default=True)
    submit = SubmitField(_l("Save"))
