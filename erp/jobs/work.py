"""The rules of jobs: made from accepted quotes or directly, assigned to a team, moved through their statuses."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from erp.audit.services import record_action
from erp.auth.models import Role, User
from erp.documents.lines import copy_line
from erp.errors import IllegalTransition, ValidationFailed, check_version
from erp.extensions import db
from erp.jobs.models import Section, Student, StudentStatus, Team
from erp.jobs.work_models import Job, JobCost, JobCostKind, JobKind, JobLine, JobStatus
from erp.money import ZERO
from erp.numbering import format_number, next_value
from erp.quotes.models import Quote, QuoteStatus

J = JobStatus
#: the only moves a job can make
TRANSITIONS = {
    J.PLANNED: {J.IN_PROGRESS, J.CANCELLED},
    J.IN_PROGRESS: {J.DONE, J.CANCELLED},
    J.DONE: {J.IN_PROGRESS, J.DELIVERED, J.CANCELLED},
    J.DELIVERED: {J.INVOICED},
    J.INVOICED: set(),
    J.CANCELLED: set(),
}


def _move(actor, job: Job, target: JobStatus, **details) -> None:
    """The one place where a job's status changes; every move is in the audit trail."""
    if target not in TRANSITIONS[job.status]:
        raise IllegalTransition(_l("A job that is “%(current)s” cannot become “%(target)s”.",
                                   current=job.status.label, target=target.label))
    before = job.status
    job.status = target
    record_action(actor, "job.status", job, {"status": [before.value, target.value], **details})


def _new_job(actor, *, today: date, section: Section, title: str, kind: JobKind, client_id: int | None,
             **fields) -> Job:
    job = Job(number=format_number("OF", today.year, next_value("OF", today.year), 4), section=section, title=title,
              kind=kind, client_id=client_id, labour_rate=section.hourly_rate,
              created_by_id=getattr(actor, "id", None), **fields)
    db.session.add(job)
    return job


def create_job_from_quote(actor, quote: Quote, *, today: date) -> Job:
    """One click from an accepted quote: the job carries its lines and its estimate."""
    if quote.status is not QuoteStatus.ACCEPTED:
        raise IllegalTransition(_l("Only an accepted quote becomes a job."))
    existing = db.session.scalar(select(Job).where(Job.quote_id == quote.id))
    if existing is not None:
        raise IllegalTransition(_l("Job %(number)s was already made from this quote.", number=existing.number))
    materials = sum((entry.cost for entry in quote.materials), ZERO)
    job = _new_job(actor, today=today, section=quote.section, title=quote.title,
                   kind=JobKind.SERVICE if quote.section.code in ("PNE", "MEC") else JobKind.FABRICATION,
                   client_id=quote.client_id, quote_id=quote.id, planned_hours=quote.student_hours,
                   est_materials=materials, est_student_hours=quote.student_hours,
                   est_craftsman_hours=quote.craftsman_hours, est_other_costs=quote.other_costs,
                   revenue_quoted=quote.total_net, planned_start=today)
    job.labour_rate = quote.labour_rate
    for line in quote.lines:
        job.lines.append(copy_line(line, JobLine))
    db.session.flush()
    record_action(actor, "job.create", job, {"quote": quote.number})
    return job


def create_job(actor, *, today: date, section: Section, title: str, kind: JobKind, client=None,
               planned_start: date | None = None, due_date: date | None = None,
               planned_hours: Decimal = ZERO, notes: str = "") -> Job:
    """A job without a quote: a counter tyre service, or internal work for the school."""
    if kind is not JobKind.INTERNAL and client is None:
        raise ValidationFailed(_l("Choose the client (only internal work has none)."), field="client_id")
    _check_dates(planned_start, due_date)
    if planned_hours < 0:
        raise ValidationFailed(_l("This value cannot be negative."), field="planned_hours")
    job = _new_job(actor, today=today, section=section, title=title, kind=kind,
                   client_id=client.id if client is not None else None, planned_start=planned_start,
                   due_date=due_date, planned_hours=planned_hours, notes=notes)
    db.session.flush()
    record_action(actor, "job.create", job)
    return job


def _check_dates(start: date | None, due: date | None) -> None:
    if start and due and due < start:
        raise ValidationFailed(_l("The due date cannot be before the start."), field="due_date")


def plan_job(actor, job: Job, *, version, title: str, planned_start: date | None, due_date: date | None,
             planned_hours: Decimal, notes: str) -> Job:
    """Change a job's dates, planned hours and notes."""
    check_version(job, version)
    if job.status in (J.INVOICED, J.CANCELLED):
        raise IllegalTransition(_l("This job is closed."))
    _check_dates(planned_start, due_date)
    if planned_hours < 0:
        raise ValidationFailed(_l("This value cannot be negative."), field="planned_hours")
    job.title, job.planned_start, job.due_date = title, planned_start, due_date
    job.planned_hours, job.notes = planned_hours, notes
    record_action(actor, "job.plan", job)
    return job


def assign_job(actor, job: Job, *, version, team: Team | None, lead: User | None, student_ids: list[int]) -> Job:
    """Give the job to a team, a lead craftsman and the students who will work on it; recorded in the trail."""
    check_version(job, version)
    if not job.status.is_open:
        raise IllegalTransition(_l("This job can no longer be reassigned."))
    if team is not None and team.section_id != job.section_id:
        raise ValidationFailed(_l("The team must belong to the job's section."), field="team_id")
    if lead is not None and (lead.role is not Role.CRAFTSMAN or lead.section_id != job.section_id):
        raise ValidationFailed(_l("The lead must be a master craftsman of the job's section."),
                               field="lead_craftsman_id")
    students = list(db.session.scalars(select(Student).where(Student.id.in_(student_ids)))) if student_ids else []
    if len(students) != len(set(student_ids)) or any(
            s.section_id != job.section_id or s.status is not StudentStatus.ACTIVE for s in students):
        raise ValidationFailed(_l("Every student must be in training in the job's section."), field="student_ids")
    before = {"team": job.team_id, "lead": job.lead_craftsman_id, "students": job.student_ids}
    job.team_id, job.lead_craftsman_id = (team.id if team else None), (lead.id if lead else None)
    job.students = students
    after = {"team": job.team_id, "lead": job.lead_craftsman_id, "students": sorted(s.id for s in students)}
    record_action(actor, "job.assign", job, {k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return job


def start_job(actor, job: Job, *, today: date) -> Job:
    """The team starts (or resumes) the work."""
    _move(actor, job, J.IN_PROGRESS)
    job.started_on = job.started_on or today
    return job


def finish_job(actor, job: Job, *, today: date) -> Job:
    """The work is finished in the workshop."""
    _move(actor, job, J.DONE)
    job.finished_on = today
    return job


def deliver_job(actor, job: Job, *, day: date, received_by: str = "") -> Job:
    """Handed over to the client: it now shows up as to invoice."""
    if day > date.today():
        raise ValidationFailed(_l("The delivery date cannot be in the future."), field="day")
    _move(actor, job, J.DELIVERED, delivered_on=day.isoformat())
    job.delivered_on, job.delivered_to = day, received_by.strip()[:120]
    return job


def mark_invoiced(actor, job: Job) -> Job:
    """Called by invoicing when the job's invoice is issued."""
    _move(actor, job, J.INVOICED)
    return job


def cancel_job(actor, job: Job, *, reason: str) -> Job:
    """Stop a job, with the reason."""
    if not reason.strip():
        raise ValidationFailed(_l("Say why the job is cancelled."), field="reason")
    _move(actor, job, J.CANCELLED, reason=reason.strip()[:200])
    job.cancel_reason = reason.strip()
    return job


def add_cost(actor, job: Job, *, kind: JobCostKind, label: str, amount: Decimal, day: date) -> JobCost:
    """Record subcontracting, consumables or travel on a job."""
    if not job.status.is_open and job.status is not J.DELIVERED:
        raise ValidationFailed(_l("Nothing can be logged on a job that is “%(status)s”.", status=job.status.label))
    if amount <= 0:
        raise ValidationFailed(_l("The amount must be more than 0."), field="amount")
    cost = JobCost(job_id=job.id, kind=kind, label=label.strip(), amount=amount, day=day,
                   created_by_id=getattr(actor, "id", None))
    db.session.add(cost)
    record_action(actor, "job.cost", job, {"kind": kind.value, "amount": str(amount)})
    return cost


def jobs_query(*, section_id: int | None = None, team_id: int | None = None, craftsman_id: int | None = None,
               statuses=None, search: str = "") -> Select:
    """Jobs with client, section, team and lead loaded in bulk, by due date."""
    query = select(Job).options(selectinload(Job.client), selectinload(Job.section), selectinload(Job.team),
                                selectinload(Job.lead_craftsman))
    if section_id:
        query = query.where(Job.section_id == section_id)
    if team_id:
        query = query.where(Job.team_id == team_id)
    if craftsman_id:
        query = query.where(Job.lead_craftsman_id == craftsman_id)
    if statuses:
        query = query.where(Job.status.in_(list(statuses)))
    if search:
        query = query.where(or_(Job.number.ilike(f"%{search}%"), Job.title.ilike(f"%{search}%")))
    return query.order_by(Job.due_date.is_(None), Job.due_date, Job.id)
