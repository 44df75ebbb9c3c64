"""The whole flow in one real browser session (issue 9): the director sets up a team; a craftsman makes a client and
a quote and sends it; the client accepts on a phone; the craftsman runs the job (team, hours on a phone, steel,
delivery); the accountant issues the invoice, records the payment and downloads the Excel export, opened here."""
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from erp.auth.models import Role
from erp.catalog import stock
from erp.catalog.models import CatalogItem, Material, Nature, Unit
from erp.invoicing.models import Invoice, InvoiceStatus
from erp.jobs.models import Student, Team
from erp.jobs.work_models import Job, JobStatus, TimeEntry
from erp.mail.models import MailMessage
from erp.quotes.models import Quote, QuoteStatus
from tests.browser.conftest import DESKTOP, PHONE, login, text

pytestmark = pytest.mark.browser


def _mail_link(db, pattern: str) -> str:
    body = db.session.scalar(select(MailMessage.body).order_by(MailMessage.id.desc()))
    return re.search(pattern, body).group(0)


def test_quote_to_paid_invoice_and_excel_export(live_server, browser, shoot, db, school, make_section, make_user,
                                                tmp_path):
    """Director → craftsman → client on a phone → craftsman → accountant, every step through the pages."""
    section = make_section(name="Métallerie", code="MET")
    director = make_user(Role.DIRECTOR, email="direction@example.org", name="Anne Fontaine")
    craftsman = make_user(Role.CRAFTSMAN, section=section, email="maitre@example.org", name="Bernard Lachaux")
    accountant = make_user(Role.ACCOUNTANT, email="compta@example.org", name="Marc Dubois")
    pupils = [Student(first_name=name, last_name="Durand", section_id=section.id, cohort="2025-2027",
                      entry_date=date(2025, 9, 1)) for name in ("Lucas", "Inès", "Hugo")]
    steel = Material(code="TUBE-40", label="Tube 40×40", unit=Unit.METRE, unit_cost=Decimal("6.80"))
    db.session.add_all([*pupils, steel, CatalogItem(
        code="MET-GC-ML", label="Garde-corps acier au mètre", unit=Unit.METRE, unit_price=Decimal("185"),
        vat_rate=Decimal("20.00"), nature=Nature.SERVICES, section_id=section.id)])
    db.session.flush()
    stock.receive(None, steel, quantity=Decimal("50"), unit_cost=Decimal("6.80"), day=date.today())
    db.session.commit()
    desktop = {"viewport": DESKTOP, "locale": "fr-FR"}

    # 1. The director looks at the dashboard and forms the team.
    boss = browser.new_context(**desktop).new_page()
    login(boss, live_server, director)
    boss.goto(f"{live_server}/dashboard")
    shoot(boss, "flow-1-director-dashboard")
    boss.goto(f"{live_server}/teams/new")
    boss.fill("#name", "Métal 1re année")
    boss.select_option("#section_id", label="Métallerie")
    boss.select_option("#lead_craftsman_id", label="Bernard Lachaux")
    for pupil in pupils:
        boss.check(f"input[name=member_ids][value='{pupil.id}']")
    boss.click("#submit")
    assert "Équipe enregistrée" in text(boss)

    # 2. The craftsman creates the client and the quote, and sends it.
    desk = browser.new_context(**desktop).new_page()
    login(desk, live_server, craftsman)
    desk.goto(f"{live_server}/clients/new")
    desk.select_option("#kind", "company")
    desk.fill("#name", "SCI Les Tilleuls")
    desk.fill("#siret", "732 829 320 00074")
    desk.fill("#email", "gestion@example.org")
    desk.fill("#address_line1", "4 rue des Tilleuls")
    desk.fill("#postcode", "39100")
    desk.fill("#city", "Dole")
    desk.click("#submit")
    assert "Client enregistré" in text(desk)
    desk.click("text=Nouveau devis")
    desk.fill("#title", "Garde-corps de la cage d’escalier")
    desk.fill("#deposit_percent", "0")
    desk.click("#submit")
    desk.select_option("#catalog_item_id", label="MET-GC-ML — Garde-corps acier au mètre")
    desk.fill("#quantity", "6,5")
    desk.click("text=Ajouter la ligne")
    desk.fill("#label", "Pose sur site")
    desk.fill("#quantity", "1")
    desk.select_option("#unit", "flat")
    desk.fill("#unit_price", "320")
    desk.click("text=Ajouter la ligne")
    assert "1 522,50 €" in text(desk)
    shoot(desk, "flow-2-quote-desktop")
    desk.click("text=Envoyer par e-mail")
    assert "Devis envoyé à gestion@example.org" in text(desk)

    # 3. The client opens the e-mailed link on a phone and accepts.
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    phone.goto(_mail_link(db, r"http://127\.0\.0\.1:\d+/p/q/\S+"))
    assert "1 827,00 €" in text(phone)
    phone.fill("#accept-name", "Hélène Tilleul")
    phone.check("#accept-agree")
    shoot(phone, "flow-3-client-accepts-phone")
    phone.get_by_role("button", name="Accepter le devis").click()
    assert "votre accord est enregistré" in text(phone)
    quote = db.session.scalar(select(Quote))
    db.session.refresh(quote)
    assert quote.status is QuoteStatus.ACCEPTED

    # 4. The craftsman makes the job, assigns the team, logs hours on a phone and the steel used, delivers.
    desk.goto(f"{live_server}/quotes/{quote.id}")
    desk.click("text=Créer l’OF")
    desk.click("text=Modifier l’affectation")
    desk.select_option("#team_id", label="Métal 1re année")
    desk.select_option("#lead_craftsman_id", label="Bernard Lachaux")
    for pupil in pupils:
        desk.check(f"input[name=student_ids][value='{pupil.id}']")
    desk.click("text=Affecter")
    assert "Affectation enregistrée" in text(desk)
    desk.click("text=Démarrer")
    job = db.session.scalar(select(Job))
    workshop = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    login(workshop, live_server, craftsman)
    workshop.goto(f"{live_server}/time?job={job.id}")
    workshop.fill("#hours", "3,5")
    workshop.fill("#supervision_hours", "1")
    workshop.fill("#description", "Débit et soudure des montants")
    shoot(workshop, "flow-4-hours-phone")
    workshop.click("text=Enregistrer les heures")
    assert "4 saisies enregistrées" in text(workshop)
    desk.goto(f"{live_server}/jobs/{job.id}")
    desk.select_option("#material_id", label="TUBE-40 — Tube 40×40")
    desk.fill("#quantity", "12,5")
    desk.click("text=Enregistrer la consommation")
    assert "Matière enregistrée" in text(desk)
    desk.click("text=Terminé")
    desk.fill("#received_by", "Hélène Tilleul")
    desk.get_by_role("button", name="Livré").click()
    assert "il est maintenant à facturer" in text(desk)
    shoot(desk, "flow-5-job-delivered-desktop")

    # 5. The accountant issues the invoice, records the transfer and downloads the Excel export.
    books = browser.new_context(accept_downloads=True, **desktop).new_page()
    login(books, live_server, accountant)
    books.goto(f"{live_server}/invoices/")
    books.click("text=Préparer la facture")
    books.get_by_role("button", name="Émettre").click()
    number = f"F-{date.today().year}-00001"
    assert number in text(books) and "1 827,00 €" in text(books)
    invoice = db.session.scalar(select(Invoice))
    books.fill("#amount", "1827")
    books.fill("#reference", "VIR SCI TILLEULS")
    books.click("text=Enregistrer le règlement")
    assert "Règlement enregistré" in text(books)
    shoot(books, "flow-6-invoice-paid-desktop")
    books.goto(f"{live_server}/accounting/exports")
    books.fill("#start_date", (date.today() - timedelta(days=31)).isoformat())
    books.fill("#end_date", date.today().isoformat())
    books.get_by_role("button", name="Exporter vers Excel").click()
    books.wait_for_selector("a:has-text('Télécharger')", timeout=60_000)  # the page refreshes itself meanwhile
    shoot(books, "flow-7-export-ready-desktop")
    with books.expect_download() as download:
        books.click("a:has-text('Télécharger')")
    workbook_path = tmp_path / "export.xlsx"
    download.value.save_as(workbook_path)

    workbook = load_workbook(workbook_path, read_only=True)
    assert workbook.sheetnames[:3] == ["Journal des ventes", "Écritures", "Règlements"]
    sales = [row for row in workbook["Journal des ventes"].iter_rows(values_only=True) if number in row]
    assert len(sales) == 1 and "SCI Les Tilleuls" in sales[0] and Decimal("1827.00") in map(_decimal, sales[0])
    payments = [row for row in workbook["Règlements"].iter_rows(values_only=True) if number in row]
    assert len(payments) == 1 and Decimal("1827.00") in map(_decimal, payments[0])
    workbook.close()

    db.session.expire_all()
    assert db.session.get(Invoice, invoice.id).status is InvoiceStatus.PAID
    assert db.session.get(Job, job.id).status is JobStatus.INVOICED
    assert len(db.session.scalars(select(TimeEntry)).all()) == 4
    assert db.session.scalar(select(Team.name)) == "Métal 1re année"


def _decimal(value):
    """A workbook number as an exact amount (cells hold floats), anything else as None."""
    return Decimal(str(value)).quantize(Decimal("0.01")) if isinstance(value, (int, float)) else None
