"""In a real browser: accepted quote → job → team → hours on a phone → material → done → delivered."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from erp.auth.models import Role
from erp.catalog import stock
from erp.catalog.models import Material, Unit
from erp.jobs.models import Student, Team
from erp.jobs.work_models import Job, JobStatus, TimeEntry
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_quote_journey import text
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, base, user):
    page.goto(f"{base}/login")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit], input[type=submit]")


def test_accepted_quote_to_delivered_job(live_server, browser, shoot, db, make_user, make_quote):
    """The craftsman's day: make the job, give it to the team, log hours on a phone, use steel, deliver."""
    craftsman = make_user(Role.CRAFTSMAN, email="atelier@example.org", name="Sylvie Marchand")
    pupils = [Student(first_name=name, last_name="Durand", section_id=craftsman.section_id, cohort="2025-2027",
                      entry_date=date(2025, 9, 1)) for name in ("Lucas", "Inès", "Hugo")]
    team = Team(name="Métal 1re année", section_id=craftsman.section_id, lead_craftsman_id=craftsman.id,
                members=pupils)
    steel = Material(code="TUBE-40", label="Tube 40×40", unit=Unit.METRE, unit_cost=Decimal("6.80"))
    db.session.add_all([team, steel])
    db.session.flush()
    stock.receive(None, steel, quantity=Decimal("50"), unit_cost=Decimal("6.80"), day=date.today())
    quote = make_quote(author=craftsman, today=date.today())
    quotes.send_quote(craftsman, quote, today=date.today())
    quotes.accept_quote(None, quote, today=date.today(), name="Client", channel=AcceptanceChannel.ONLINE)
    db.session.commit()

    desk = browser.new_context(viewport=DESKTOP, locale="fr-FR").new_page()
    _login(desk, live_server, craftsman)
    desk.goto(f"{live_server}/quotes/{quote.id}")
    desk.click("text=Créer l’OF")
    assert "Affectez son équipe" in text(desk)
    desk.click("text=Modifier l’affectation")
    desk.select_option("#team_id", label="Métal 1re année")
    desk.select_option("#lead_craftsman_id", label="Sylvie Marchand")
    for pupil in pupils:
        desk.check(f"input[name=student_ids][value='{pupil.id}']")
    desk.click("text=Affecter")
    assert "Affectation enregistrée" in text(desk)
    desk.click("text=Démarrer")
    job = db.session.scalar(select(Job))

    phone = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True).new_page()
    _login(phone, live_server, craftsman)
    phone.goto(f"{live_server}/time?job={job.id}")
    phone.fill("#hours", "3,5")
    phone.fill("#supervision_hours", "1")
    phone.fill("#description", "Débit et soudure des montants")
    shoot(phone, "job-1-hours-phone")
    phone.click("text=Enregistrer les heures")
    assert "4 saisies enregistrées" in text(phone)

    desk.goto(f"{live_server}/jobs/{job.id}")
    desk.select_option("#material_id", label="TUBE-40 — Tube 40×40")
    desk.fill("#quantity", "12,5")
    desk.click("text=Enregistrer la consommation")
    assert "Matière enregistrée" in text(desk)
    desk.click("text=Terminé")
    desk.fill("#received_by", "M. Client")
    desk.get_by_role("button", name="Livré").click()
    assert "il est maintenant à facturer" in text(desk)
    shoot(desk, "job-2-delivered-desktop")
    desk.goto(f"{live_server}/jobs/")
    shoot(desk, "job-3-board-desktop")

    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status is JobStatus.DELIVERED and job.delivered_to == "M. Client"
    assert len(db.session.scalars(select(TimeEntry)).all()) == 4
    assert db.session.get(Material, steel.id).quantity_on_hand == Decimal("37.500")
