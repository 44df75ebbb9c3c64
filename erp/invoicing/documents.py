"""The invoice PDF, rendered from the snapshot frozen at issue (INV-01..23, COR-06, DEP-03)."""
from types import SimpleNamespace

from erp.documents.mentions import nature_label, vat_regime_mention
from erp.documents.pdf import logo_data_uri, render_pdf
from erp.invoicing.models import Invoice, InvoiceKind
from erp.settings.models import VatRegime
from erp.settings.services import get_school


def _parties(invoice: Invoice):
    """Seller and buyer as frozen at issue (or, for a draft preview, as they are now)."""
    from erp.invoicing.issuing import CLIENT_SNAPSHOT, SCHOOL_SNAPSHOT, _snapshot

    snapshot = invoice.snapshot or {"client": _snapshot(invoice.client, CLIENT_SNAPSHOT),
                                    "school": _snapshot(get_school(), SCHOOL_SNAPSHOT)}
    return SimpleNamespace(**snapshot["school"]), SimpleNamespace(**snapshot["client"])


def invoice_context(invoice: Invoice) -> dict:
    """Everything the invoice template prints."""
    seller, buyer = _parties(invoice)
    school = get_school()
    business = buyer.kind in ("company", "public_body", "association")
    site = [line for line in (buyer.site_line1, buyer.site_line2, f"{buyer.site_postcode} {buyer.site_city}".strip())
            if line] if buyer.site_line1 else []
    if invoice.quote is not None and invoice.quote.site_address.strip():  # the work site named on the quote
        site = [line for line in invoice.quote.site_address.splitlines() if line.strip()]
    return dict(
        invoice=invoice, seller=seller, buyer=buyer, business=business, site_lines=site, totals=invoice.totals(),
        logo=logo_data_uri(school), show_vat=seller.vat_regime == VatRegime.LIABLE.value,
        vat_mention=vat_regime_mention(SimpleNamespace(vat_regime=VatRegime(seller.vat_regime))),
        vat_on_debits=seller.vat_on_debits in (True, "True"), nature_label=nature_label(
            line.nature for line in invoice.lines),
        has_discount=any(line.discount_percent for line in invoice.lines),
        is_credit_note=invoice.kind is InvoiceKind.CREDIT_NOTE, draft=not invoice.is_issued)


def invoice_pdf(invoice: Invoice) -> bytes:
    """Render the invoice (a draft is marked as such and has no number)."""
    return render_pdf("documents/invoice.html", **invoice_context(invoice))
