"""Forms for jobs: creation, planning, assignment, time, materials, costs, transitions."""
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from erp.forms import FrenchDecimalField, TextField, VersionedForm, as_choices, strip
from erp.jobs.forms import CheckboxListField
from erp.jobs.work_models import JobCostKind, JobKind


class JobForm(FlaskForm):
    """A job without a quote: a counter service or internal work."""

    kind = SelectField(_l("Kind"), choices=as_choices((k.value, k.label) for k in JobKind), coerce=JobKind)
    client_id = SelectField(_l("Client"), coerce=int)
    section_id = SelectField(_l("Section"), coerce=int, validators=[InputRequired()])
    title = TextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    planned_hours = FrenchDecimalField(_l("Planned student hours"), places=2, min_value=0, max_value=100_000,
                                       default=0)
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=3000)])
    submit = SubmitField(_l("Create the job"))


class PlanForm(VersionedForm):
    """Dates, planned hours and notes of a job."""

    title = TextField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    planned_start = DateField(_l("Planned start"), validators=[Optional()])
    due_date = DateField(_l("Due date"), validators=[Optional()])
    planned_hours = FrenchDecimalField(_l("Planned student hours"), places=2, min_value=0, max_value=100_000,
                                       validators=[InputRequired()])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=3000)])
    submit = SubmitField(_l("Save"))


class AssignForm(VersionedForm):
    """Team, lead craftsman and students of a job."""

    team_id = SelectField(_l("Team"), coerce=int)
    lead_craftsman_id = SelectField(_l("Lead master craftsman"), coerce=int)
    student_ids = CheckboxListField(_l("Students"), coerce=int)
    submit = SubmitField(_l("Assign"))


class TimeForm(FlaskForm):
    """Hours from the workshop floor: a few taps on a phone."""

    job_id = SelectField(_l("Job"), coerce=int, validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired()], default=date.today)
    hours = FrenchDecimalField(_l("Hours per student"), places=2, min_value="0.25", max_value=12)
    student_ids = CheckboxListField(_l("Students"), coerce=int)
    supervision_hours = FrenchDecimalField(_l("My supervision hours"), places=2, min_value="0.25", max_value=12)
    description = TextField(_l("What was done"), validators=[Length(max=300)])
    submit = SubmitField(_l("Log the hours"))


class ConsumeForm(FlaskForm):
    """Material used on a job."""

    material_id = SelectField(_l("Material"), coerce=int, validators=[InputRequired()])
    quantity = FrenchDecimalField(_l("Quantity"), places=3, min_value="0.001", max_value=1_000_000,
                                  validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired()], default=date.today)
    force_reason = TextField(_l("If the stock is short: why record it anyway"), validators=[Length(max=300)])
    submit = SubmitField(_l("Record the use"))


class CostForm(FlaskForm):
    """Another cost of a job."""

    kind = SelectField(_l("Kind"), choices=as_choices((k.value, k.label) for k in JobCostKind), coerce=JobCostKind)
    label = TextField(_l("What"), validators=[DataRequired(), Length(max=200)])
    amount = FrenchDecimalField(_l("Amount (€ excl. VAT)"), places=2, min_value="0.01", max_value=10_000_000,
                                validators=[InputRequired()])
    day = DateField(_l("Day"), validators=[InputRequired()], default=date.today)
    submit = SubmitField(_l("Add the cost"))


class StepForm(VersionedForm):
    """A status button acting on the job as it was displayed."""

    submit = SubmitField(_l("Confirm"))


class DeliverForm(VersionedForm):
    """Delivery to the client."""

    day = DateField(_l("Delivery date"), validators=[InputRequired()], default=date.today)
    received_by = TextField(_l("Received by"), validators=[Length(max=120)])
    submit = SubmitField(_l("Delivered"))


class CancelForm(VersionedForm):
    """Cancelling a job, with the reason."""

    reason = TextAreaField(_l("Reason"), filters=[strip], validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Cancel the job"))


class ReceiptForm(FlaskForm):
    """A delivery of material received."""

    quantity = FrenchDecimalField(_l("Quantity received"), places=3, min_value="0.001", max_value=1_000_000,
                                  validators=[InputRequired()])
    unit_cost = FrenchDecimalField(_l("Unit cost (€ excl. VAT)"), places=4, min_value=0, max_value=10_000_000,
                                   validators=[InputRequired()])
    supplier = TextField(_l("Supplier"), validators=[Length(max=120)])
    day = DateField(_l("Day"), validators=[InputRequired()], default=date.today)
    submit = SubmitField(_l("Record the receipt"))


class AdjustForm(FlaskForm):
    """A stock count that corrects the quantity on hand."""

    counted = FrenchDecimalField(_l("Quantity counted"), places=3, min_value=0, max_value=1_000_000,
                                 validators=[InputRequired()])
    reason = TextField(_l("Reason"), validators=[DataRequired(), Length(max=300)])
    day = DateField(_l("Day"), validators=[InputRequired()], default=date.today)
    submit = SubmitField(_l("Correct the stock"))


class ReorderForm(VersionedForm):
    """The quantity under which a material must be reordered."""

    reorder_level = FrenchDecimalField(_l("Reorder level"), places=3, min_value=0, max_value=1_000_000,
                                       validators=[InputRequired()])
    submit = SubmitField(_l("Save"))
