"""`flask bench-data`: bulk-loaded years that the application treats like its own records."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from erp.benchdata import load_bench, row_counts
from erp.invoicing import journal
from erp.invoicing.models import Invoice, JournalEntry


def test_bench_data_chains_numbers_and_continues(db, make_invoice):
    """The journal verifies, numbers follow the issue order with no gap, and the application carries on."""
    counts = load_bench(1, today=date(2026, 11, 20))
    db.session.commit()
    assert counts["invoices"] > 1000 and row_counts()["journal_entries"] == counts["journal_entries"]
    assert journal.verify().ok
    numbers = db.session.scalars(select(Invoice.number).join(JournalEntry, JournalEntry.record_id == Invoice.id)
                                 .where(JournalEntry.kind.in_(["invoice", "deposit"]))
                                 .order_by(JournalEntry.sequence)).all()
    assert numbers == [f"F-2026-{n:05d}" for n in range(1, len(numbers) + 1)]
    paid = db.session.scalar(select(func.count(Invoice.id)).where(Invoice.paid_amount > 0))
    assert paid and db.session.scalar(select(func.sum(Invoice.revenue_net))) > Decimal("100000")
    issued = make_invoice(today=date(2026, 11, 21))  # the counters and id sequences continue after the bulk load
    assert issued.number == f"F-2026-{len(numbers) + 1:05d}" and journal.verify().ok
