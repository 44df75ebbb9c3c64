"""In a real browser: delivered job → invoice → issue → the client opens the link on a phone → payment."""
import re
from datetime import date

import pytest
from sqlalchemy import select

from erp.auth.models import Role
from erp.invoicing.models import Invoice, InvoiceStatus
from erp.mail.models import MailMessage
from tests.browser.conftest import DESKTOP, PHONE, login, text

pytestmark = pytest.mark.browser


def test_delivered_job_to_paid_invoice(live_server, browser, shoot, db, school, make_user, make_invoice):
    """The accountant invoices, the client reads it on a phone, the accountant records the transfer."""
    accountant = make_user(Role.ACCOUNTANT, email="compta@example.org", name="Marc Dubois")
    job = make_invoice(issue=False, today=date.today()).job
    db.session.delete(db.session.scalar(select(Invoice)))
    job.client.email = "client@example.org"
    db.session.commit()

    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    login(desk, live_server, accountant)
    desk.goto(f"{live_server}/invoices/")
    desk.click("text=Préparer la facture")
    assert "Brouillon prêt" in text(desk)
    desk.get_by_role("button", name="Émettre").click()
    number = f"F-{date.today().year}-00001"
    assert number in text(desk) and "Émise" in text(desk)
    desk.get_by_role("button", name="Envoyer par e-mail").click()
    shoot(desk, "invoice-1-issued-desktop")

    body = db.session.scalar(select(MailMessage.body).order_by(MailMessage.id.desc()))
    link = re.search(r"http://127\.0\.0\.1:\d+/p/i/\S+", body).group(0)
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    phone.goto(link)
    assert number in text(phone) and "Reste à payer" in text(phone) and "1 200,00 €" in text(phone)
    shoot(phone, "invoice-2-client-phone")

    invoice = db.session.scalar(select(Invoice))
    desk.goto(f"{live_server}/invoices/{invoice.id}")
    desk.fill("#amount", "1200")
    desk.fill("#reference", "VIR CLIENT 2211")
    desk.click("text=Enregistrer le règlement")
    assert "Règlement enregistré" in text(desk)
    shoot(desk, "invoice-3-paid-desktop")
    db.session.refresh(invoice)
    assert invoice.status is InvoiceStatus.PAID
    phone.goto(link)
    assert "Réglée" in text(phone)
