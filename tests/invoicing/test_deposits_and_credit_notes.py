"""Deposit invoices and the final invoice (DEP-01..04); credit notes, full and partial (COR-06..08)."""
from datetime import date
from decimal import Decimal

import pytest

from erp.errors import IllegalTransition, ValidationFailed
from erp.invoicing import issuing, payments, services
from erp.invoicing.models import InvoiceKind, InvoiceStatus, PaymentMethod
from erp.jobs import work
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel

D = Decimal
TODAY = date(2026, 11, 2)


def _accepted(db, make_quote, deposit="30"):
    quote = make_quote(lines=[(D("1"), D("1200.00"), D("20.00")), (D("1"), D("500.00"), D("10.00"))],
                       deposit=D(deposit))
    quotes.send_quote(None, quote, today=TODAY)
    quotes.accept_quote(None, quote, today=TODAY, name="Client", channel=AcceptanceChannel.PAPER,
                        vat_certified=True)
    db.session.commit()
    return quote


def test_deposit_invoice_carries_vat_per_rate(db, school, make_quote):
    """DEP-01 / DEP-04: 30 % of each rate's net, VAT on it, numbered in the invoice series (DEP-02)."""
    quote = _accepted(db, make_quote)
    deposit = services.draft_deposit(None, quote, today=TODAY)
    assert [(line.vat_rate, line.net) for line in deposit.lines] == [(D("10.00"), D("150.00")),
                                                                    (D("20.00"), D("360.00"))]
    assert (deposit.total_net, deposit.total_vat, deposit.total_gross) == (D("510.00"), D("87.00"), D("597.00"))
    issuing.issue_invoice(None, deposit, today=TODAY)
    assert deposit.number == "F-2026-00001" and deposit.kind is InvoiceKind.DEPOSIT
    assert deposit.due_date == TODAY  # a deposit is due at once
    with pytest.raises(IllegalTransition):
        services.draft_deposit(None, quote, today=TODAY)


def test_final_invoice_references_and_deducts_the_deposit(db, school, make_quote):
    """DEP-03: the final invoice lists the whole sale, then deducts the deposit invoice; revenue counted once."""
    quote = _accepted(db, make_quote)
    deposit = services.draft_deposit(None, quote, today=TODAY)
    issuing.issue_invoice(None, deposit, today=TODAY)
    job = work.create_job_from_quote(None, quote, today=TODAY)
    work.start_job(None, job, today=TODAY)
    work.finish_job(None, job, today=TODAY)
    work.deliver_job(None, job, day=TODAY)
    final = services.draft_from_job(None, job, today=TODAY)
    assert final.deposits == [deposit]
    assert (final.total_net, final.total_vat, final.total_gross) == (D("1700.00"), D("290.00"), D("1990.00"))
    assert final.amount_due == D("1990.00") - D("597.00")
    assert deposit.revenue_net + final.revenue_net == D("1700.00")  # the sale counts once in revenue
    issuing.issue_invoice(None, final, today=TODAY)
    assert final.number == "F-2026-00002"
    payments.record_payment(None, final, day=TODAY, amount=D("1393.00"), method=PaymentMethod.TRANSFER, today=TODAY)
    assert final.status is InvoiceStatus.PAID


def test_full_credit_note_cancels_an_unpaid_invoice(db, make_invoice):
    """COR-08: a full credit note in its own AV series (COR-07), referencing the invoice; the invoice is cancelled."""
    invoice = make_invoice(lines=[(D("2"), D("100.00"), D("20.00"))])
    note = services.draft_credit_note(None, invoice, full=True)
    assert note.credited_invoice_id == invoice.id and note.total_gross == D("240.00")
    assert note.revenue_net == D("-200.00")
    issuing.issue_invoice(None, note, today=TODAY)
    assert note.number == "AV-2026-00001" and note.kind.type_code == "381"
    assert invoice.credited_amount == D("240.00") and invoice.balance == 0
    assert invoice.status is InvoiceStatus.CANCELLED
    with pytest.raises(ValidationFailed):
        services.draft_credit_note(None, invoice)


def test_partial_credit_note_and_its_limits(db, make_invoice):
    """COR-06: a partial credit lowers what is due; above what remains creditable, or at another rate: refused."""
    from erp.catalog.models import Nature, Unit

    invoice = make_invoice(lines=[(D("1"), D("1000.00"), D("20.00"))])
    note = services.draft_credit_note(None, invoice, full=False)
    services.add_line(None, note, version=note.version, label="Geste commercial", quantity=D("1"), unit=Unit.FLAT_RATE,
                      unit_price=D("100"), vat_rate=D("20.00"), nature=Nature.SERVICES)
    issuing.issue_invoice(None, note, today=TODAY)
    assert invoice.balance == D("1080.00") and invoice.status is InvoiceStatus.ISSUED
    too_much = services.draft_credit_note(None, invoice, full=False)
    services.add_line(None, too_much, version=too_much.version, label="Trop", quantity=D("1"), unit=Unit.FLAT_RATE,
                      unit_price=D("950"), vat_rate=D("20.00"), nature=Nature.SERVICES)
    with pytest.raises(ValidationFailed):
        issuing.issue_invoice(None, too_much, today=TODAY)
    db.session.rollback()
    other_rate = services.draft_credit_note(None, invoice, full=False)
    services.add_line(None, other_rate, version=other_rate.version, label="Taux", quantity=D("1"),
                      unit=Unit.FLAT_RATE, unit_price=D("10"), vat_rate=D("5.50"), nature=Nature.SERVICES)
    with pytest.raises(ValidationFailed):
        issuing.issue_invoice(None, other_rate, today=TODAY)


def test_credit_note_on_a_paid_invoice_leaves_a_refund_due(db, make_invoice):
    """Paid then credited: the balance turns negative (to refund) and the invoice stays paid."""
    invoice = make_invoice(lines=[(D("1"), D("100.00"), D("20.00"))])
    payments.record_payment(None, invoice, day=TODAY, amount=D("120.00"), method=PaymentMethod.CHEQUE, today=TODAY)
    note = services.draft_credit_note(None, invoice, full=True)
    issuing.issue_invoice(None, note, today=TODAY)
    assert invoice.balance == D("-120.00") and invoice.status is InvoiceStatus.PAID
