"""Job pages: the board, one job with its assignment, costs and transitions, costing and workload."""
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from erp.auth.models import Role, User
from erp.auth.policy import can_manage_section, roles, staff
from erp.catalog import stock
from erp.catalog.models import Material, MovementKind, StockMovement
from erp.catalog.services import material_choices
from erp.clients.models import Client
from erp.clients.services import client_choices
from erp.errors import DomainError, check_version
from erp.extensions import db
from erp.forms import as_choices
from erp.jobs import costing, timesheet, work
from erp.jobs.blueprint import bp
from erp.jobs.models import Section, Team
from erp.jobs.services import craftsman_choices, section_choices, student_choices
from erp.jobs.work_forms import AssignForm, CancelForm, ConsumeForm, CostForm, DeliverForm, JobForm, PlanForm, StepForm
from erp.jobs.work_models import Job, JobCost, JobStatus
from erp.jobs.workload import workload as compute_workload
from erp.quotes.models import Quote
from erp.web import form_status, paginate, reject, run_form

EDITORS = (Role.DIRECTOR, Role.CRAFTSMAN)
VIEWERS = (Role.DIRECTOR, Role.CRAFTSMAN, Role.ACCOUNTANT)


def _job_to_change(job_id: int) -> Job:
    """The job, if the current user may act on it: a craftsman only on his own section's jobs."""
    job = db.get_or_404(Job, job_id)
    if not can_manage_section(job.section_id):
        abort(403)
    return job


@bp.route("/jobs/")
@staff
def board():
    """The board: one column per status, filtered by section, team and craftsman; late jobs stand out."""
    filters = {"section_id": request.args.get("section", type=int), "team_id": request.args.get("team", type=int),
               "craftsman_id": request.args.get("craftsman", type=int)}
    shown = [JobStatus.PLANNED, JobStatus.IN_PROGRESS, JobStatus.DONE, JobStatus.DELIVERED]
    jobs = db.session.scalars(work.jobs_query(statuses=shown, **filters)).all()
    columns = {status: [job for job in jobs if job.status is status] for status in shown}
    teams = db.session.execute(select(Team.id, Team.name).where(Team.active.is_(True)).order_by(Team.name)).all()
    return render_template("jobs/board.html", columns=columns, filters=filters, today=date.today(),
                           sections=section_choices(), teams=teams, craftsmen=craftsman_choices())


@bp.route("/jobs/new", methods=["GET", "POST"])
@roles(*EDITORS)
def job_new():
    """A job without a quote: counter service or internal work."""
    form = JobForm()
    form.client_id.choices = as_choices([(0, _("— none (internal work) —")), *client_choices()])
    sections = ([(current_user.section_id, current_user.section.name)] if current_user.role is Role.CRAFTSMAN
                else section_choices())
    form.section_id.choices = as_choices(sections)
    if form.validate_on_submit():
        try:
            job = work.create_job(
                current_user, today=date.today(), section=db.get_or_404(Section, form.section_id.data),
                title=form.title.data, kind=form.kind.data,
                client=db.session.get(Client, form.client_id.data) if form.client_id.data else None,
                planned_start=form.planned_start.data, due_date=form.due_date.data,
                planned_hours=form.planned_hours.data or 0, notes=form.notes.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Job %(number)s created.", number=job.number), "success")
            return redirect(url_for("jobs.job", job_id=job.id))
    return render_template("jobs/job_new.html", form=form), form_status(form)


@bp.route("/quotes/<int:quote_id>/job", methods=["POST"])
@roles(*EDITORS)
def from_quote(quote_id: int):
    """One click: the accepted quote becomes a job."""
    quote = db.get_or_404(Quote, quote_id)
    if not can_manage_section(quote.section_id):
        abort(403)
    try:
        job = work.create_job_from_quote(current_user, quote, today=date.today())
    except DomainError as error:
        reject(None, error)
        return redirect(url_for("quotes.show", quote_id=quote.id))
    db.session.commit()
    flash(_("Job %(number)s created from quote %(quote)s. Assign its team.", number=job.number,
            quote=quote.number), "success")
    return redirect(url_for("jobs.job", job_id=job.id))


def _assign_form(job: Job, formdata=None) -> AssignForm:
    form = AssignForm(formdata=formdata) if formdata is not None else AssignForm(formdata=None, obj=job)
    teams = db.session.execute(select(Team.id, Team.name).where(Team.section_id == job.section_id,
                                                                Team.active.is_(True)).order_by(Team.name)).all()
    form.team_id.choices = as_choices([(0, "—"), *[(t.id, t.name) for t in teams]])
    form.lead_craftsman_id.choices = as_choices([(0, "—"), *craftsman_choices(job.section_id)])
    form.student_ids.choices = as_choices(student_choices(job.section_id))
    if formdata is None:
        form.team_id.data, form.lead_craftsman_id.data = job.team_id or 0, job.lead_craftsman_id or 0
        form.student_ids.data, form.version.data = job.student_ids, job.version
    return form


def _show(job: Job, status: int = 200, **forms):
    """The job page with all its forms (those given keep their input and errors)."""
    consume_form = forms.pop("consume_form", None) or ConsumeForm(formdata=None)
    consume_form.material_id.choices = as_choices(material_choices())
    context = {
        "assign_form": forms.pop("assign_form", None) or _assign_form(job),
        "plan_form": forms.pop("plan_form", None) or PlanForm(formdata=None, obj=job),
        "cost_form": forms.pop("cost_form", None) or CostForm(formdata=None),
        "deliver_form": forms.pop("deliver_form", None) or DeliverForm(formdata=None, version=job.version),
        "cancel_form": forms.pop("cancel_form", None) or CancelForm(formdata=None, version=job.version),
        "consume_form": consume_form,
        "step_form": forms.pop("step_form", None) or StepForm(formdata=None, version=job.version),
    }
    context["plan_form"].version.data = context["plan_form"].version.data or job.version
    movements = db.session.scalars(select(StockMovement).options(selectinload(StockMovement.material))
                                   .where(StockMovement.job_id == job.id).order_by(StockMovement.id)).all()
    costs = db.session.scalars(select(JobCost).where(JobCost.job_id == job.id).order_by(JobCost.day)).all()
    return render_template("jobs/job.html", job=job, today=date.today(), costing=costing.job_costing(job),
                           entries=timesheet.job_entries(job.id), movements=movements, costs=costs,
                           editable=can_manage_section(job.section_id), **context), status


@bp.route("/jobs/<int:job_id>")
@staff
def job(job_id: int):
    """One job: what, who, status, time, materials, other costs, and its costing against the estimate."""
    return _show(db.get_or_404(Job, job_id))


def _act(job: Job, form, action, success: str, form_name: str):
    """Run a job form's service and come back to the job, or show it again with the errors."""
    return run_form(form, action, success=success, done_url=url_for("jobs.job", job_id=job.id),
                    reshow=lambda status, failed: _show(job, status, **{form_name: failed}))


@bp.route("/jobs/<int:job_id>/plan", methods=["POST"])
@roles(*EDITORS)
def plan(job_id: int):
    """Dates, planned hours, notes."""
    job = _job_to_change(job_id)
    return _act(job, PlanForm(), lambda f: work.plan_job(
        current_user, job, version=f.version.data, title=f.title.data, planned_start=f.planned_start.data,
        due_date=f.due_date.data, planned_hours=f.planned_hours.data, notes=f.notes.data),
        _("Job saved."), "plan_form")


@bp.route("/jobs/<int:job_id>/assign", methods=["POST"])
@roles(*EDITORS)
def assign(job_id: int):
    """Give the job to a team, a lead and students."""
    job = _job_to_change(job_id)
    return _act(job, _assign_form(job, formdata=request.form), lambda f: work.assign_job(
        current_user, job, version=f.version.data,
        team=db.session.get(Team, f.team_id.data) if f.team_id.data else None,
        lead=db.session.get(User, f.lead_craftsman_id.data) if f.lead_craftsman_id.data else None,
        student_ids=f.student_ids.data or []), _("Assignment saved."), "assign_form")


@bp.route("/jobs/<int:job_id>/status/<action>", methods=["POST"])
@roles(*EDITORS)
def transition(job_id: int, action: str):
    """Start, finish, deliver or cancel the job."""
    job = _job_to_change(job_id)
    today = date.today()
    moves = {
        "start": (StepForm, lambda f: work.start_job(current_user, job, today=today), _("Job started.")),
        "finish": (StepForm, lambda f: work.finish_job(current_user, job, today=today), _("Job finished.")),
        "deliver": (DeliverForm, lambda f: work.deliver_job(current_user, job, day=f.day.data,
                                                            received_by=f.received_by.data),
                    _("Job delivered: it is now to invoice.")),
        "cancel": (CancelForm, lambda f: work.cancel_job(current_user, job, reason=f.reason.data),
                   _("Job cancelled.")),
    }
    if action not in moves:
        abort(404)
    form_class, service, success = moves[action]
    return _act(job, form_class(), lambda f: (check_version(job, f.version.data), service(f)), success,
                {"cancel": "cancel_form", "deliver": "deliver_form"}.get(action, "step_form"))


@bp.route("/jobs/<int:job_id>/materials", methods=["POST"])
@roles(*EDITORS)
def consume(job_id: int):
    """Material used on the job, taken from stock at its average cost."""
    job = _job_to_change(job_id)
    form = ConsumeForm()
    form.material_id.choices = as_choices(material_choices())
    return _act(job, form, lambda f: stock.consume(
        current_user, db.get_or_404(Material, f.material_id.data), job=job, quantity=f.quantity.data,
        day=f.day.data, force_reason=f.force_reason.data or ""), _("Material recorded."), "consume_form")


@bp.route("/jobs/<int:job_id>/costs", methods=["POST"])
@roles(*EDITORS)
def add_cost(job_id: int):
    """Subcontracting, consumables, travel."""
    job = _job_to_change(job_id)
    return _act(job, CostForm(), lambda f: work.add_cost(current_user, job, kind=f.kind.data, label=f.label.data,
                                                         amount=f.amount.data, day=f.day.data),
                _("Cost recorded."), "cost_form")


@bp.route("/jobs/<int:job_id>/delivery-note.pdf")
@staff
def delivery_note(job_id: int):
    """The delivery note the client signs."""
    from erp.jobs.documents import delivery_note_pdf

    job = db.get_or_404(Job, job_id)
    return Response(delivery_note_pdf(job), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="BL-{job.number}.pdf"'})


@bp.route("/jobs/costing")
@roles(*VIEWERS)
def costing_list():
    """Estimated against actual for the jobs of a period, biggest variances first."""
    from erp.settings.services import default_fiscal_year_dates, get_school

    start, end = default_fiscal_year_dates(get_school().fiscal_year_start_month, date.today())
    try:
        start = date.fromisoformat(request.args.get("from", "")) if request.args.get("from") else start
        end = date.fromisoformat(request.args.get("to", "")) if request.args.get("to") else end
    except ValueError:
        flash(_("Dates are written YYYY-MM-DD."), "warning")
    section_id = request.args.get("section", type=int)
    page = paginate(costing.period_jobs(start, end, section_id))
    return render_template("jobs/costing.html", page=page, rows=costing.costings_of(page.items), start=start,
                           end=end, section_id=section_id, sections=section_choices())


@bp.route("/jobs/workload")
@staff
def workload():
    """Planned hours per team and week against each section's capacity."""
    weeks, loads = compute_workload(date.today())
    return render_template("jobs/workload.html", weeks=weeks, loads=loads)


@bp.route("/jobs/movements/<kind>")
@roles(*VIEWERS)
def movements(kind: str):
    """Every receipt, use or correction of stock (for checking)."""
    if kind not in MovementKind._value2member_map_:
        abort(404)
    rows = db.session.scalars(select(StockMovement).options(selectinload(StockMovement.material))
                              .where(StockMovement.kind == MovementKind(kind))
                              .order_by(StockMovement.id.desc()).limit(200)).all()
    return render_template("jobs/movements.html", rows=rows, kind=MovementKind(kind))
