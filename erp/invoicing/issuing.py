"""Issuing: the checks a legal French invoice needs, then number, snapshot, PDF and journal in one transaction."""
import hashlib
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from erp.audit.services import record_action
from erp.clients.models import Client
from erp.columns import utcnow
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.invoicing import journal
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
from erp.invoicing.payments import refresh_status
from erp.invoicing.services import InvoiceAlreadyIssued, creditable
from erp.jobs import work
from erp.numbering import format_number, next_value
from erp.settings.models import School
from erp.settings.services import get_school

K = InvoiceKind
CLIENT_SNAPSHOT = ("name", "kind", "siren", "siret", "vat_number", "email", "address_line1", "address_line2",
                   "postcode", "city", "country_code", "site_line1", "site_line2", "site_postcode", "site_city",
                   "chorus_service_code", "chorus_engagement")
SCHOOL_SNAPSHOT = ("legal_name", "address_line1", "address_line2", "postcode", "city", "country_code", "email",
                   "phone", "website", "siren", "siret", "rna", "vat_number", "vat_regime", "vat_on_debits", "iban",
                   "bic", "payment_terms_days", "late_penalty_rate", "insurance_mention")


def _snapshot(record, fields) -> dict:
    values = {}
    for name in fields:
        value = getattr(record, name, "")
        values[name] = value.value if hasattr(value, "value") else (str(value) if value is not None else "")
    return values


def check_issuable(invoice: Invoice, school: School) -> None:
    """Refuse, with what to fix, a document that would break a mandatory mention (INV-04, INV-06, COR-06)."""
    if invoice.is_issued:
        raise InvoiceAlreadyIssued()
    if not invoice.lines:
        raise ValidationFailed(_l("An invoice needs at least one line."))
    if invoice.total_gross <= 0:
        raise ValidationFailed(_l("The total must be more than zero."))
    if not (school.siren and school.legal_name and school.address_line1 and school.city):
        raise ValidationFailed(_l("The school's name, address and SIREN must be set in the settings first."))
    client: Client = invoice.client
    if client.kind.requires_siren and not client.siren:
        raise ValidationFailed(_l("%(client)s is a business: add its SIREN to the client before issuing.",
                                  client=client.name))
    if not (client.address_line1 and client.postcode and client.city):
        raise ValidationFailed(_l("The client's address is incomplete."))
    if invoice.kind is K.CREDIT_NOTE:
        original = invoice.credited_invoice
        if original is None or not original.is_issued:
            raise ValidationFailed(_l("A credit note must reference an issued invoice."))
        if invoice.total_gross > creditable(original):
            raise ValidationFailed(_l("The credit note exceeds what remains creditable on %(number)s (%(amount)s).",
                                      number=original.number, amount=f"{creditable(original)} €"))
        by_rate = {g.rate: g.net for g in original.totals().groups}
        if any(g.net > by_rate.get(g.rate, 0) for g in invoice.totals().groups):
            raise ValidationFailed(_l("A credit note can only use the VAT rates of the invoice, up to their bases."))


def due_date(invoice: Invoice, school: School, day: date) -> date:
    """Deposits are due at once; otherwise the client's terms, or the school's (INV-16, INV-20)."""
    if invoice.kind is not K.INVOICE:
        return day
    days = invoice.client.payment_terms_days
    return day + timedelta(days=school.payment_terms_days if days is None else days)


def issue_invoice(actor, invoice: Invoice, *, today: date, render=None) -> Invoice:
    """Give the next number of the series, freeze the snapshot and the Factur-X PDF, and chain it in the journal.

    Everything lands in the caller's transaction: if anything fails the number is not consumed (COR-01).
    The invoice row is written in one UPDATE, because once it carries a number the database freezes it.
    """
    from erp.einvoicing.document import facturx_pdf

    school = get_school()
    check_issuable(invoice, school)
    series = invoice.kind.series
    value = next_value(series, today.year)
    with db.session.no_autoflush:  # rendering queries must not write the numbered row before its PDF is set
        invoice.number = format_number(series, today.year, value, 5)
        invoice.status = InvoiceStatus.ISSUED
        invoice.issue_date, invoice.due_date = today, due_date(invoice, school, today)
        invoice.snapshot = {"client": _snapshot(invoice.client, CLIENT_SNAPSHOT),
                            "school": _snapshot(school, SCHOOL_SNAPSHOT)}
        invoice.issued_at, invoice.issued_by_id = utcnow(), getattr(actor, "id", None)
        invoice.pdf = (render or facturx_pdf)(invoice)
        invoice.pdf_sha256 = hashlib.sha256(invoice.pdf).hexdigest()
    db.session.flush()
    journal.append(invoice.kind.value, invoice.id, journal.invoice_payload(invoice))
    record_action(actor, "invoice.issue", invoice, {"number": invoice.number, "gross": str(invoice.total_gross)})
    if invoice.kind is K.INVOICE and invoice.job is not None and invoice.job.status.value == "delivered":
        work.mark_invoiced(actor, invoice.job)
    if invoice.kind is K.CREDIT_NOTE:
        original = invoice.credited_invoice
        original.credited_amount = db.session.scalar(
            select(func.coalesce(func.sum(Invoice.total_gross), 0)).where(
                Invoice.credited_invoice_id == original.id, Invoice.number.is_not(None)))
        refresh_status(original)
    return invoice
