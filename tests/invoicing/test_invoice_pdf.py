"""The issued PDF carries every mandatory mention (INV-01..21, COR-06, DEP-03), read back with pypdf."""
import io
import re
from datetime import date
from decimal import Decimal

from pypdf import PdfReader

from erp.clients.models import ClientKind
from erp.invoicing import issuing, services

D = Decimal
TODAY = date(2026, 11, 2)


def _text(pdf: bytes) -> str:
    pages = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages).replace("\u202f", " ")


def test_business_invoice_mentions(db, school, make_invoice):
    """Title, number, dates, both identities with SIREN, lines, VAT per rate, totals, due date, penalties, 40 €."""
    school.insurance_mention = "Assurance décennale MAIF n° 4512678"
    db.session.commit()
    invoice = make_invoice(lines=[(D("2"), D("500.00"), D("20.00")), (D("1"), D("100.00"), D("10.00"))],
                           site_line1="Chantier du parc", site_postcode="39100", site_city="Dole",
                           purchase_order="")
    text = _text(invoice.pdf)
    for expected in ("FACTURE", "F-2026-00001", "Date d’émission 02/11/2026", "École de Production de Dole",
                     "SIREN 732829320", "FR44732829320", invoice.client.name, f"SIREN {invoice.client.siren}",
                     "Chantier du parc", "prestation de services", "Ouvrage 1", "1 000,00 €", "Total HT", "1 100,00 €",
                     "20 % 1 000,00 € 200,00 €", "10 % 100,00 € 10,00 €", "Total TTC 1 310,00 €",
                     "Échéance 02/12/2026", "Pas d’escompte pour paiement anticipé", "pénalités",
                     "indemnité forfaitaire pour frais de recouvrement de 40 €", "FR7630001007941234567890185",
                     "Assurance décennale MAIF", "page 1 / 1"):
        assert expected.lower() in text.lower(), expected


def test_no_40_euro_indemnity_for_a_private_client(db, make_invoice):
    """B2C-04: consumers get no 40 € mention."""
    invoice = make_invoice(kind=ClientKind.INDIVIDUAL, siren="", siret="")
    assert "40 €" not in _text(invoice.pdf)


def test_vat_on_debits_mention_only_when_opted(db, school, make_invoice):
    """INV-09: the débits mention appears only if the school opted."""
    assert "d’après les débits" not in _text(make_invoice().pdf)
    school.vat_on_debits = True
    db.session.commit()
    assert "Option pour le paiement de la taxe d’après les débits" in _text(make_invoice().pdf)


def test_credit_note_references_the_invoice(db, make_invoice):
    """COR-06: “Avoir se rapportant à la facture n° … du …”."""
    invoice = make_invoice()
    note = services.draft_credit_note(None, invoice, full=True)
    issuing.issue_invoice(None, note, today=TODAY)
    text = _text(note.pdf)
    assert "AVOIR" in text and "AV-2026-00001" in text
    assert "se rapportant à la facture n° F-2026-00001 du 02/11/2026" in text


def test_draft_preview_is_marked_and_unnumbered(db, make_invoice):
    """A draft prints BROUILLON and no number."""
    from erp.invoicing.documents import invoice_pdf

    text = _text(invoice_pdf(make_invoice(issue=False)))
    assert "BROUILLON" in text and not re.search(r"(?<!O)F-2026", text)  # OF-2026-… is the job
