"""The quote PDF holds the numbers and the mentions a French quote needs (DEV-01..12, INV-15), read back with pypdf."""
import io
from decimal import Decimal

from pypdf import PdfReader

from erp.clients.models import ClientKind
from erp.quotes.documents import quote_pdf
from erp.settings.models import VatRegime
from erp.settings.services import get_school

D = Decimal


def _text(quote) -> str:
    reader = PdfReader(io.BytesIO(quote_pdf(quote)))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages).replace("\u202f", " ")


def _school(db, **changes):
    school = get_school()
    school.legal_name, school.siren, school.siret = "École de Production de Dole", "732829320", "73282932000074"
    school.vat_number, school.address_line1, school.postcode, school.city = "FR44732829320", "12 rue des Forges", \
        "39100", "Dole"
    school.insurance_mention = "Assurance décennale MAIF n° 4512678"
    for name, value in changes.items():
        setattr(school, name, value)
    db.session.commit()


def test_quote_pdf_has_numbers_and_mentions(db, make_quote, make_client):
    """Title, number, dates, school and client identity, lines, VAT per rate, totals, deposit, terms, signature."""
    _school(db)
    quote = make_quote(lines=[(D("2"), D("1200"), D("20.00")), (D("1"), D("350.50"), D("10.00"))],
                       client=make_client(name="SCI Les Tilleuls"), deposit=D("30"))
    text = _text(quote)
    assert text.startswith("École de Production de Dole") and "DEVIS" in text
    for expected in (quote.number, "Valable jusqu’au", "École de Production de Dole", "SIREN 732829320",
                     "FR44732829320", "SCI Les Tilleuls", "Lieu d’exécution des travaux", "Ligne 1200",
                     "2 400,00 €", "350,50 €", "Total HT", "2 750,50 €", "Total TVA", "515,05 €", "Total TTC",
                     "3 265,55 €", "Acompte à la commande (30 %)", "979,67 €", "Taux horaire de main-d’œuvre",
                     "Devis gratuit", "Assurance décennale MAIF", "Bon pour accord", "prestation de services"):
        assert expected.lower() in text.lower(), expected  # box titles are upper-cased by CSS


def test_reduced_rate_brings_the_certification_text(db, make_quote):
    """DEV-12 / VAT-04: a 10 % line prints the client's certification sentence."""
    _school(db)
    assert "achevés depuis plus de deux ans" in _text(make_quote(lines=[(D("1"), D("100"), D("10.00"))]))
    assert "achevés depuis plus de deux ans" not in _text(make_quote())


def test_franchise_school_prints_the_293_b_mention_and_no_vat(db, make_quote):
    """INV-15: no VAT column or total, and “TVA non applicable, art. 293 B du CGI”."""
    _school(db, vat_regime=VatRegime.FRANCHISE, vat_number="")
    text = _text(make_quote(lines=[(D("1"), D("500"), D("20.00"))]))
    assert "TVA non applicable, art. 293 B du CGI" in text
    assert "Total TVA" not in text and "Total net" in text


def test_the_estimate_never_reaches_the_pdf(db, make_quote):
    """The internal cost and margin stay internal."""
    from erp.quotes import services

    _school(db)
    quote = make_quote()
    services.set_estimate(None, quote, version=quote.version, student_hours=D("7"), craftsman_hours=D("1"),
                          labour_rate=D("41.37"), other_costs=D("13.13"), other_costs_note="Secret")
    text = _text(quote)
    assert "Secret" not in text and "41,37" not in text and "marge" not in text.lower()


def test_markup_in_names_is_printed_as_text(db, make_quote, make_client):
    """A client name with HTML is printed literally, not interpreted."""
    _school(db)
    text = _text(make_quote(client=make_client(name="<b>Bold</b> & Co", kind=ClientKind.COMPANY)))
    assert "<b>Bold</b> & Co" in text
