"""Double-entry lines of the sales and payment journals (france-invoicing.md §4.3), derived from what was
validated: each issued document and each payment is one balanced entry, numbered per journal and fiscal year."""
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from erp.accounting.chart import Account, Chart
from erp.accounting.ledger import Document, PaymentRow, fiscal_segments, validated
from erp.invoicing.models import InvoiceKind, PaymentMethod
from erp.money import ZERO


@dataclass(frozen=True)
class Journal:
    """An accounting journal: its code and label."""

    code: str
    label: str


SALES = Journal("VE", "Ventes")
BANK = Journal("BQ", "Banque")
CASH = Journal("CA", "Caisse")
#: how a payment method is written in the books and the workbook
METHOD_NAMES = {"transfer": "Virement", "cheque": "Chèque", "card": "Carte", "cash": "Espèces"}


@dataclass(frozen=True)
class Line:
    """One line of an entry: an account, the client's sub-account if any, a debit or a credit."""

    account: Account
    debit: Decimal
    credit: Decimal
    aux_number: str = ""
    aux_label: str = ""


@dataclass(frozen=True)
class Entry:
    """A balanced entry: one document or one payment."""

    journal: Journal
    number: str
    day: date
    piece: str
    piece_date: date
    label: str
    validated_on: date
    lines: tuple[Line, ...]

    @property
    def debit(self) -> Decimal:
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def credit(self) -> Decimal:
        return sum((line.credit for line in self.lines), ZERO)


def client_account(client_id: int) -> str:
    """The client's sub-account (CompAuxNum)."""
    return f"C{client_id:05d}"


def _line(account: Account, amount: Decimal, *, credit: bool, aux: tuple[str, str] = ("", "")) -> Line | None:
    """A line on its usual side, or on the other for a negative amount; none for zero."""
    if amount == 0:
        return None
    if amount < 0:
        amount, credit = -amount, not credit
    return Line(account, ZERO if credit else amount, amount if credit else ZERO, *aux)


def document_lines(chart: Chart, document: Document) -> list[Line]:
    """Client debited with what it owes; revenue (or advances, for a deposit) and VAT credited; mirrored for a
    credit note. A final invoice debits the advances its deposits were booked on."""
    is_sale = document.kind is not InvoiceKind.CREDIT_NOTE
    aux = (client_account(document.client_id), document.client_name)
    lines = [_line(chart.account("clients"), document.amount_due, credit=not is_sale, aux=aux)]
    if document.kind is InvoiceKind.DEPOSIT:
        lines.append(_line(chart.account("deposits"), document.total_net, credit=is_sale))
    else:
        lines.append(_line(chart.account("deposits"), document.deposits_net, credit=not is_sale))
        revenue: dict[Account, Decimal] = {}
        for (nature, item_account), net in sorted(document.by_revenue.items()):
            account = chart.revenue(nature, document.section_id, item_account)
            revenue[account] = revenue.get(account, ZERO) + net
        lines += [_line(account, net, credit=is_sale) for account, net in revenue.items()]
    for rate, (_net, vat) in sorted(document.by_rate.items(), reverse=True):
        lines.append(_line(chart.vat(rate), vat - document.deposits_vat_by_rate.get(rate, ZERO), credit=is_sale))
    return [line for line in lines if line is not None]


def payment_lines(chart: Chart, payment: PaymentRow) -> list[Line]:
    """Money received: the bank, cash or receipts-to-collect account debited, the client credited."""
    aux = (client_account(payment.client_id), payment.client_name)
    return [_line(chart.payment(payment.method), payment.amount, credit=False),
            _line(chart.account("clients"), payment.amount, credit=True, aux=aux)]


def _document_label(document: Document) -> str:
    label = f"{document.kind.title} {document.number} – {document.client_name}"
    if document.credited_number:
        label += f" (sur {document.credited_number})"
    return label


def _payment_label(payment: PaymentRow) -> str:
    label = f"Règlement {payment.invoice_number} ({METHOD_NAMES[payment.method].lower()})"
    if payment.amount < 0:
        label = f"Annulation du règlement {payment.invoice_number}"
    return f"{label} {payment.reference}".strip()


class Numbering:
    """Entry numbers per journal, restarting each fiscal year: VE2026-000001…"""

    def __init__(self, year_start: date):
        self.prefix_year = year_start.year
        self.counters: dict[str, int] = {}

    def next(self, journal: Journal) -> str:
        self.counters[journal.code] = self.counters.get(journal.code, 0) + 1
        return f"{journal.code}{self.prefix_year}-{self.counters[journal.code]:06d}"


def _entry(chart: Chart, record: Document | PaymentRow, numbering: Numbering) -> Entry:
    if isinstance(record, Document):
        return Entry(SALES, numbering.next(SALES), record.issue_date, record.number, record.issue_date,
                     _document_label(record), record.issued_at.date(), tuple(document_lines(chart, record)))
    journal = CASH if record.method is PaymentMethod.CASH else BANK
    return Entry(journal, numbering.next(journal), record.day, record.invoice_number, record.day,
                 _payment_label(record), record.created_at.date(), tuple(payment_lines(chart, record)))


def entries(chart: Chart, start: date, end: date, upto: int) -> Iterator[list[Entry]]:
    """Batches of the period's entries in the order they were validated. Numbers count from the start of each
    fiscal year, so an entry keeps its number whatever period is exported."""
    for year_start, _year_end, part_start, part_end in fiscal_segments(start, end):
        numbering = Numbering(year_start)
        for batch in validated(year_start, part_end, upto):
            made = [_entry(chart, record, numbering) for record in batch]
            kept = [entry for entry in made if entry.day >= part_start]
            if kept:
                yield kept
