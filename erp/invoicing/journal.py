"""The unalterable journal: every issued document and payment, chained by SHA-256 (each entry hashes the last)."""
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select

from erp.extensions import db
from erp.invoicing.models import Invoice, JournalEntry, Payment
from erp.money import CENT
from erp.numbering import next_value

GENESIS = "0" * 64


def _plain(value):
    """Amounts always with two decimals, so 200 and 200.00 read back from the database hash the same."""
    if isinstance(value, Decimal):
        return format(value.quantize(CENT), "f")
    return str(value)


def _canonical(payload: dict) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain)


def _digest(sequence: int, kind: str, record_id: int, payload: str, previous: str) -> str:
    return hashlib.sha256(f"{sequence}|{kind}|{record_id}|{payload}|{previous}".encode()).hexdigest()


def invoice_payload(invoice: Invoice) -> dict:
    """What the journal keeps of an issued document: identity, dates, amounts and the PDF's fingerprint."""
    return {"number": invoice.number, "kind": invoice.kind.value, "issue_date": invoice.issue_date,
            "client_id": invoice.client_id, "total_net": invoice.total_net, "total_vat": invoice.total_vat,
            "total_gross": invoice.total_gross, "amount_due": invoice.amount_due,
            "credited_invoice_id": invoice.credited_invoice_id, "pdf_sha256": invoice.pdf_sha256}


def payment_payload(payment: Payment) -> dict:
    """What the journal keeps of a payment."""
    return {"invoice_id": payment.invoice_id, "day": payment.day, "amount": payment.amount,
            "method": payment.method.value, "reference": payment.reference, "reverses_id": payment.reverses_id}


def append(kind: str, record_id: int, payload: dict) -> JournalEntry:
    """Add an entry after the last one; the sequence counter's row lock keeps concurrent appends in line."""
    sequence = next_value("JRNL", 0)
    previous = db.session.scalar(select(JournalEntry.hash).where(JournalEntry.sequence == sequence - 1)) or GENESIS
    text = _canonical(payload)
    entry = JournalEntry(sequence=sequence, kind=kind, record_id=record_id, payload=text, previous_hash=previous,
                         hash=_digest(sequence, kind, record_id, text, previous))
    db.session.add(entry)
    return entry


@dataclass(frozen=True)
class Verification:
    """The result of checking the chain: how many entries, and the first broken one if any."""

    checked: int
    broken_sequence: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_sequence is None


def verify() -> Verification:
    """Recompute every hash in order; report the first entry whose content, order or link was altered."""
    previous, expected = GENESIS, 1
    rows = db.session.execute(select(JournalEntry.sequence, JournalEntry.kind, JournalEntry.record_id,
                                     JournalEntry.payload, JournalEntry.previous_hash, JournalEntry.hash)
                              .order_by(JournalEntry.sequence).execution_options(yield_per=1000))
    with rows:  # streamed in batches (bounded memory); closed even when stopping early
        for sequence, kind, record_id, payload, previous_hash, stored in rows:
            if sequence != expected:
                return Verification(expected - 1, sequence, f"expected entry {expected}, found {sequence}")
            if previous_hash != previous:
                return Verification(expected - 1, sequence, "link to the previous entry broken")
            if _digest(sequence, kind, record_id, payload, previous) != stored:
                return Verification(expected - 1, sequence, "content altered")
            previous, expected = stored, expected + 1
    return Verification(expected - 1)


def document_matches_journal(invoice: Invoice) -> bool:
    """The invoice row still says what the journal recorded at issue."""
    text = db.session.scalar(select(JournalEntry.payload).where(
        JournalEntry.kind == invoice.kind.value, JournalEntry.record_id == invoice.id))
    return text == _canonical(invoice_payload(invoice))
