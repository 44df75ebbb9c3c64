"""Amounts are stored as scaled integers: exact sums in SQL on SQLite and PostgreSQL (DESIGN §5)."""
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.exc import StatementError

from erp.jobs.models import Section


def test_sql_sum_of_amounts_is_exact(db, make_section):
    """0.10 + 0.20 summed by the database is exactly 0.30 (a float column would drift)."""
    for rate in ("0.10", "0.20", "1234567.89"):
        make_section(hourly_rate=Decimal(rate))
    total = db.session.scalar(select(func.sum(Section.hourly_rate)))
    assert total == Decimal("1234568.19")
    assert isinstance(total, Decimal)


def test_float_never_reaches_a_column(db):
    """Storing a float is refused outright."""
    db.session.add(Section(code="F", name="Float", hourly_rate=0.1, weekly_capacity_hours=Decimal("1")))
    with pytest.raises(StatementError) as error:
        db.session.flush()
    assert isinstance(error.value.orig, TypeError)
    db.session.rollback()


def test_more_places_than_the_column_holds_is_refused(db):
    """An amount with a third decimal is not silently rounded."""
    db.session.add(Section(code="P", name="Places", hourly_rate=Decimal("1.005"), weekly_capacity_hours=Decimal("1")))
    with pytest.raises(StatementError):
        db.session.flush()
    db.session.rollback()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.decimals(min_value=Decimal("-90000000000"), max_value=Decimal("90000000000"), places=2, allow_nan=False),
       st.decimals(min_value=Decimal("0"), max_value=Decimal("9000000000"), places=3, allow_nan=False))
def test_amounts_and_quantities_round_trip_exactly(db, amount, quantity):
    """Whatever goes in comes back out, to the last cent and thousandth."""
    section = Section(code="RT", name="Round trip", hourly_rate=abs(amount), weekly_capacity_hours=quantity)
    db.session.add(section)
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(Section, section.id)
    assert stored.hourly_rate == abs(amount)
    assert stored.weekly_capacity_hours == quantity
    db.session.delete(stored)
    db.session.commit()
