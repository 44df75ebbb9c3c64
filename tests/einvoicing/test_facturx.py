"""Every issued document is a Factur-X EN 16931 file that passes the offline checks (france-invoicing.md §3:
FX-V1 XSD, FX-V2 EN 16931 schematron, FX-V3 French CTC schematron, FX-V4 round trip, FX-V5 PDF/A-3), and
carries the database's figures (FX-02)."""
import io
from datetime import date
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader
from sqlalchemy import select

from erp.catalog.models import Nature, Unit
from erp.clients.models import ClientKind
from erp.einvoicing.document import embedded_xml
from erp.einvoicing.validation import check_facturx
from erp.errors import ValidationFailed
from erp.invoicing import issuing, services
from erp.invoicing.models import Invoice, InvoiceStatus
from erp.jobs.work_models import JobLine
from erp.money import compute_totals
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel
from erp.settings.models import VatRegime

D = Decimal
TODAY = date(2026, 11, 2)
NS = {"rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
      "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
      "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"}


class Cii:
    """The XML a Factur-X PDF carries, read with XPath."""

    def __init__(self, pdf: bytes):
        self.root = etree.fromstring(embedded_xml(pdf))

    def text(self, path: str) -> str:
        return self.root.xpath(f"string({path})", namespaces=NS).strip()

    def amount(self, path: str) -> Decimal:
        return D(self.text(path))

    def all(self, path: str) -> list:
        return self.root.xpath(path, namespaces=NS)

    def note(self, subject: str) -> str:
        return self.text(f"//ram:IncludedNote[ram:SubjectCode='{subject}']/ram:Content")


TOTALS = "//ram:SpecifiedTradeSettlementHeaderMonetarySummation"


def assert_valid(invoice: Invoice) -> Cii:
    """FX-V1..V5, and the figures of the XML are those of the database (FX-02)."""
    report = check_facturx(invoice.pdf)
    assert report.ok, report.lines()
    cii = Cii(invoice.pdf)
    assert cii.text("//rsm:ExchangedDocument/ram:ID") == invoice.number
    assert cii.text("//rsm:ExchangedDocument/ram:TypeCode") == invoice.kind.type_code
    assert cii.text("//rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString") == f"{invoice.issue_date:%Y%m%d}"
    assert cii.amount(f"{TOTALS}/ram:TaxBasisTotalAmount") == invoice.total_net
    assert cii.amount(f"{TOTALS}/ram:TaxTotalAmount") == invoice.total_vat
    assert cii.amount(f"{TOTALS}/ram:GrandTotalAmount") == invoice.total_gross
    assert cii.amount(f"{TOTALS}/ram:DuePayableAmount") == invoice.amount_due
    groups = {g.rate: g for g in compute_totals((line.net, line.vat_rate) for line in invoice.lines).groups}
    taxes = cii.all("//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax")
    assert len(taxes) == len(groups)
    for tax in taxes:
        group = groups[D(tax.findtext("ram:RateApplicablePercent", namespaces=NS))]
        assert D(tax.findtext("ram:BasisAmount", namespaces=NS)) == group.net
        assert D(tax.findtext("ram:CalculatedAmount", namespaces=NS)) == group.vat
    line_totals = [D(t) for t in cii.all("//ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount/text()")]
    assert line_totals == [line.net for line in invoice.lines]
    # the same number and total are printed on the PDF itself
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(invoice.pdf)).pages)
    text = text.replace("\u202f", " ").replace("\xa0", " ")
    assert invoice.number in text and _french(invoice.total_gross) in text
    return cii


def _french(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def _job_with(make_job, *lines):
    job = make_job()
    for position, (nature, quantity, price, rate) in enumerate(lines, start=1):
        job.lines.append(JobLine(position=position, label=f"Ligne {position}", quantity=D(quantity), unit=Unit.PIECE,
                                 unit_price=D(price), vat_rate=D(rate), nature=nature,
                                 net=(D(quantity) * D(price)).quantize(D("0.01"))))
    return job


def test_a_mixed_goods_and_services_invoice(db, make_job, make_invoice):
    """BT-23 M1, two VAT rates, the school's SIREN and routing address, the buyer's, the notes of BR-FR-05/06/20."""
    job = _job_with(make_job, (Nature.GOODS, "3", "412.50", "20.00"), (Nature.SERVICES, "7.5", "45.00", "10.00"))
    invoice = make_invoice(lines=(), job=job)
    cii = assert_valid(invoice)
    assert cii.text("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "M1"
    assert cii.text("//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID") == "urn:cen.eu:en16931:2017"
    seller = "//ram:SellerTradeParty"
    assert cii.text(f"{seller}/ram:SpecifiedLegalOrganization/ram:ID") == "732829320"
    assert cii.text(f"{seller}/ram:SpecifiedLegalOrganization/ram:ID/@schemeID") == "0002"
    assert cii.text(f"{seller}/ram:URIUniversalCommunication/ram:URIID/@schemeID") == "0225"
    assert cii.text("//ram:BuyerTradeParty/ram:URIUniversalCommunication/ram:URIID").startswith(
        invoice.client.siren)
    assert cii.note("BAR") == "B2B" and "40 €" in cii.note("PMT") and "12,15 %" in cii.note("PMD")
    assert cii.note("AAB") == "Pas d’escompte pour paiement anticipé."
    assert cii.text("//ram:PayeePartyCreditorFinancialAccount/ram:IBANID") == "FR7630001007941234567890185"
    assert cii.text("//ram:BilledQuantity[../../ram:AssociatedDocumentLineDocument/ram:LineID='2']") == "7.5"


def _accepted_quote(db, make_quote):
    quote = make_quote(lines=[(D("1"), D("1200.00"), D("20.00")), (D("1"), D("500.00"), D("10.00"))],
                       deposit=D("30"))
    quotes.send_quote(None, quote, today=TODAY)
    quotes.accept_quote(None, quote, today=TODAY, name="Client", channel=AcceptanceChannel.PAPER, vat_certified=True)
    db.session.commit()
    return quote


def test_a_deposit_invoice_and_its_final_invoice(db, school, make_quote):
    """386 for the deposit; the final invoice is S4, references it and deducts it as prepaid (BT-113)."""
    from erp.jobs import work

    quote = _accepted_quote(db, make_quote)
    deposit = services.draft_deposit(None, quote, today=TODAY)
    issuing.issue_invoice(None, deposit, today=TODAY)
    job = work.create_job_from_quote(None, quote, today=TODAY)
    work.start_job(None, job, today=TODAY)
    work.finish_job(None, job, today=TODAY)
    work.deliver_job(None, job, day=TODAY)
    final = services.draft_from_job(None, job, today=TODAY)
    issuing.issue_invoice(None, final, today=TODAY)
    db.session.commit()
    cii = assert_valid(deposit)
    assert cii.text("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "S1"
    cii = assert_valid(final)
    assert cii.text("//ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID") == "S4"
    assert cii.amount(f"{TOTALS}/ram:TotalPrepaidAmount") == deposit.total_gross == final.deposits_gross
    assert cii.text("//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == deposit.number


def test_a_credit_note_references_its_invoice(db, make_invoice):
    invoice = make_invoice(lines=[(D("2"), D("150.00"), D("20.00"))])
    note = services.draft_credit_note(None, invoice, full=True)
    issuing.issue_invoice(None, note, today=TODAY)
    db.session.commit()
    cii = assert_valid(note)
    assert cii.text("//ram:InvoiceReferencedDocument/ram:IssuerAssignedID") == invoice.number  # BT-25
    assert cii.text("//ram:InvoiceReferencedDocument/ram:FormattedIssueDateTime/*") == f"{invoice.issue_date:%Y%m%d}"


def test_a_school_under_the_vat_franchise(db, school, make_invoice):
    """No VAT: category E with VATEX-FR-FRANCHISE and the 293 B mention; without a VAT number, the seller's tax
    registration is its SIREN (BR-E-02)."""
    school.vat_regime, school.vat_number = VatRegime.FRANCHISE, ""
    db.session.commit()
    invoice = make_invoice(lines=[(D("1"), D("800.00"), D("0.00"))])
    cii = assert_valid(invoice)
    tax = "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax"
    assert (cii.text(f"{tax}/ram:CategoryCode"), cii.text(f"{tax}/ram:ExemptionReasonCode")) == (
        "E", "VATEX-FR-FRANCHISE")
    assert cii.note("TXD") == "TVA non applicable, art. 293 B du CGI"
    assert cii.text("//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/ram:ID[@schemeID='FC']") == "732829320"


def test_a_public_body_carries_its_chorus_pro_references(db, make_invoice):
    """FX-04: the service code as buyer reference (BT-10), the engagement as order reference (BT-13)."""
    invoice = make_invoice(kind=ClientKind.PUBLIC_BODY, name="Mairie de Dole", chorus_service_code="SERV-TECH",
                           chorus_engagement="EJ-2026-0042")
    cii = assert_valid(invoice)
    assert cii.text("//ram:BuyerReference") == "SERV-TECH"
    assert cii.text("//ram:BuyerOrderReferencedDocument/ram:IssuerAssignedID") == "EJ-2026-0042"


@pytest.mark.parametrize("change, message", [
    (lambda school, client: setattr(client, "siren", ""), "ajoutez son SIREN"),
    (lambda school, client: (setattr(client, "kind", ClientKind.INDIVIDUAL), setattr(client, "siren", ""),
                             setattr(client, "siret", ""), setattr(client, "email", "")), "adresse électronique"),
    (lambda school, client: setattr(school, "siren", "73282932"), "BR-FR-10"),
])
def test_data_that_would_break_the_rules_is_refused_at_issue(db, school, make_invoice, change, message):
    """Refused with what to fix, and no number consumed: the next document still gets F-…-00001."""
    draft = make_invoice(issue=False)
    change(school, draft.client)
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        issuing.issue_invoice(None, draft, today=TODAY)
    assert message in str(refused.value.message)
    db.session.rollback()
    assert db.session.scalar(select(Invoice.number).where(Invoice.id == draft.id)) is None
    assert db.session.get(Invoice, draft.id).status is InvoiceStatus.DRAFT


def test_the_check_command_passes_a_facturx_and_names_what_a_plain_pdf_lacks(app, make_invoice, tmp_path):
    from erp.invoicing.documents import invoice_pdf

    invoice = make_invoice()
    good, plain = tmp_path / "facture.pdf", tmp_path / "plain.pdf"
    good.write_bytes(invoice.pdf)
    plain.write_bytes(invoice_pdf(invoice))  # the same document without its XML
    runner = app.test_cli_runner()
    passed = runner.invoke(args=["check-facturx", str(good)])
    assert passed.exit_code == 0 and "passes FX-V1 to FX-V5" in passed.output
    failed = runner.invoke(args=["check-facturx", str(plain)])
    assert failed.exit_code == 1 and "FX-V4" in failed.output


def test_the_client_receives_the_facturx_file(client, login, db, make_invoice, smtp_server):
    """E-mail is the default channel: the attachment is the stored Factur-X, byte for byte."""
    from erp.auth.models import Role

    invoice = make_invoice()
    login(Role.ACCOUNTANT)
    response = client.post(f"/invoices/{invoice.id}/send")
    assert response.status_code == 302
    attachment = next(part for part in smtp_server[0].walk() if part.get_content_type() == "application/pdf")
    assert attachment.get_payload(decode=True) == invoice.pdf
    assert check_facturx(attachment.get_payload(decode=True), schematron=False).ok
