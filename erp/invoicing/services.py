"""The rules of invoices: drafts from jobs and quotes, credit notes, and issuing — numbered, frozen, journaled."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from erp.audit.services import record_action
from erp.catalog.models import Unit
from erp.clients.models import Client
from erp.columns import utcnow
from erp.documents.lines import copy_line, line_values
from erp.errors import IllegalTransition, ValidationFailed, check_version
from erp.extensions import db
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus
from erp.jobs.work_models import Job, JobStatus
from erp.money import ZERO, percent_of
from erp.quotes.models import Quote, QuoteStatus

K, S = InvoiceKind, InvoiceStatus


class InvoiceAlreadyIssued(IllegalTransition):
    """An issued invoice never changes; it is corrected by a credit note."""

    default_message = _l("This invoice is issued and can no longer change. Correct it with a credit note.")


def _require_draft(invoice: Invoice) -> None:
    if invoice.is_issued:
        raise InvoiceAlreadyIssued()


def _new(actor, kind: InvoiceKind, client: Client, **fields) -> Invoice:
    invoice = Invoice(kind=kind, client_id=client.id, created_by_id=getattr(actor, "id", None), **fields)
    db.session.add(invoice)
    return invoice


def refresh_totals(invoice: Invoice) -> Invoice:
    """Recompute totals, deposits deducted, what is due and what it adds to revenue."""
    totals = invoice.totals()
    invoice.total_net, invoice.total_vat, invoice.total_gross = totals.net, totals.vat, totals.gross
    invoice.deposits_net = sum((d.total_net for d in invoice.deposits), ZERO)
    invoice.deposits_vat = sum((d.total_vat for d in invoice.deposits), ZERO)
    invoice.deposits_gross = sum((d.total_gross for d in invoice.deposits), ZERO)
    invoice.amount_due = invoice.total_gross - invoice.deposits_gross
    sign = -1 if invoice.kind is K.CREDIT_NOTE else 1
    invoice.revenue_net = sign * (invoice.total_net - invoice.deposits_net)
    invoice.updated_at = utcnow()
    return invoice


def _open_deposits(quote_id: int | None) -> list[Invoice]:
    """Issued deposit invoices of a quote not yet deducted from a final invoice nor wholly credited."""
    if quote_id is None:
        return []
    deposits = db.session.scalars(select(Invoice).where(
        Invoice.quote_id == quote_id, Invoice.kind == K.DEPOSIT, Invoice.number.is_not(None),
        Invoice.status != S.CANCELLED).order_by(Invoice.number)).all()
    used = {d.id for final in db.session.scalars(select(Invoice).where(
        Invoice.kind == K.INVOICE, Invoice.quote_id == quote_id)) for d in final.deposits}
    return [d for d in deposits if d.id not in used]


def draft_from_job(actor, job: Job, *, today: date) -> Invoice:
    """A draft invoice from a delivered job: its lines, deducting the deposits already invoiced (DEP-03)."""
    if job.status is not JobStatus.DELIVERED:
        raise IllegalTransition(_l("Only a delivered job is invoiced."))
    if job.client_id is None:
        raise ValidationFailed(_l("Internal work has no client to invoice."))
    if not job.lines:
        raise ValidationFailed(_l("This job has no line to invoice. Add what was sold to the draft."))
    existing = db.session.scalar(select(Invoice).where(Invoice.job_id == job.id, Invoice.kind == K.INVOICE,
                                                       Invoice.status != S.CANCELLED))
    if existing is not None:
        raise IllegalTransition(_l("This job already has an invoice (%(number)s).",
                                   number=existing.number or _l("draft")))
    invoice = _new(actor, K.INVOICE, job.client, job_id=job.id, quote_id=job.quote_id, section_id=job.section_id,
                   title=job.title, delivery_date=job.delivered_on)
    invoice.lines = [copy_line(line, InvoiceLine) for line in job.lines]
    invoice.deposits = _open_deposits(job.quote_id)
    refresh_totals(invoice)
    db.session.flush()
    record_action(actor, "invoice.draft", invoice, {"job": job.number})
    return invoice


def draft_deposit(actor, quote: Quote, *, today: date) -> Invoice:
    """A deposit invoice for the share asked at acceptance, with VAT (DEP-01, DEP-04), one line per VAT rate."""
    if quote.status is not QuoteStatus.ACCEPTED:
        raise IllegalTransition(_l("A deposit is invoiced on an accepted quote."))
    if not quote.deposit_percent:
        raise ValidationFailed(_l("This quote asks for no deposit."))
    if _open_deposits(quote.id) or db.session.scalar(select(Invoice.id).where(
            Invoice.quote_id == quote.id, Invoice.kind == K.DEPOSIT, Invoice.number.is_(None))):
        raise IllegalTransition(_l("A deposit invoice already exists for this quote."))
    invoice = _new(actor, K.DEPOSIT, quote.client, quote_id=quote.id, section_id=quote.section_id,
                   title=f"Acompte de {quote.deposit_percent.normalize():f} % — {quote.title}".replace(".", ","))
    nets: dict[tuple, Decimal] = {}
    for line in quote.lines:  # one deposit line per VAT rate and nature, so VAT and INV-08 stay right
        nets[(line.vat_rate, line.nature)] = nets.get((line.vat_rate, line.nature), ZERO) + line.net
    for position, ((rate, nature), net) in enumerate(sorted(nets.items()), start=1):
        share = percent_of(net, quote.deposit_percent)
        invoice.lines.append(InvoiceLine(
            position=position, label=f"Acompte sur le devis {quote.number} du {quote.issue_date:%d/%m/%Y}",
            quantity=Decimal(1), unit=Unit.FLAT_RATE, unit_price=share, vat_rate=rate, nature=nature, net=share))
    refresh_totals(invoice)
    db.session.flush()
    record_action(actor, "invoice.draft", invoice, {"quote": quote.number})
    return invoice


def draft_credit_note(actor, invoice: Invoice, *, full: bool = True) -> Invoice:
    """A credit note referencing the invoice (COR-06); full copies every line, partial starts empty."""
    if not invoice.is_issued or invoice.kind is K.CREDIT_NOTE:
        raise IllegalTransition(_l("A credit note corrects an issued invoice."))
    if creditable(invoice) <= 0:
        raise ValidationFailed(_l("This invoice is already wholly credited."))
    note = _new(actor, K.CREDIT_NOTE, invoice.client, credited_invoice_id=invoice.id, job_id=invoice.job_id,
                section_id=invoice.section_id, title=f"Avoir sur la facture {invoice.number}")
    if full:
        note.lines = [copy_line(line, InvoiceLine) for line in invoice.lines]
    refresh_totals(note)
    db.session.flush()
    record_action(actor, "invoice.draft", note, {"credits": invoice.number, "full": full})
    return note


def creditable(invoice: Invoice) -> Decimal:
    """What can still be credited on an invoice (its gross less the credit notes already issued or drafted)."""
    notes = db.session.scalars(select(Invoice).where(Invoice.credited_invoice_id == invoice.id)).all()
    return invoice.total_gross - sum((n.total_gross for n in notes if n.is_issued), ZERO)


def add_line(actor, invoice: Invoice, *, version, item=None, **values) -> InvoiceLine:
    """Add a line to a draft (a counter sale, a correction of the job's lines, a partial credit)."""
    check_version(invoice, version)
    _require_draft(invoice)
    if item is not None:
        values = dict(label=item.label, unit=item.unit, unit_price=item.unit_price, vat_rate=item.vat_rate,
                      nature=item.nature) | {k: v for k, v in values.items() if v not in (None, "")}
    values.setdefault("discount_percent", ZERO)
    line = InvoiceLine(position=len(invoice.lines) + 1, catalog_item_id=item.id if item else None,
                       **line_values(**values))
    invoice.lines.append(line)
    refresh_totals(invoice)
    return line


def update_line(actor, invoice: Invoice, line: InvoiceLine, *, version, **values) -> InvoiceLine:
    """Change a line of a draft."""
    check_version(invoice, version)
    _require_draft(invoice)
    for name, value in line_values(**values).items():
        setattr(line, name, value)
    refresh_totals(invoice)
    return line


def remove_line(actor, invoice: Invoice, line: InvoiceLine, *, version) -> None:
    """Remove a line of a draft."""
    check_version(invoice, version)
    _require_draft(invoice)
    invoice.lines.remove(line)
    for position, other in enumerate(invoice.lines, start=1):
        other.position = position
    refresh_totals(invoice)


def update_heading(actor, invoice: Invoice, *, version, title: str, purchase_order: str, delivery_date: date | None,
                   notes: str) -> Invoice:
    """Change a draft's title, the buyer's order number (INV-11), the date of sale (INV-10) and notes."""
    check_version(invoice, version)
    _require_draft(invoice)
    invoice.title, invoice.purchase_order, invoice.delivery_date, invoice.notes = (
        title, purchase_order.strip(), delivery_date, notes)
    invoice.updated_at = utcnow()
    return invoice


def delete_draft(actor, invoice: Invoice) -> None:
    """A draft has no number and may be thrown away; an issued invoice never."""
    _require_draft(invoice)
    record_action(actor, "invoice.delete_draft", invoice)
    db.session.delete(invoice)
