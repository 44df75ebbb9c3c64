"""Job costing, estimated against actual: materials, hours valued at the section rate, other costs.

Two views of cost: the cash the school spends (materials, other costs, craftsman time) and the market value of
the work, which also counts the students' hours at the same rate.
"""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, Select, case, func, literal, select, type_coerce
from sqlalchemy.orm import selectinload

from erp.catalog.models import MovementKind, StockMovement
from erp.columns import Money
from erp.extensions import db
from erp.jobs.work_models import Job, JobCost, JobStatus, TimeEntry
from erp.money import ZERO, round_money


@dataclass(frozen=True)
class Figures:
    """One side of the comparison (estimated or actual)."""

    materials: Decimal
    student_hours: Decimal
    craftsman_hours: Decimal
    other: Decimal
    rate: Decimal

    @property
    def student_labour(self) -> Decimal:
        return round_money(self.student_hours * self.rate)

    @property
    def craftsman_labour(self) -> Decimal:
        return round_money(self.craftsman_hours * self.rate)

    @property
    def cash_cost(self) -> Decimal:
        """What the school pays out: materials, other costs and the craftsman's time."""
        return self.materials + self.other + self.craftsman_labour

    @property
    def market_value(self) -> Decimal:
        """The whole cost of the work, the students' hours valued like a craftsman's."""
        return self.cash_cost + self.student_labour


@dataclass(frozen=True)
class JobCosting:
    """A job's estimated and actual figures, its revenue, margins and variance."""

    job: Job
    estimated: Figures
    actual: Figures
    revenue_invoiced: Decimal = ZERO

    @property
    def revenue(self) -> Decimal:
        """Invoiced once invoiced, quoted until then."""
        return self.revenue_invoiced or self.job.revenue_quoted

    @property
    def cash_margin(self) -> Decimal:
        return self.revenue - self.actual.cash_cost

    @property
    def market_margin(self) -> Decimal:
        return self.revenue - self.actual.market_value

    @property
    def variance(self) -> Decimal:
        """Actual minus estimated market value: positive means the job cost more than planned."""
        return self.actual.market_value - self.estimated.market_value


def _estimated(job: Job) -> Figures:
    return Figures(job.est_materials, job.est_student_hours, job.est_craftsman_hours, job.est_other_costs,
                   job.labour_rate)


def _total(column, *where):
    """The sum of a column over the rows of the job in hand: a correlated subquery, i.e. an index lookup per job
    whatever the size of the table."""
    return func.coalesce(select(func.sum(column)).where(*where).scalar_subquery(), literal(ZERO, column.type))


def _actual_sums():
    """Student hours, craftsman hours, materials used (negative, like the movements) and other costs of a job."""
    return (_total(TimeEntry.hours, TimeEntry.job_id == Job.id, TimeEntry.student_id.is_not(None)),
            _total(TimeEntry.hours, TimeEntry.job_id == Job.id, TimeEntry.craftsman_id.is_not(None)),
            _total(StockMovement.amount, StockMovement.job_id == Job.id,
                   StockMovement.kind == MovementKind.CONSUMPTION),
            _total(JobCost.amount, JobCost.job_id == Job.id))


def _costing_query():
    return select(Job, *_actual_sums()).options(selectinload(Job.client), selectinload(Job.section))


def _variance_size():
    """|actual − estimated market value| in the stored integers (cents × 1000), to sort in SQL (rounding aside).

    Money is stored in cents and hours in thousandths, so hours × rate is in cents × 1000."""
    def raw(expression):
        return type_coerce(expression, BigInteger)

    student, craftsman, materials, other = (raw(total) for total in _actual_sums())
    money = other - materials - raw(Job.est_materials) - raw(Job.est_other_costs)
    hours = student + craftsman - raw(Job.est_student_hours) - raw(Job.est_craftsman_hours)
    return func.abs(money * 1000 + hours * raw(Job.labour_rate))


def _row_costing(row, invoiced: dict[int, Decimal]) -> JobCosting:
    job, student_hours, craftsman_hours, materials, other = row
    actual = Figures(-materials, student_hours, craftsman_hours, other, job.labour_rate)
    return JobCosting(job, _estimated(job), actual, invoiced.get(job.id, ZERO))


def invoiced_by_job(job_ids) -> dict[int, Decimal]:
    """Net invoiced per job: its issued invoices (whose net covers the deposits) less its credit notes."""
    from erp.invoicing.models import Invoice, InvoiceKind

    job_ids = list(job_ids)
    if not job_ids:
        return {}
    signed = case((Invoice.kind == InvoiceKind.CREDIT_NOTE, -Invoice.total_net), else_=Invoice.total_net)
    rows = db.session.execute(select(Invoice.job_id, type_coerce(func.sum(signed), Money())).where(
        Invoice.job_id.in_(job_ids), Invoice.number.is_not(None), Invoice.kind != InvoiceKind.DEPOSIT)
        .group_by(Invoice.job_id))
    return dict(rows.all())


def job_costing(job: Job) -> JobCosting:
    """The costing of one job."""
    row = db.session.execute(_costing_query().where(Job.id == job.id)).one()
    return _row_costing(row, invoiced_by_job([job.id]))


def _opened_in(start: date, end: date):
    """Jobs opened in the period, cancelled ones aside."""
    return (Job.created_at >= datetime.combine(start, time.min, timezone.utc),
            Job.created_at < datetime.combine(end + timedelta(days=1), time.min, timezone.utc),
            Job.status != JobStatus.CANCELLED)


def period_jobs(start: date, end: date, section_id: int | None = None) -> Select:
    """The jobs opened in the period (cancelled ones aside), the biggest variances first, ready to be paged."""
    query = select(Job).where(*_opened_in(start, end)).order_by(_variance_size().desc(), Job.id)
    return query.where(Job.section_id == section_id) if section_id else query


def costings_of(jobs) -> list[JobCosting]:
    """The costing of each job, in the order given, in two queries."""
    ids = [job.id for job in jobs]
    rows = {row[0].id: row for row in db.session.execute(_costing_query().where(Job.id.in_(ids)))} if ids else {}
    invoiced = invoiced_by_job(ids)
    return [_row_costing(rows[job_id], invoiced) for job_id in ids]


def costing_for_period(start: date, end: date, section_id: int | None = None) -> list[JobCosting]:
    """Every job opened in the period (cancelled ones aside), the biggest variances first."""
    return costings_of(db.session.scalars(period_jobs(start, end, section_id)).all())


def costings_in_batches(start: date, end: date, size: int = 500) -> Iterator[list[JobCosting]]:
    """The same jobs in number order, a batch at a time, for exports of many years."""
    after = 0
    while True:
        rows = db.session.execute(_costing_query().where(*_opened_in(start, end), Job.id > after)
                                  .order_by(Job.id).limit(size)).all()
        if not rows:
            return
        after = rows[-1][0].id
        invoiced = invoiced_by_job([row[0].id for row in rows])
        yield [_row_costing(row, invoiced) for row in rows]


def count_opened(start: date, end: date) -> int:
    return db.session.scalar(select(func.count(Job.id)).where(*_opened_in(start, end)))
