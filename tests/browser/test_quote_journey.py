"""In a real browser: create a client, price a quote, send it, the client accepts it on a phone."""
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from erp.auth.models import Role
from erp.catalog.models import CatalogItem, Nature, Unit
from erp.mail.models import MailMessage
from erp.quotes.models import Quote, QuoteStatus
from tests.browser.conftest import DESKTOP, PHONE
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def text(page) -> str:
    """The visible text, with the thin spaces of French numbers made plain."""
    return page.inner_text("body").replace("\u202f", " ").replace("\xa0", " ")


def test_client_to_accepted_quote(live_server, browser, shoot, db, make_user):
    """Craftsman: client → quote → lines → send; client: opens the link on a phone and accepts."""
    craftsman = make_user(Role.CRAFTSMAN, email="maitre@example.org", name="Bernard Lachaux")
    db.session.add(CatalogItem(code="MET-GC-ML", label="Garde-corps acier au mètre", unit=Unit.METRE,
                               unit_price=Decimal("185"), vat_rate=Decimal("20.00"), nature=Nature.SERVICES,
                               section_id=craftsman.section_id))
    db.session.commit()

    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    desk.goto(f"{live_server}/login")
    desk.fill("#email", craftsman.email)
    desk.fill("#password", PASSWORD)
    desk.click("button[type=submit], input[type=submit]")
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
    desk.fill("#deposit_percent", "30")
    desk.click("#submit")
    assert "Ajoutez ses lignes" in text(desk)
    desk.select_option("#catalog_item_id", label="MET-GC-ML — Garde-corps acier au mètre")
    desk.fill("#quantity", "6,5")
    desk.click("text=Ajouter la ligne")
    desk.fill("#label", "Pose sur site")
    desk.fill("#quantity", "1")
    desk.select_option("#unit", "flat")
    desk.fill("#unit_price", "320")
    desk.click("text=Ajouter la ligne")
    assert "1 522,50 €" in text(desk)  # 6,5 × 185 + 320 HT, 1 827,00 € TTC
    shoot(desk, "quote-1-draft-desktop")
    desk.click("text=Envoyer par e-mail")
    assert "Devis envoyé à gestion@example.org" in text(desk)

    message = db.session.scalar(select(MailMessage).order_by(MailMessage.id.desc()))
    link = re.search(r"http://127\.0\.0\.1:\d+/p/q/\S+", message.body).group(0)
    phone = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    phone.goto(link)
    assert "1 827,00 €" in text(phone)
    shoot(phone, "quote-2-client-phone")
    phone.fill("#accept-name", "Hélène Tilleul")
    phone.check("#accept-agree")
    phone.get_by_role("button", name="Accepter le devis").click()
    assert "votre accord est enregistré" in text(phone)
    shoot(phone, "quote-3-accepted-phone")

    quote = db.session.scalar(select(Quote))
    db.session.refresh(quote)
    assert quote.status is QuoteStatus.ACCEPTED and quote.accepted_by_name == "Hélène Tilleul"
    desk.goto(f"{live_server}/quotes/{quote.id}")
    assert "Accepté par Hélène Tilleul" in text(desk)
    shoot(desk, "quote-4-accepted-desktop")
