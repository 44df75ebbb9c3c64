"""The quote as a PDF."""
from erp.documents.mentions import nature_label, payment_terms_text, vat_regime_mention
from erp.documents.pdf import logo_data_uri, render_pdf
from erp.money import percent_of
from erp.quotes.models import Quote
from erp.settings.models import VatRegime
from erp.settings.services import get_school


def quote_pdf(quote: Quote) -> bytes:
    """Render the quote with every DEV-* mention that applies; the internal estimate never appears."""
    school = get_school()
    client = quote.client
    site_lines = [line for line in quote.site_address.splitlines() if line.strip()] or client.site_address \
        or client.billing_address
    totals = quote.totals()
    return render_pdf(
        "documents/quote.html", quote=quote, school=school, client=client, logo=logo_data_uri(school),
        site_lines=site_lines, totals=totals, show_vat=school.vat_regime is VatRegime.LIABLE,
        has_discount=any(line.discount_percent for line in quote.lines), vat_mention=vat_regime_mention(school),
        nature_label=nature_label(line.nature for line in quote.lines),
        payment_terms=payment_terms_text(client.payment_terms_days if client.payment_terms_days is not None
                                         else school.payment_terms_days),
        deposit=percent_of(totals.gross, quote.deposit_percent) if quote.deposit_percent else None)
