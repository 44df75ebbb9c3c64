"""Issuing: gapless numbers under concurrency, snapshot and PDF frozen, journal, and every refusal (COR-01..03)."""
import threading
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from erp.clients.models import ClientKind
from erp.errors import ValidationFailed
from erp.invoicing import issuing, services
from erp.invoicing.models import Invoice, InvoiceLine, InvoiceStatus, JournalEntry
from erp.jobs.work_models import JobStatus
from erp.numbering import peek_value

D = Decimal
TODAY = date(2026, 11, 2)


def test_issuing_numbers_freezes_and_journals(db, make_invoice):
    """INV-03 / COR-01: F-2026-00001 at issue; snapshot, stored PDF and its hash; journal entry; job invoiced."""
    invoice = make_invoice()
    assert invoice.number == "F-2026-00001" and invoice.status is InvoiceStatus.ISSUED
    assert invoice.issue_date == TODAY and invoice.due_date == date(2026, 12, 2)
    assert invoice.snapshot["school"]["siren"] == "732829320" and invoice.snapshot["client"]["name"]
    assert invoice.pdf.startswith(b"%PDF") and len(invoice.pdf_sha256) == 64
    entry = db.session.scalar(select(JournalEntry))
    assert (entry.sequence, entry.kind, entry.record_id) == (1, "invoice", invoice.id)
    assert invoice.job.status is JobStatus.INVOICED


def test_a_draft_has_no_number_and_can_be_deleted(db, make_invoice):
    """COR-01: the number comes only at issue; a draft thrown away leaves no gap."""
    draft = make_invoice(issue=False)
    assert draft.number is None and draft.status is InvoiceStatus.DRAFT
    services.delete_draft(None, draft)
    db.session.commit()
    assert make_invoice().number == "F-2026-00001"


@pytest.mark.parametrize("problem, message", [
    ("no_siren", "SIREN"), ("no_lines", "au moins une ligne"), ("school", "paramètres"), ("zero", "supérieur à zéro"),
])
def test_what_would_break_a_mandatory_mention_is_refused(db, make_invoice, school, problem, message):
    """INV-04 / INV-06 / INV-12: refused with what to fix; no number consumed."""
    from flask_babel import force_locale

    invoice = make_invoice(issue=False)
    if problem == "no_siren":
        invoice.client.kind, invoice.client.siren = ClientKind.COMPANY, ""
    elif problem == "no_lines":
        invoice.lines.clear()
        services.refresh_totals(invoice)
    elif problem == "school":
        school.siren = ""
    else:
        for line in invoice.lines:
            line.unit_price, line.net = D("0"), D("0.00")
        services.refresh_totals(invoice)
    with pytest.raises(ValidationFailed) as error, force_locale("fr"):
        issuing.issue_invoice(None, invoice, today=TODAY)
    with force_locale("fr"):
        assert message in str(error.value.message)
    db.session.rollback()
    assert peek_value("F", 2026) == 0


def test_a_failure_half_way_consumes_no_number(db, make_invoice):
    """If rendering fails after the number was drawn, the rollback gives it back: the next one is still 00001."""
    invoice = make_invoice(issue=False)

    def broken_render(_invoice):
        raise RuntimeError("printer on fire")

    with pytest.raises(RuntimeError):
        issuing.issue_invoice(None, invoice, today=TODAY, render=broken_render)
    db.session.rollback()
    db.session.refresh(invoice)
    assert invoice.number is None and peek_value("F", 2026) == 0
    issuing.issue_invoice(None, invoice, today=TODAY)
    assert invoice.number == "F-2026-00001"


def test_issuing_twice_is_refused(db, make_invoice):
    """A double-submitted issue form: the second is refused and no number is consumed."""
    invoice = make_invoice()
    with pytest.raises(services.InvoiceAlreadyIssued):
        issuing.issue_invoice(None, invoice, today=TODAY)
    assert peek_value("F", 2026) == 1


def test_twenty_concurrent_issuers_get_consecutive_numbers(app, db, make_invoice):
    """COR-01 under load: 24 accountants issuing at once, on this database: 00001…00024, no gap, no duplicate."""
    drafts = [make_invoice(issue=False).id for _ in range(24)]
    failures = []
    barrier = threading.Barrier(len(drafts))

    def issue(invoice_id):
        with app.app_context():
            try:
                barrier.wait(10)
                issuing.issue_invoice(None, db.session.get(Invoice, invoice_id), today=TODAY,
                                      render=lambda _invoice: b"%PDF-stub")  # the lock is what is under test here
                db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                failures.append(repr(error))
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue, args=(invoice_id,)) for invoice_id in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    db.session.expire_all()
    numbers = sorted(db.session.scalars(select(Invoice.number).where(Invoice.number.is_not(None))))
    assert numbers == [f"F-2026-{n:05d}" for n in range(1, 25)]
    sequences = sorted(db.session.scalars(select(JournalEntry.sequence)))
    assert sequences == list(range(1, 25))
    from erp.invoicing.journal import verify

    assert verify().ok


def test_services_refuse_to_touch_an_issued_invoice(db, make_invoice):
    """COR-02 at the service level: no line, heading or deletion once issued."""
    from erp.catalog.models import Nature, Unit

    invoice = make_invoice()
    with pytest.raises(services.InvoiceAlreadyIssued):
        services.add_line(None, invoice, version=invoice.version, label="x", quantity=D("1"), unit=Unit.PIECE,
                          unit_price=D("1"), vat_rate=D("20.00"), nature=Nature.GOODS)
    with pytest.raises(services.InvoiceAlreadyIssued):
        services.update_heading(None, invoice, version=invoice.version, title="x", purchase_order="",
                                delivery_date=None, notes="")
    with pytest.raises(services.InvoiceAlreadyIssued):
        services.delete_draft(None, invoice)


@pytest.mark.parametrize("statement", [
    "UPDATE invoices SET total_gross = total_gross + 100 WHERE id = :id",
    "UPDATE invoices SET number = 'F-2026-99999' WHERE id = :id",
    "UPDATE invoices SET pdf = NULL WHERE id = :id",
    "UPDATE invoices SET created_at = issued_at WHERE id = :id",
    "DELETE FROM invoices WHERE id = :id",
    "UPDATE invoice_lines SET net = 1 WHERE invoice_id = :id",
    "DELETE FROM invoice_lines WHERE invoice_id = :id",
    "INSERT INTO invoice_lines (invoice_id, position, label, quantity, unit, unit_price, discount_percent, vat_rate,"
    " nature, net) VALUES (:id, 9, 'ajout', 1000, 'piece', 10000, 0, 2000, 'goods', 100)",
    "UPDATE journal_entries SET payload = '{}'",
    "DELETE FROM journal_entries",
])
def test_the_database_refuses_to_change_an_issued_invoice(db, make_invoice, statement):
    """COR-02 at the database level: triggers (installed by the migration) refuse any direct edit."""
    invoice = make_invoice()
    with pytest.raises(DatabaseError) as error:
        db.session.execute(text(statement), {"id": invoice.id})
        db.session.flush()
    assert "immutable" in str(error.value) or "append-only" in str(error.value)
    db.session.rollback()


def test_payments_may_still_change_status_and_paid_amount(db, make_invoice):
    """What the triggers allow: the payment status and the cached sums."""
    invoice = make_invoice()
    db.session.execute(text("UPDATE invoices SET status = 'partly_paid', paid_amount = 100 WHERE id = :id"),
                       {"id": invoice.id})
    db.session.rollback()


def test_the_snapshot_keeps_the_client_as_at_issue(db, make_invoice):
    """Renaming the client afterwards changes neither the snapshot nor the stored PDF."""
    invoice = make_invoice()
    name, pdf = invoice.snapshot["client"]["name"], invoice.pdf
    invoice.client.name = "Nouveau nom SAS"
    db.session.commit()
    db.session.expire_all()
    invoice = db.session.get(Invoice, invoice.id)
    assert invoice.snapshot["client"]["name"] == name and invoice.pdf == pdf
    assert db.session.scalar(select(func.count(InvoiceLine.id))) == 1


def test_every_invoice_column_is_frozen_or_explicitly_mutable(app):
    """A column added to invoices later must be listed as frozen by the triggers, or knowingly left mutable."""
    from erp.invoicing.immutability import FROZEN, MUTABLE_AFTER_ISSUE

    columns = set(Invoice.__table__.columns.keys())
    assert set(FROZEN) | MUTABLE_AFTER_ISSUE == columns
    assert not set(FROZEN) & MUTABLE_AFTER_ISSUE
