"""The self-financing measure of DESIGN §6, computed with SQL aggregates only (never a loop over invoices)."""
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select, type_coerce
from sqlalchemy.orm import aliased

from erp.columns import Money
from erp.extensions import db
from erp.funding.models import Resource, ResourceKind
from erp.invoicing.models import Invoice
from erp.invoicing.payments import overdue_summary
from erp.jobs.models import Section
from erp.jobs.work_models import Job, JobStatus
from erp.money import ZERO
from erp.quotes.models import Quote, QuoteStatus
from erp.settings.models import FiscalYear

DEFAULT_ACCEPTANCE = Decimal("0.5")  #: before the school has any decided quote


def _percent(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if not whole else (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """Every figure of the monitor for one fiscal year."""

    fiscal_year: FiscalYear
    revenue: Decimal
    resources_by_kind: dict
    resources_by_funder: list
    monthly: list  #: (first day of month, revenue of the month, cumulative revenue, cumulative target)
    by_section: list  #: (section id, name, revenue)
    by_kind: list  #: (job kind value or None, revenue)
    accepted_not_invoiced: Decimal = ZERO
    open_quotes: Decimal = ZERO
    acceptance_rate: Decimal = DEFAULT_ACCEPTANCE
    overdue: Decimal = ZERO
    overdue_count: int = 0
    previous: "Figures | None" = field(default=None, repr=False)
    start: date | None = None  #: the part of the fiscal year measured; the whole year by default
    end: date | None = None

    @property
    def other_resources(self) -> Decimal:
        return sum(self.resources_by_kind.values(), ZERO)

    @property
    def ratio(self) -> Decimal | None:
        """Production revenue ÷ (production revenue + other resources), in %."""
        return _percent(self.revenue, self.revenue + self.other_resources)

    @property
    def target_percent(self) -> Decimal:
        return self.fiscal_year.target_percent

    @property
    def target_amount(self) -> Decimal:
        """The revenue the target asks for: target % of the budget."""
        return _money(self.fiscal_year.budget * self.target_percent / 100)

    @property
    def coverage(self) -> Decimal | None:
        """Production revenue ÷ the fiscal year's budget, in %."""
        return _percent(self.revenue, self.fiscal_year.budget)

    @property
    def open_weighted(self) -> Decimal:
        return _money(self.open_quotes * self.acceptance_rate)

    @property
    def forecast(self) -> Decimal:
        """Revenue + accepted work not yet invoiced + open quotes × the school's acceptance rate."""
        return self.revenue + self.accepted_not_invoiced + self.open_weighted

    @property
    def shortfall(self) -> Decimal:
        return max(self.target_amount - self.forecast, ZERO)


@dataclass(frozen=True)
class Period:
    """The fiscal year measured, or a part of it (an export's period)."""

    fiscal_year: FiscalYear
    start: date
    end: date

    def invoices(self):
        return Invoice.number.is_not(None), Invoice.issue_date >= self.start, Invoice.issue_date <= self.end

    def resources(self):
        return Resource.fiscal_year_id == self.fiscal_year.id, Resource.day >= self.start, Resource.day <= self.end


def _revenue(period: Period) -> Decimal:
    return _money(db.session.scalar(select(func.sum(Invoice.revenue_net)).where(*period.invoices())))


def _resources(period: Period) -> tuple[dict, list]:
    by_kind = dict(db.session.execute(select(Resource.kind, func.sum(Resource.amount))
                                      .where(*period.resources()).group_by(Resource.kind)).all())
    by_funder = db.session.execute(
        select(Resource.funder, Resource.kind, func.sum(Resource.amount).label("total"))
        .where(*period.resources()).group_by(Resource.funder, Resource.kind)
        .order_by(func.sum(Resource.amount).desc()).limit(10)).all()
    return {kind: _money(by_kind.get(kind)) for kind in ResourceKind}, by_funder


def _monthly(period: Period, target: Decimal) -> list:
    fiscal_year = period.fiscal_year
    year, month = func.extract("year", Invoice.issue_date), func.extract("month", Invoice.issue_date)
    rows = dict(((int(y), int(m)), total) for y, m, total in db.session.execute(
        select(year, month, func.sum(Invoice.revenue_net)).where(*period.invoices()).group_by(year, month)))
    months, day = [], fiscal_year.start_date.replace(day=1)
    while day <= fiscal_year.end_date:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    cumulative, result = ZERO, []
    for index, first in enumerate(months, start=1):
        revenue = _money(rows.get((first.year, first.month)))
        cumulative += revenue
        result.append((first, revenue, cumulative, _money(target * index / len(months))))
    return result


def _by_section(period: Period) -> list:
    # summed per section id first, then named: the period's invoices are read once, through the date index
    revenue = (select(Invoice.section_id, func.sum(Invoice.revenue_net).label("revenue"))
               .where(*period.invoices()).group_by(Invoice.section_id).subquery())
    return db.session.execute(select(Section.id, Section.name, revenue.c.revenue)
                              .join(revenue, revenue.c.section_id == Section.id)
                              .order_by(revenue.c.revenue.desc())).all()


def _by_kind(period: Period) -> list:
    own, from_quote = aliased(Job), aliased(Job)
    kind = func.coalesce(own.kind, from_quote.kind)
    return db.session.execute(
        select(kind, func.sum(Invoice.revenue_net)).outerjoin(own, own.id == Invoice.job_id)
        .outerjoin(from_quote, (from_quote.quote_id == Invoice.quote_id) & Invoice.job_id.is_(None))
        .where(*period.invoices()).group_by(kind).order_by(func.sum(Invoice.revenue_net).desc())).all()


def _pipeline(today: date) -> tuple[Decimal, Decimal, Decimal]:
    """Accepted work not yet invoiced, open quotes, and the school's past acceptance rate."""
    invoiced = (select(Invoice.quote_id, func.sum(Invoice.revenue_net).label("done"))
                .where(Invoice.number.is_not(None), Invoice.quote_id.is_not(None)).group_by(Invoice.quote_id)
                .subquery())
    # arithmetic on scaled columns loses their type: coerce back, or the raw cents would come out
    left = type_coerce(Quote.total_net - func.coalesce(invoiced.c.done, 0), Money())
    accepted = db.session.scalar(select(type_coerce(func.sum(case((left > 0, left), else_=0)), Money()))
                                 .outerjoin(invoiced, invoiced.c.quote_id == Quote.id)
                                 .where(Quote.status == QuoteStatus.ACCEPTED))
    direct = db.session.scalar(select(func.sum(Job.revenue_quoted)).where(
        Job.quote_id.is_(None), Job.client_id.is_not(None),
        Job.status.in_([JobStatus.PLANNED, JobStatus.IN_PROGRESS, JobStatus.DONE, JobStatus.DELIVERED])))
    open_quotes = db.session.scalar(select(func.sum(Quote.total_net)).where(
        Quote.status == QuoteStatus.SENT, Quote.valid_until >= today))
    decided = dict(db.session.execute(select(Quote.status, func.count(Quote.id)).where(Quote.status.in_(
        [QuoteStatus.ACCEPTED, QuoteStatus.DECLINED, QuoteStatus.EXPIRED])).group_by(Quote.status)).all())
    total = sum(decided.values())
    rate = (Decimal(decided.get(QuoteStatus.ACCEPTED, 0)) / total).quantize(Decimal("0.001")) if total \
        else DEFAULT_ACCEPTANCE
    return _money(_money(accepted) + _money(direct)), _money(open_quotes), rate


def previous_fiscal_year(fiscal_year: FiscalYear) -> FiscalYear | None:
    return db.session.scalar(select(FiscalYear).where(FiscalYear.end_date < fiscal_year.start_date)
                             .order_by(FiscalYear.end_date.desc()))


def figures(fiscal_year: FiscalYear, today: date, with_previous: bool = True, start: date | None = None,
            end: date | None = None) -> Figures:
    """The monitor for a fiscal year, or the part of it from `start` to `end` (the exports' period); the
    pipeline and overdue parts only for the year containing today."""
    period = Period(fiscal_year, max(start or fiscal_year.start_date, fiscal_year.start_date),
                    min(end or fiscal_year.end_date, fiscal_year.end_date))
    by_kind, by_funder = _resources(period)
    result = Figures(fiscal_year, _revenue(period), by_kind, by_funder, [], _by_section(period), _by_kind(period),
                     start=period.start, end=period.end)
    result.monthly = _monthly(period, result.target_amount)
    if fiscal_year.contains(today):
        result.accepted_not_invoiced, result.open_quotes, result.acceptance_rate = _pipeline(today)
        result.overdue, result.overdue_count = overdue_summary(today)
    if with_previous and (previous := previous_fiscal_year(fiscal_year)) is not None:
        result.previous = figures(previous, today, with_previous=False)
    return result
