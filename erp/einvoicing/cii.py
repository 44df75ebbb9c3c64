"""The CII XML of an issued document (Factur-X EN 16931), built with drafthorse from what was frozen at issue:
the snapshot of the school and the client, the lines, the totals (france-invoicing.md §3.3)."""
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from drafthorse.models.accounting import ApplicableTradeTax
from drafthorse.models.document import Document
from drafthorse.models.note import IncludedNote
from drafthorse.models.party import TaxRegistration
from drafthorse.models.payment import PaymentMeans, PaymentTerms
from drafthorse.models.tradelines import LineItem

from erp.catalog.models import Nature
from erp.documents.mentions import VAT_REGIME_MENTIONS, payment_terms_text
from erp.invoicing.models import Invoice, InvoiceKind
from erp.money import compute_totals
from erp.settings.models import VatRegime

PROFILE = "urn:cen.eu:en16931:2017"  # BT-24, EN 16931 (§3.2)
SIREN_SCHEME, ROUTING_SCHEME, EMAIL_SCHEME, VAT_SCHEME, TAX_NUMBER_SCHEME = "0002", "0225", "EM", "VA", "FC"
SEPA_TRANSFER = "58"
#: VAT category (BT-118/151) and exemption code (BT-121) of each regime (§1.3)
EXEMPTIONS = {VatRegime.FRANCHISE: ("E", "VATEX-FR-FRANCHISE"), VatRegime.EXEMPT: ("E", "VATEX-FR-CGI261-7")}


@dataclass(frozen=True)
class Parties:
    """The school and the client as frozen at issue."""

    seller: dict
    buyer: dict

    @property
    def regime(self) -> VatRegime:
        return VatRegime(self.seller["vat_regime"])

    @property
    def business(self) -> bool:
        """B2B (the buyer has a SIREN) or B2C, the BAR note of BR-FR-20."""
        return bool(self.buyer.get("siren"))


def business_process(invoice: Invoice) -> str:
    """BT-23: B (goods), S (services) or M (both), then 1 (normal) or 4 (final invoice after deposits)."""
    natures = {line.nature for line in invoice.lines}
    letter = "B" if natures == {Nature.GOODS} else "S" if natures == {Nature.SERVICES} else "M"
    return letter + ("4" if invoice.deposits else "1")


def _note(document: Document, subject: str, text: str) -> None:
    note = IncludedNote()
    note.subject_code = subject
    note.content = text
    document.header.notes.add(note)


def _address(target, party: dict) -> None:
    target.line_one = party["address_line1"]
    if party.get("address_line2"):
        target.line_two = party["address_line2"]
    target.postcode, target.city_name = party["postcode"], party["city"]
    target.country_id = party.get("country_code") or "FR"


def _notes(document: Document, invoice: Invoice, parties: Parties) -> None:
    seller = parties.seller
    rate = str(seller["late_penalty_rate"]).replace(".", ",")
    _note(document, "PMD", f"En cas de retard de paiement, des pénalités sont exigibles sans rappel au taux annuel "
                           f"de {rate} %.")
    _note(document, "PMT", "Indemnité forfaitaire pour frais de recouvrement de 40 € due à tout professionnel en "
                           "retard de paiement (art. L441-10 et D441-5 du Code de commerce).")
    _note(document, "AAB", "Pas d’escompte pour paiement anticipé.")
    _note(document, "BAR", "B2B" if parties.business else "B2C")
    if parties.regime in VAT_REGIME_MENTIONS:
        _note(document, "TXD", VAT_REGIME_MENTIONS[parties.regime])
    if seller.get("insurance_mention"):
        _note(document, "ABL", seller["insurance_mention"])


def _seller(document: Document, parties: Parties) -> None:
    seller, party = parties.seller, document.trade.agreement.seller
    party.name = seller["legal_name"]
    party.legal_organization.id = (SIREN_SCHEME, seller["siren"])
    party.legal_organization.trade_name = seller["legal_name"]
    _address(party.address, seller)
    party.electronic_address.uri_ID = (ROUTING_SCHEME, seller["siren"])
    if seller.get("vat_number"):
        party.tax_registrations.add(TaxRegistration(id=(VAT_SCHEME, seller["vat_number"])))
    elif parties.regime is not VatRegime.LIABLE:  # an exempt seller still names its tax registration (BR-E-02)
        party.tax_registrations.add(TaxRegistration(id=(TAX_NUMBER_SCHEME, seller["siren"])))


def _buyer(document: Document, invoice: Invoice, parties: Parties) -> None:
    buyer, party = parties.buyer, document.trade.agreement.buyer
    party.name = buyer["name"]
    if parties.business:
        party.legal_organization.id = (SIREN_SCHEME, buyer["siren"])
        party.electronic_address.uri_ID = (ROUTING_SCHEME, buyer["siren"])
    else:
        party.electronic_address.uri_ID = (EMAIL_SCHEME, buyer["email"])
    _address(party.address, buyer)
    if buyer.get("vat_number"):
        party.tax_registrations.add(TaxRegistration(id=(VAT_SCHEME, buyer["vat_number"])))
    agreement = document.trade.agreement
    # a public body's Chorus Pro service code and engagement number (FX-04)
    agreement.buyer_reference = buyer.get("chorus_service_code") or invoice.purchase_order or invoice.number
    order = buyer.get("chorus_engagement") or invoice.purchase_order
    if order:
        agreement.buyer_order.issuer_assigned_id = order


def _delivery(document: Document, invoice: Invoice, parties: Parties) -> None:
    buyer = parties.buyer
    document.trade.delivery.event.occurrence = invoice.delivery_date or invoice.issue_date  # BT-72 (INV-10)
    if buyer.get("site_line1"):  # BG-15, the work site (INV-07)
        ship_to = document.trade.delivery.ship_to
        ship_to.name = buyer["name"]
        ship_to.address.line_one = buyer["site_line1"]
        if buyer.get("site_line2"):
            ship_to.address.line_two = buyer["site_line2"]
        ship_to.address.postcode, ship_to.address.city_name = buyer["site_postcode"], buyer["site_city"]
        ship_to.address.country_id = "FR"


def _category(rate: Decimal, parties: Parties) -> tuple[str, str]:
    if parties.regime in EXEMPTIONS:
        return EXEMPTIONS[parties.regime]
    return ("S", "") if rate > 0 else ("Z", "")


def _trim(value: Decimal) -> Decimal:
    """No trailing zeros and never an exponent: 8920.0000 → 8920, 12.5000 → 12.5."""
    text = format(value, "f")
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


def _net_price(line) -> Decimal:
    """BT-146, after the line's discount; at most 6 decimals (BR-FR-DEC-03)."""
    price = line.unit_price * (Decimal(100) - line.discount_percent) / Decimal(100)
    return _trim(price.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))


def _lines(document: Document, invoice: Invoice, parties: Parties) -> None:
    for line in invoice.lines:
        item = LineItem()
        item.document.line_id = str(line.position)
        item.product.name = line.label.splitlines()[0][:200] if line.label.strip() else "—"
        if line.discount_percent:
            item.agreement.gross.amount = _trim(line.unit_price)
        item.agreement.net.amount = _net_price(line)
        item.delivery.billed_quantity = (_trim(line.quantity), line.unit.uncefact_code)
        category, _code = _category(line.vat_rate, parties)
        item.settlement.trade_tax.type_code = "VAT"
        item.settlement.trade_tax.category_code = category
        item.settlement.trade_tax.rate_applicable_percent = line.vat_rate
        item.settlement.monetary_summation.total_amount = line.net
        document.trade.items.add(item)


def _taxes(document: Document, invoice: Invoice, parties: Parties) -> None:
    for group in compute_totals((line.net, line.vat_rate) for line in invoice.lines).groups:
        tax = ApplicableTradeTax()
        tax.calculated_amount, tax.basis_amount = group.vat, group.net
        tax.type_code = "VAT"
        tax.category_code, code = _category(group.rate, parties)
        if code:
            tax.exemption_reason = VAT_REGIME_MENTIONS[parties.regime]
            tax.exemption_reason_code = code
        elif parties.seller.get("vat_on_debits") in (True, "True"):
            tax.due_date_type_code = "5"  # VAT on the invoice's date (option for debits)
        tax.rate_applicable_percent = group.rate
        document.trade.settlement.trade_tax.add(tax)


def _settlement(document: Document, invoice: Invoice, parties: Parties) -> None:
    settlement, seller = document.trade.settlement, parties.seller
    settlement.currency_code = "EUR"
    if invoice.kind is not InvoiceKind.CREDIT_NOTE and seller.get("iban"):
        means = PaymentMeans()
        means.type_code = SEPA_TRANSFER
        means.payee_account.iban = seller["iban"]
        settlement.payment_means.add(means)
    terms = PaymentTerms()
    if invoice.kind is InvoiceKind.CREDIT_NOTE:
        terms.description = "Avoir à déduire ou à rembourser"
    else:
        days = (invoice.due_date - invoice.issue_date).days if invoice.due_date else 0
        terms.description = f"Paiement {payment_terms_text(days)}"
        terms.due = invoice.due_date or invoice.issue_date
    settlement.terms.add(terms)
    if invoice.kind is InvoiceKind.CREDIT_NOTE:  # BT-25/26: the invoice it corrects (COR-06)
        original = invoice.credited_invoice
        settlement.invoice_referenced_document.issuer_assigned_id = original.number
        settlement.invoice_referenced_document.issue_date_time = original.issue_date
    elif invoice.deposits:  # the deposit invoices a final invoice deducts
        first = invoice.deposits[0]
        settlement.invoice_referenced_document.issuer_assigned_id = first.number
        settlement.invoice_referenced_document.issue_date_time = first.issue_date
    totals = settlement.monetary_summation
    totals.line_total = sum((line.net for line in invoice.lines), Decimal("0.00"))
    totals.charge_total = totals.allowance_total = Decimal("0.00")
    totals.tax_basis_total = invoice.total_net
    totals.tax_total = (invoice.total_vat, "EUR")  # the only total the schema lets name its currency
    totals.grand_total = invoice.total_gross
    totals.prepaid_total = invoice.deposits_gross  # BT-113: the deposits already invoiced and deducted
    totals.due_amount = invoice.amount_due


def build_cii(invoice: Invoice) -> bytes:
    """The Factur-X EN 16931 XML of an issued invoice, deposit invoice or credit note; drafthorse checks the XSD."""
    parties = Parties(invoice.snapshot["school"], invoice.snapshot["client"])
    document = Document()
    document.context.business_parameter.id = business_process(invoice)
    document.context.guideline_parameter.id = PROFILE
    document.header.id = invoice.number
    document.header.type_code = invoice.kind.type_code
    document.header.issue_date_time = invoice.issue_date
    _notes(document, invoice, parties)
    _seller(document, parties)
    _buyer(document, invoice, parties)
    _delivery(document, invoice, parties)
    _lines(document, invoice, parties)
    _taxes(document, invoice, parties)
    _settlement(document, invoice, parties)
    return document.serialize(schema="FACTUR-X_EN16931")
