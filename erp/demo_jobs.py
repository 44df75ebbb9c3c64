"""Demo jobs: the accepted quotes in the workshop, weeks of logged hours, deliveries and use of material."""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from erp.auth.models import Role, User
from erp.catalog import stock
from erp.catalog.models import CatalogItem, Material
from erp.clients.models import Client, ClientKind
from erp.documents.lines import line_values
from erp.extensions import db
from erp.jobs import timesheet, work
from erp.jobs.models import Section, Team
from erp.jobs.work_models import JobCostKind, JobKind, JobLine
from erp.quotes.models import Quote, QuoteStatus

D = Decimal
#: (code, quantity, unit cost) received two months ago, then again a month ago at a new price
RECEIPTS = {"TUBE-40X40": ("240", "6.50", "7.10"), "TOLE-LARMEE-3": ("30", "37.00", "39.80"),
            "FER-PLAT-40X8": ("120", "4.05", "4.30"), "CORNIERE-50": ("150", "5.70", "6.05"),
            "IPN-120": ("60", "15.90", "16.80"), "CAILLEBOTIS": ("24", "60.00", "63.50"),
            "PEINT-ANTIR": ("40", "13.20", "14.50"), "FIL-SOUDURE": ("25", "9.10", "9.80"),
            "PNEU-205-55R16": ("40", "49.00", "53.00"), "PNEU-215-65R16C": ("30", "71.00", "75.50"),
            "VALVE-TR414": ("300", "0.85", "0.92"), "MASSES-EQU": ("8", "11.50", "12.40"),
            "HUILE-5W30": ("60", "7.40", "7.95"), "PLAQUETTES": ("12", "26.50", "28.90")}
REORDER = {"TOLE-LARMEE-3": "12", "CAILLEBOTIS": "10", "PNEU-215-65R16C": "8", "PLAQUETTES": "4", "TUBE-40X40": "60"}


def _workdays(start: date, end: date):
    """Workshop days (Monday to Thursday; Friday is for lessons) between two dates."""
    day = start
    while day <= end:
        if day.weekday() < 4:
            yield day
        day += timedelta(days=1)


def _stock(today: date) -> dict[str, Material]:
    materials = {m.code: m for m in db.session.scalars(select(Material))}
    for code, (quantity, first, second) in RECEIPTS.items():
        material = materials[code]
        stock.receive(None, material, quantity=D(quantity), unit_cost=D(first), day=today - timedelta(days=62),
                      supplier=material.supplier)
        stock.receive(None, material, quantity=(D(quantity) / 2).quantize(D("1")), unit_cost=D(second),
                      day=today - timedelta(days=30), supplier=material.supplier)
        material.reorder_level = D(REORDER.get(code, "0"))
    return materials


def _log_weeks(rng: random.Random, job, lead: User, start: date, end: date, share: Decimal) -> None:
    """Hours for the job's students (2 to 4 a day) and the craftsman's supervision, until `share` of the estimate."""
    target = job.est_student_hours * share
    logged = D(0)
    for day in _workdays(start, end):
        if logged >= target:
            break
        team = rng.sample(job.students, k=min(len(job.students), rng.randint(2, 4)))
        hours = D(rng.choice(["3", "3.5", "4", "5", "6"]))
        entries = timesheet.log_time(lead, job, day=day, today=end, description=rng.choice(
            ["Débit et préparation", "Soudure", "Assemblage", "Meulage et finition", "Peinture", "Pose sur site",
             "Montage", "Contrôle"]), student_ids=[s.id for s in team], hours=hours, supervisor=lead,
            supervision_hours=D("1.5") if rng.random() < .6 else D("1"))
        if day < end - timedelta(days=7):  # the craftsman validates the week before
            db.session.flush()
            timesheet.validate_entries(lead, job, [entry.id for entry in entries])
        logged += hours * len(team)


def _teams_of(section_id: int) -> list[Team]:
    return list(db.session.scalars(select(Team).where(Team.section_id == section_id).order_by(Team.name)))


def load_jobs(today: date, rng: random.Random) -> None:
    """Jobs for the accepted quotes in several statuses, counter services and internal work, with real variances."""
    materials = _stock(today)
    accepted = db.session.scalars(select(Quote).where(Quote.status == QuoteStatus.ACCEPTED).order_by(Quote.id))
    plans = [("delivered", D("1.25"), D("1.2")), ("in_progress", D("0.55"), D("0.6")), ("done", D("0.9"), D("0.85")),
             ("delivered", D("0.95"), D("1.05")), ("in_progress", D("0.3"), D("0.3"))]
    for quote, (outcome, hours_share, material_share) in zip(accepted, plans, strict=False):
        start = quote.decided_at.date() + timedelta(days=3)
        job = work.create_job_from_quote(quote.created_by, quote, today=start)
        job.due_date = start + timedelta(days=35)
        team = _teams_of(job.section_id)[0]
        work.assign_job(quote.created_by, job, version=job.version, team=team, lead=team.lead_craftsman,
                        student_ids=[s.id for s in team.members])
        work.start_job(team.lead_craftsman, job, today=start)
        end = min(today, start + timedelta(days=30))
        _log_weeks(rng, job, team.lead_craftsman, start, end, hours_share)
        for entry in quote.materials:
            quantity = (entry.quantity * material_share).quantize(D("0.1"))
            stock.consume(team.lead_craftsman, materials[entry.material.code], job=job, quantity=quantity,
                          day=start + timedelta(days=7),
                          force_reason="" if materials[entry.material.code].quantity_on_hand >= quantity
                          else "Reliquat utilisé avant réception")
        if job.est_other_costs:
            work.add_cost(team.lead_craftsman, job, kind=JobCostKind.SUBCONTRACTING, label="Galvanisation à chaud",
                          amount=(job.est_other_costs * D("1.1")).quantize(D("0.01")), day=start + timedelta(days=20))
        if outcome in ("done", "delivered"):
            work.finish_job(team.lead_craftsman, job, today=end)
        if outcome == "delivered":
            work.deliver_job(team.lead_craftsman, job, day=min(today, end + timedelta(days=2)),
                             received_by="Le client, sans réserve")
        db.session.flush()
    _counter_and_internal_jobs(today, rng, materials)


def _counter_and_internal_jobs(today: date, rng: random.Random, materials: dict[str, Material]) -> None:
    sections = {s.code: s for s in db.session.scalars(select(Section))}
    tyres = sections["PNE"]
    team = _teams_of(tyres.id)[1]
    lead = team.lead_craftsman
    walk_ins = list(db.session.scalars(select(Client).where(Client.kind == ClientKind.INDIVIDUAL)
                                       .order_by(Client.id)))[:4]
    for n, client in enumerate(walk_ins):
        day = today - timedelta(days=3 + n * 5)
        job = work.create_job(lead, today=day, section=tyres, title="Montage et équilibrage de 4 pneus",
                              kind=JobKind.SERVICE, client=client, planned_start=day, due_date=day,
                              planned_hours=D("1.5"))
        for position, code in enumerate(("PNE-MONT", "PNE-EQU"), start=1):
            item = db.session.scalar(select(CatalogItem).where(CatalogItem.code == code))
            job.lines.append(JobLine(position=position, catalog_item_id=item.id, **line_values(
                label=item.label, quantity=D("4"), unit=item.unit, unit_price=item.unit_price,
                discount_percent=D("0"), vat_rate=item.vat_rate, nature=item.nature)))
        job.revenue_quoted = sum((line.net for line in job.lines), D("0"))
        db.session.flush()
        work.assign_job(lead, job, version=job.version, team=team, lead=lead,
                        student_ids=[s.id for s in team.members[:2]])
        work.start_job(lead, job, today=day)
        timesheet.log_time(lead, job, day=day, today=today, description="Montage au comptoir",
                           student_ids=[s.id for s in team.members[:2]], hours=D("0.75"))
        stock.consume(lead, materials["VALVE-TR414"], job=job, quantity=D("4"), day=day)
        stock.consume(lead, materials["MASSES-EQU"], job=job, quantity=D("0.2"), day=day)
        work.finish_job(lead, job, today=day)
        if n % 2 == 0:
            work.deliver_job(lead, job, day=day, received_by=client.name)
    metal = sections["MET"]
    craftsman = db.session.scalar(select(User).where(User.role == Role.CRAFTSMAN, User.section_id == metal.id)
                                  .order_by(User.id.desc()))
    internal = work.create_job(craftsman, today=today - timedelta(days=10), section=metal,
                               title="Réfection des rayonnages de l’atelier", kind=JobKind.INTERNAL,
                               planned_start=today - timedelta(days=10), due_date=today + timedelta(days=20),
                               planned_hours=D("60"), notes="Travaux pour les locaux de l’école.")
    internal.est_student_hours = D("60")
    first_years = _teams_of(metal.id)[0]
    work.assign_job(craftsman, internal, version=internal.version, team=first_years, lead=craftsman,
                    student_ids=[s.id for s in first_years.members])
    work.start_job(craftsman, internal, today=today - timedelta(days=10))
    _log_weeks(rng, internal, craftsman, today - timedelta(days=10), today, D("0.4"))
    work.create_job(craftsman, today=today, section=metal, title="Escalier de secours — étude et débit",
                    kind=JobKind.FABRICATION, client=walk_ins[0], planned_start=today + timedelta(days=7),
                    due_date=today + timedelta(days=40), planned_hours=D("120"))
