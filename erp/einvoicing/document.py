"""The issued document as one Factur-X file: the invoice PDF rendered as PDF/A-3b with its CII XML embedded."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from erp.documents.pdf import render_pdf
from erp.einvoicing.cii import build_cii
from erp.einvoicing.validation import XML_NAME, check_xml
from erp.errors import ValidationFailed
from erp.invoicing.documents import invoice_context
from erp.invoicing.models import Invoice


def check_e_invoice_data(invoice: Invoice) -> None:
    """Refuse, with what to fix, the data an EN 16931 / French CTC e-invoice cannot carry beyond what
    `issuing.check_issuable` already refuses (the school's and a business client's SIREN, BR-FR-10/11)."""
    buyer = invoice.snapshot["client"]
    if not buyer.get("siren") and not buyer.get("email"):
        raise ValidationFailed(_l("Add the e-mail address of %(client)s: an e-invoice needs the buyer's electronic "
                                  "address (BT-49).", client=buyer["name"]))
    for line in invoice.lines:
        if line.quantity.as_tuple().exponent < -4 or line.unit_price.as_tuple().exponent < -6:
            raise ValidationFailed(_l("Line %(n)s: at most 4 decimals for a quantity and 6 for a unit price.",
                                      n=line.position))


def facturx_pdf(invoice: Invoice) -> bytes:
    """Build and check the XML (the schematrons too, unless switched off), render the PDF/A-3b and embed the XML.

    A document whose XML breaks a rule is refused at issue: it is never issued broken."""
    from facturx import generate_from_binary

    check_e_invoice_data(invoice)
    xml = build_cii(invoice)
    report = check_xml(xml, schematron=current_app.config["FACTURX_SCHEMATRON_ON_ISSUE"])
    if not report.ok:
        raise ValidationFailed(_l("The e-invoice would break these rules, correct the invoice first: %(rules)s",
                                  rules="; ".join(report.lines())[:1000]))
    pdf = render_pdf("documents/invoice.html", pdf_variant="pdf/a-3b", identifier=invoice.number,
                     **invoice_context(invoice))
    seller = invoice.snapshot["school"]["legal_name"]
    return generate_from_binary(
        pdf, xml, flavor="factur-x", level="en16931", check_xsd=False, lang="fr-FR",
        pdf_metadata={"author": seller, "keywords": "Factur-X, facture électronique",
                      "title": f"{invoice.kind.title} {invoice.number}",
                      "subject": f"{invoice.kind.title} {invoice.number} de {seller}"})


def embedded_xml(pdf: bytes) -> bytes:
    """The XML a Factur-X PDF carries."""
    from facturx import get_xml_from_pdf

    name, xml = get_xml_from_pdf(pdf, check_xsd=False)
    if name != XML_NAME:
        raise ValueError(f"the PDF carries {name!r}, not {XML_NAME}")
    return xml
