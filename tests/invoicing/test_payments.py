"""Payments: partial, never above the balance, reversed only by counter-entry; statuses follow (INV-14)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from erp.errors import IllegalTransition, ValidationFailed
from erp.invoicing import payments
from erp.invoicing.models import InvoiceStatus, Payment, PaymentMethod

D = Decimal
TODAY = date(2026, 11, 20)


def _pay(invoice, amount, day=TODAY):
    return payments.record_payment(None, invoice, day=day, amount=D(amount), method=PaymentMethod.TRANSFER,
                                   reference="VIR 123", today=TODAY)


def test_partial_payments_then_paid(db, make_invoice):
    """1 200 € due: 500 → partly paid, 700 → paid."""
    invoice = make_invoice()
    _pay(invoice, "500")
    assert (invoice.status, invoice.paid_amount, invoice.balance) == (InvoiceStatus.PARTLY_PAID, D("500.00"),
                                                                      D("700.00"))
    _pay(invoice, "700")
    assert invoice.status is InvoiceStatus.PAID and invoice.balance == 0


@pytest.mark.parametrize("amount, field", [("1200.01", "amount"), ("0", "amount"), ("-5", "amount")])
def test_bad_amounts_are_refused(db, make_invoice, amount, field):
    """Overpayment, zero, negative: refused beside the amount, nothing written."""
    invoice = make_invoice()
    with pytest.raises(ValidationFailed) as error:
        _pay(invoice, amount)
    assert error.value.field == field
    db.session.rollback()
    assert db.session.scalar(select(Payment.id)) is None


def test_payments_need_an_issued_invoice_and_a_past_date(db, make_invoice):
    """No payment on a draft, none dated tomorrow."""
    with pytest.raises(IllegalTransition):
        _pay(make_invoice(issue=False), "10")
    with pytest.raises(ValidationFailed):
        _pay(make_invoice(), "10", day=TODAY + timedelta(days=1))


def test_a_payment_is_reversed_by_a_counter_entry_never_deleted(db, make_invoice):
    """The original stays; a negative entry cancels it; the status goes back; twice is refused."""
    invoice = make_invoice()
    payment = _pay(invoice, "1200")
    counter = payments.reverse_payment(None, payment, reason="Chèque impayé", day=TODAY)
    assert counter.amount == D("-1200.00") and counter.reverses_id == payment.id
    assert invoice.status is InvoiceStatus.ISSUED and invoice.balance == D("1200.00")
    assert len(db.session.scalars(select(Payment)).all()) == 2
    with pytest.raises(IllegalTransition):
        payments.reverse_payment(None, payment, reason="encore", day=TODAY)
    with pytest.raises(IllegalTransition):
        payments.reverse_payment(None, counter, reason="x", day=TODAY)
    with pytest.raises(ValidationFailed):
        payments.reverse_payment(None, _pay(invoice, "10"), reason=" ", day=TODAY)


def test_overdue_list_and_days_late(db, make_invoice):
    """Due 02/12 and unpaid: 18 days late on 20/12; paid ones leave the list."""
    late = make_invoice()
    paid = make_invoice()
    _pay(paid, "1200")
    day = date(2026, 12, 20)
    assert list(db.session.scalars(payments.overdue_query(day))) == [late]
    assert late.days_late(day) == 18
