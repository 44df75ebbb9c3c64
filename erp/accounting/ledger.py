"""The validated documents of a period, read in batches in the order they were validated (the journal's chain)."""
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, literal, select, union_all

from erp.catalog.models import CatalogItem, Nature
from erp.clients.models import Client
from erp.extensions import db
from erp.invoicing.models import (Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, JournalEntry, Payment,
                                  PaymentMethod, invoice_deposits)
from erp.jobs.models import Section
from erp.money import ZERO, compute_totals
from erp.settings.services import default_fiscal_year_dates, fiscal_year_for, get_school

BATCH = 1000
INVOICE_KINDS = [kind.value for kind in InvoiceKind]


@dataclass
class Document:
    """An issued invoice, deposit invoice or credit note with what the exports need of it."""

    id: int
    kind: InvoiceKind
    number: str
    issue_date: date
    issued_at: datetime
    status: InvoiceStatus
    client_id: int
    client_name: str
    client_siren: str
    section_id: int | None
    section_name: str
    credited_number: str
    total_net: Decimal
    total_vat: Decimal
    total_gross: Decimal
    deposits_net: Decimal
    deposits_gross: Decimal
    revenue_net: Decimal
    amount_due: Decimal
    paid_amount: Decimal
    credited_amount: Decimal
    #: rate → (net, VAT) of its lines, VAT rounded once per rate as on the document
    by_rate: dict = field(default_factory=dict)
    #: (nature, catalog item's account) → net
    by_revenue: dict = field(default_factory=dict)
    #: rate → VAT of the deposit invoices a final invoice deducts
    deposits_vat_by_rate: dict = field(default_factory=dict)

    @property
    def sign(self) -> int:
        return -1 if self.kind is InvoiceKind.CREDIT_NOTE else 1

    @property
    def balance(self) -> Decimal:
        return self.amount_due - self.paid_amount - self.credited_amount


@dataclass(frozen=True)
class PaymentRow:
    """A payment (or its counter-entry) with its invoice and client."""

    id: int
    day: date
    created_at: datetime
    amount: Decimal
    method: PaymentMethod
    reference: str
    note: str
    invoice_number: str
    client_id: int
    client_name: str


def fiscal_bounds(day: date) -> tuple[date, date]:
    """The fiscal year containing a day: the one defined in the settings, else the school's usual calendar."""
    fiscal_year = fiscal_year_for(day)
    if fiscal_year is not None:
        return fiscal_year.start_date, fiscal_year.end_date
    return default_fiscal_year_dates(get_school().fiscal_year_start_month, day)


def fiscal_segments(start: date, end: date) -> Iterator[tuple[date, date, date, date]]:
    """Split a period by fiscal year: (year start, year end, part start, part end)."""
    day = start
    while day <= end:
        year_start, year_end = fiscal_bounds(day)
        yield year_start, year_end, day, min(year_end, end)
        day = year_end + timedelta(days=1)


def last_sequence() -> int:
    """The journal's last link: an export reads nothing validated after it started, so its sheets agree."""
    return db.session.scalar(select(func.max(JournalEntry.sequence))) or 0


def _links(what: str, model, kinds: list[str], day, start: date, end: date, upto: int, after: int):
    """The journal's links to records of one model dated in the period, after a given link."""
    return (select(JournalEntry.sequence, literal(what).label("what"), JournalEntry.record_id)
            .join(model, model.id == JournalEntry.record_id)
            .where(JournalEntry.kind.in_(kinds), day.between(start, end),
                   JournalEntry.sequence > after, JournalEntry.sequence <= upto))


def _validated(start: date, end: date, upto: int, after: int, with_payments: bool = True):
    invoices = _links("invoice", Invoice, INVOICE_KINDS, Invoice.issue_date, start, end, upto, after)
    if not with_payments:
        return invoices.order_by(JournalEntry.sequence).limit(BATCH)
    payments = _links("payment", Payment, ["payment"], Payment.day, start, end, upto, after)
    both = union_all(invoices, payments).subquery()
    return select(both).order_by(both.c.sequence).limit(BATCH)


def validated(start: date, end: date, upto: int, with_payments: bool = True
              ) -> Iterator[list[Document | PaymentRow]]:
    """Batches of the documents (and payments) dated in the period, in the order they were validated."""
    after = 0
    while True:
        rows = db.session.execute(_validated(start, end, upto, after, with_payments)).all()
        if not rows:
            return
        after = rows[-1][0]
        documents = load_documents([r[2] for r in rows if r[1] == "invoice"])
        payments = load_payments([r[2] for r in rows if r[1] == "payment"])
        yield [documents[r[2]] if r[1] == "invoice" else payments[r[2]] for r in rows]


def _invoice_query(ids):
    credited = db.aliased(Invoice)
    return (select(Invoice.id, Invoice.kind, Invoice.number, Invoice.issue_date, Invoice.issued_at, Invoice.status,
                   Invoice.client_id, Client.name, Client.siren, Invoice.section_id,
                   func.coalesce(Section.name, ""), func.coalesce(credited.number, ""),
                   Invoice.total_net, Invoice.total_vat, Invoice.total_gross, Invoice.deposits_net,
                   Invoice.deposits_gross, Invoice.revenue_net, Invoice.amount_due, Invoice.paid_amount,
                   Invoice.credited_amount)
            .join(Client, Client.id == Invoice.client_id).outerjoin(Section, Section.id == Invoice.section_id)
            .outerjoin(credited, credited.id == Invoice.credited_invoice_id).where(Invoice.id.in_(ids)))


def _line_sums(ids) -> dict[int, list]:
    rows = db.session.execute(
        select(InvoiceLine.invoice_id, InvoiceLine.vat_rate, InvoiceLine.nature,
               func.coalesce(CatalogItem.revenue_account, ""), func.sum(InvoiceLine.net))
        .outerjoin(CatalogItem, CatalogItem.id == InvoiceLine.catalog_item_id).where(InvoiceLine.invoice_id.in_(ids))
        .group_by(InvoiceLine.invoice_id, InvoiceLine.vat_rate, InvoiceLine.nature, CatalogItem.revenue_account))
    sums = defaultdict(list)
    for invoice_id, rate, nature, account, net in rows:
        sums[invoice_id].append((Decimal(rate), Nature(nature), account, Decimal(net)))
    return sums


def _vat_by_rate(sums: list) -> dict:
    totals = compute_totals((net, rate) for rate, _nature, _account, net in sums)
    return {group.rate: (group.net, group.vat) for group in totals.groups}


def load_documents(ids: list[int]) -> dict[int, Document]:
    """The documents of a batch, their lines summed per rate and per revenue account (three queries)."""
    if not ids:
        return {}
    documents = {row[0]: Document(*row) for row in db.session.execute(_invoice_query(ids))}
    deposit_links = db.session.execute(select(invoice_deposits.c.final_invoice_id,
                                              invoice_deposits.c.deposit_invoice_id)
                                       .where(invoice_deposits.c.final_invoice_id.in_(ids))).all()
    sums = _line_sums([*ids, *(deposit for _final, deposit in deposit_links)])
    for document in documents.values():
        document.by_rate = _vat_by_rate(sums[document.id])
        for _rate, nature, account, net in sums[document.id]:
            key = (nature, account)
            document.by_revenue[key] = document.by_revenue.get(key, ZERO) + net
    for final, deposit in deposit_links:
        deducted = documents[final].deposits_vat_by_rate
        for rate, (_net, vat) in _vat_by_rate(sums[deposit]).items():
            deducted[rate] = deducted.get(rate, ZERO) + vat
    return documents


def load_payments(ids: list[int]) -> dict[int, PaymentRow]:
    """The payments of a batch with their invoice's number and client (one query)."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Payment.id, Payment.day, Payment.created_at, Payment.amount, Payment.method, Payment.reference,
               Payment.note, Invoice.number, Invoice.client_id, Client.name)
        .join(Invoice, Invoice.id == Payment.invoice_id).join(Client, Client.id == Invoice.client_id)
        .where(Payment.id.in_(ids)))
    return {row[0]: PaymentRow(*row) for row in rows}
