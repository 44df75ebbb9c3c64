"""Demo history and other resources: a previous fiscal year and this one, in the school's proportions (DESIGN §1)."""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from erp.catalog.models import Nature, Unit
from erp.clients.models import Client, ClientKind
from erp.documents.lines import line_values
from erp.extensions import db
from erp.funding import services
from erp.funding.models import FunderKind, ResourceKind
from erp.invoicing import issuing, payments
from erp.invoicing import services as invoices
from erp.invoicing.models import PaymentMethod
from erp.jobs import work
from erp.jobs.models import Section
from erp.jobs.work_models import JobKind, JobLine
from erp.settings.services import default_fiscal_year_dates, get_school

D = Decimal
HISTORY = [  # (section, title, price range HT)
    ("MET", "Garde-corps et main courante", (5000, 11000)), ("MET", "Escalier métallique droit", (8000, 15000)),
    ("MET", "Passerelle de maintenance", (8000, 15000)), ("MET", "Rayonnages et racks de stockage", (2500, 6000)),
    ("PNE", "Pneus et montage — flotte d’entreprise", (1500, 4000)), ("MEC", "Entretien de véhicules de service",
                                                                         (1200, 3500)),
]


def history_events(today: date, rng: random.Random) -> list[tuple[date, tuple]]:
    """Invoices of the past: two a month over the previous fiscal year, then two a month this year until lately."""
    start, _end = default_fiscal_year_dates(get_school().fiscal_year_start_month, today)
    previous_start, _ = default_fiscal_year_dates(get_school().fiscal_year_start_month, start - timedelta(days=1))
    events, day = [], previous_start + timedelta(days=9)
    while day < today - timedelta(days=20):
        for n in range(2):
            section, title, (low, high) = rng.choice(HISTORY)
            events.append((day + timedelta(days=n * 12), (section, title, D(rng.randint(low, high)))))
        day = (day.replace(day=1) + timedelta(days=32)).replace(day=10)
    return events


def invoice_history(accountant, day: date, subject: tuple, today: date, rng: random.Random) -> None:
    """One past order: a job delivered and invoiced on `day`, paid three weeks later (most of the time)."""
    code, title, price = subject
    section = db.session.scalar(select(Section).where(Section.code == code))
    businesses = list(db.session.scalars(select(Client).where(Client.kind != ClientKind.INDIVIDUAL)
                                         .order_by(Client.id)))
    client = businesses[rng.randrange(len(businesses))]
    job = work.create_job(accountant, today=day, section=section, title=title, kind=JobKind.FABRICATION
                          if code == "MET" else JobKind.SERVICE, client=client, planned_start=day, due_date=day)
    job.lines.append(JobLine(position=1, **line_values(
        label=title, quantity=D(1), unit=Unit.FLAT_RATE, unit_price=price, discount_percent=D(0), vat_rate=D("20.00"),
        nature=Nature.SERVICES)))
    job.revenue_quoted = job.lines[0].net
    db.session.flush()
    for step in (work.start_job, work.finish_job):
        step(accountant, job, today=day)
    work.deliver_job(accountant, job, day=day, received_by=client.name)
    invoice = invoices.draft_from_job(accountant, job, today=day)
    issuing.issue_invoice(accountant, invoice, today=day)
    if day + timedelta(days=21) < today:
        payments.record_payment(accountant, invoice, day=day + timedelta(days=21), amount=invoice.amount_due,
                                method=PaymentMethod.TRANSFER, reference=f"VIR {invoice.number}", today=today)


def load_resources(today: date) -> None:
    """Donations, mécénat, sponsorship, apprenticeship tax and subsidies for both years."""
    start, _end = default_fiscal_year_dates(get_school().fiscal_year_start_month, today)
    prev = default_fiscal_year_dates(get_school().fiscal_year_start_month, start - timedelta(days=1))[0]
    resources = [
        (prev + timedelta(days=40), ResourceKind.DONATION, "Dons de particuliers (campagne de Noël)",
         FunderKind.INDIVIDUAL, "6400"),
        (prev + timedelta(days=95), ResourceKind.PATRONAGE, "Fondation Jura Industrie", FunderKind.COMPANY, "15000"),
        (prev + timedelta(days=120), ResourceKind.SPONSORSHIP, "Crédit Comtois — parrainage", FunderKind.COMPANY,
         "4000"),
        (prev + timedelta(days=280), ResourceKind.APPRENTICESHIP_TAX, "Solde de la taxe d’apprentissage 2026",
         FunderKind.COMPANY, "48000"),
        (prev + timedelta(days=300), ResourceKind.DONATION, "Rotary Club de Dole", FunderKind.OTHER, "5500"),
        (start + timedelta(days=20), ResourceKind.DONATION, "Lions Club de Dole", FunderKind.OTHER, "2500"),
        (start + timedelta(days=35), ResourceKind.PATRONAGE, "Métallerie Franc-Comtoise (mécénat)",
         FunderKind.COMPANY, "6000"),
        (start + timedelta(days=50), ResourceKind.SPONSORSHIP, "Garage du Doubs — parrainage", FunderKind.COMPANY,
         "1500"),
    ]
    for day, kind, funder, funder_kind, amount in resources:
        if day <= today:
            services.record_resource(None, kind=kind, funder=funder, funder_kind=funder_kind, day=day,
                                     amount=D(amount))
    for year_start in (prev, start):
        granted = year_start + timedelta(days=14)
        if granted > today:
            continue
        for funder, kind, amount, purpose in (
                ("Région Bourgogne-Franche-Comté", FunderKind.REGION, "45000", "Fonctionnement de l’école"),
                ("Département du Jura", FunderKind.DEPARTMENT, "20000", "Accompagnement des jeunes"),
                ("Ville de Dole", FunderKind.TOWN, "5000", "Équipement de l’atelier")):
            agreement = services.grant_subsidy(
                None, funder=funder, funder_kind=kind, purpose=purpose, amount=D(amount), granted_on=granted,
                justification_due=granted + timedelta(days=300), reference=f"CONV-{granted.year}-{funder[:3].upper()}",
                instalments=[(granted + timedelta(days=30), D(amount) * D("0.6")),
                             (granted + timedelta(days=200), D(amount) * D("0.4"))])
            for instalment in agreement.instalments:
                if instalment.expected_on <= today - timedelta(days=5):
                    services.receive_instalment(None, instalment, day=instalment.expected_on + timedelta(days=4))
            if year_start == prev:
                agreement.justified_on = agreement.justification_due - timedelta(days=10)
