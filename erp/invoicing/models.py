"""Invoices (and deposit invoices and credit notes), their lines, payments, reminders and the journal."""
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, LargeBinary, String, Table, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from erp.columns import Money, UTCDateTime, enum_column, utcnow
from erp.documents.lines import LineColumns
from erp.extensions import db
from erp.invoicing.immutability import install_with_tables
from erp.money import ZERO, Totals, compute_totals

if TYPE_CHECKING:
    from erp.clients.models import Client
    from erp.jobs.work_models import Job
    from erp.quotes.models import Quote


class InvoiceKind(enum.StrEnum):
    """What the document is; each has its UNTDID 1001 type code for Factur-X (BT-3)."""

    INVOICE = "invoice"
    DEPOSIT = "deposit"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self):
        return {"invoice": _l("Invoice"), "deposit": _l("Deposit invoice"), "credit_note": _l("Credit note")}[self.value]

    @property
    def title(self) -> str:
        """The document's title, always French (INV-01)."""
        return {"invoice": "Facture", "deposit": "Facture d’acompte", "credit_note": "Avoir"}[self.value]

    @property
    def type_code(self) -> str:
        return {"invoice": "380", "deposit": "386", "credit_note": "381"}[self.value]

    @property
    def series(self) -> str:
        """Deposit invoices share the invoice series (DEP-02); credit notes have their own (COR-07)."""
        return "AV" if self is InvoiceKind.CREDIT_NOTE else "F"


class InvoiceStatus(enum.StrEnum):
    """Where an invoice stands; only a draft changes, the rest follows payments and credit notes."""

    DRAFT = "draft"
    ISSUED = "issued"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    CANCELLED = "cancelled"  #: wholly credited before any payment

    @property
    def label(self):
        return {"draft": _l("Draft"), "issued": _l("Issued"), "partly_paid": _l("Partly paid"), "paid": _l("Paid"),
                "cancelled": _l("Cancelled by a credit note")}[self.value]

    @property
    def badge(self) -> str:
        return {"draft": "secondary", "issued": "primary", "partly_paid": "warning", "paid": "success",
                "cancelled": "dark"}[self.value]


invoice_deposits = Table(
    "invoice_deposits",
    db.metadata,
    Column("final_invoice_id", ForeignKey("invoices.id"), primary_key=True),
    #: a deposit invoice is deducted from one final invoice only
    Column("deposit_invoice_id", ForeignKey("invoices.id"), primary_key=True, unique=True),
)


class Invoice(db.Model):
    """An invoice, deposit invoice or credit note; numbered and frozen when issued (COR-01, COR-02)."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InvoiceKind] = mapped_column(enum_column(InvoiceKind))
    #: F-2026-00001 / AV-2026-00001, given at issue; a draft has none
    number: Mapped[str | None] = mapped_column(String(20), unique=True)
    status: Mapped[InvoiceStatus] = mapped_column(enum_column(InvoiceStatus), default=InvoiceStatus.DRAFT)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), index=True)
    credited_invoice_id: Mapped[int | None] = mapped_column(ForeignKey("invoices.id"), index=True)
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    issue_date: Mapped[date | None] = mapped_column(index=True)
    delivery_date: Mapped[date | None]  #: date of the sale or of the end of the service, if different (INV-10)
    due_date: Mapped[date | None] = mapped_column(index=True)
    purchase_order: Mapped[str] = mapped_column(String(60), default="")  #: the buyer's order reference (INV-11)
    notes: Mapped[str] = mapped_column(Text, default="")
    total_net: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    total_vat: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    total_gross: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    #: final invoice: the deposit invoices already billed (DEP-03), deducted from what is due
    deposits_net: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    deposits_vat: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    deposits_gross: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    #: what this document adds to production revenue (HT): net less deducted deposits; negative for credit notes
    revenue_net: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    amount_due: Mapped[Decimal] = mapped_column(Money(), default=ZERO)  #: gross less deducted deposits
    paid_amount: Mapped[Decimal] = mapped_column(Money(), default=ZERO)  #: kept in step with the payments
    credited_amount: Mapped[Decimal] = mapped_column(Money(), default=ZERO)  #: gross of issued credit notes
    #: the client and the school as they were at issue (COR-02): the document never changes afterwards
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  #: the document as issued and sent
    pdf_sha256: Mapped[str] = mapped_column(String(64), default="")
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    client: Mapped["Client"] = relationship()
    job: Mapped["Job | None"] = relationship()
    quote: Mapped["Quote | None"] = relationship()
    credited_invoice: Mapped["Invoice | None"] = relationship(remote_side=[id])
    lines: Mapped[list["InvoiceLine"]] = relationship(back_populates="invoice", order_by="InvoiceLine.position",
                                                      cascade="all, delete-orphan")
    deposits: Mapped[list["Invoice"]] = relationship(
        secondary=invoice_deposits, primaryjoin=lambda: Invoice.id == invoice_deposits.c.final_invoice_id,
        secondaryjoin=lambda: Invoice.id == invoice_deposits.c.deposit_invoice_id, order_by="Invoice.number")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("total_net >= 0 AND total_vat >= 0", name="totals_not_negative"),
        CheckConstraint("paid_amount >= 0", name="paid_not_negative"),
        CheckConstraint("(number IS NULL) = (status = 'draft')", name="number_iff_issued"),
        Index("ix_invoices_status_due_date", "status", "due_date"),
        # what is overdue and how much, read from the index alone (dashboard, late payers)
        Index("ix_invoices_receivable", "status", "due_date", "kind", "amount_due", "paid_amount", "credited_amount"),
        # the invoice list, filtered by status or kind, newest first (ten years of documents)
        Index("ix_invoices_status_issue_date", "status", "issue_date", "id"),
        Index("ix_invoices_kind_issue_date", "kind", "issue_date", "id"),
        # revenue of a period, by section, month or kind of work, read from the index alone (dashboard)
        Index("ix_invoices_revenue", "issue_date", "number", "revenue_net", "section_id", "job_id", "quote_id"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.kind.title} {self.number or '(brouillon)'}"

    @property
    def is_issued(self) -> bool:
        return self.number is not None

    @property
    def balance(self) -> Decimal:
        """What the client still owes (negative: to refund)."""
        return self.amount_due - self.paid_amount - self.credited_amount

    def totals(self) -> Totals:
        return compute_totals((line.net, line.vat_rate) for line in self.lines)

    def days_late(self, today: date) -> int:
        return (today - self.due_date).days if self.due_date and self.balance > 0 and today > self.due_date else 0


class InvoiceLine(LineColumns, db.Model):
    """One line of an invoice (INV-12): designation, quantity, unit, unit price HT, discount, VAT rate, nature."""

    __tablename__ = "invoice_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)

    invoice: Mapped[Invoice] = relationship(back_populates="lines")

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
    )


class PaymentMethod(enum.StrEnum):
    """How the client paid."""

    TRANSFER = "transfer"
    CHEQUE = "cheque"
    CARD = "card"
    CASH = "cash"

    @property
    def label(self):
        return {"transfer": _l("Bank transfer"), "cheque": _l("Cheque"), "card": _l("Card"),
                "cash": _l("Cash")}[self.value]


class Payment(db.Model):
    """Money received for an invoice; a mistake is reversed by a counter-entry, never deleted."""

    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    amount: Mapped[Decimal] = mapped_column(Money())  #: negative for a counter-entry
    method: Mapped[PaymentMethod] = mapped_column(enum_column(PaymentMethod))
    reference: Mapped[str] = mapped_column(String(100), default="")  #: cheque number, transfer label…
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), unique=True)
    note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    invoice: Mapped[Invoice] = relationship()

    __table_args__ = (CheckConstraint("amount <> 0", name="amount_not_zero"),)


class Reminder(db.Model):
    """A payment reminder sent for an overdue invoice: friendly (1), firm (2), formal notice (3)."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    level: Mapped[int]
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    balance: Mapped[Decimal] = mapped_column(Money())  #: what was asked
    mail_message_id: Mapped[int | None] = mapped_column(ForeignKey("mail_messages.id"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level_valid"),)


class JournalEntry(db.Model):
    """One link of the unalterable chain of issued documents and payments (each hashes the one before)."""

    __tablename__ = "journal_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(unique=True)  #: 1, 2, 3… with no gap
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(20))  #: "invoice", "deposit", "credit_note", "payment"
    record_id: Mapped[int]
    payload: Mapped[str] = mapped_column(Text)  #: canonical JSON of what was recorded
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# Issued invoices, their lines, payments and the journal are also protected by database triggers.
install_with_tables(db.metadata)
