"""Document numbers from a locked counter row: chronological, gapless, never a database sequence (COR-01)."""
from sqlalchemy import String, UniqueConstraint, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from erp.extensions import db


class Counter(db.Model):
    """The last number used in one series for one year, e.g. invoices of 2026."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(10))  #: "F", "AV", "D", "OF"
    year: Mapped[int]
    value: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("series", "year", name="uq_counters_series_year"),)


def next_value(series: str, year: int) -> int:
    """Increment and return the counter inside the caller's transaction.

    The UPDATE takes the row lock on PostgreSQL and the database write lock on SQLite, so concurrent
    callers queue behind each other until the first one commits; a rollback gives the number back.
    """
    table = Counter.__table__
    bump = (update(table).where(table.c.series == series, table.c.year == year)
            .values(value=table.c.value + 1).returning(table.c.value))
    value = db.session.execute(bump).scalar()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():  # first number of the year: create the row, or lose the race politely
            db.session.execute(insert(table).values(series=series, year=year, value=0))
    except IntegrityError:
        pass
    return db.session.execute(bump).scalar_one()


def format_number(series: str, year: int, value: int, width: int) -> str:
    """D-2026-0001, F-2026-00001: letters, digits and dashes only (BR-FR-01/02)."""
    return f"{series}-{year}-{value:0{width}d}"


def peek_value(series: str, year: int) -> int:
    """The last number used, without taking it (for tests and reports)."""
    return db.session.scalar(select(Counter.value).where(Counter.series == series, Counter.year == year)) or 0
