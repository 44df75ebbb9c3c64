"""The demo school: a production school modelled on Dole (DESIGN §1), for trying Atelier out."""
import random
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from sqlalchemy import delete, func, select

from erp import demo_funding, demo_invoices, demo_jobs, demo_sales
from erp.auth.models import Role, User
from erp.auth.services import create_user
from erp.extensions import db
from erp.jobs.models import Section, StudentStatus
from erp.jobs.work_models import Job
from erp.jobs.services import save_section, save_student, save_team
from erp.settings.models import VatRegime
from erp.settings.services import default_fiscal_year_dates, fiscal_year_label, get_school, save_fiscal_year

DEMO_PASSWORD = "atelier-demo"
DOMAIN = "ecoledeproduction-dole.fr"

SECTIONS = [
    # code, name, hourly rate (€ HT), weekly capacity (h), craftsmen
    ("MET", "Métallerie", Decimal("45.00"), Decimal("240.0"),
     [("Bernard Lachaux", "b.lachaux"), ("Sylvie Marchand", "s.marchand")]),
    ("PNE", "Pneumatique", Decimal("38.00"), Decimal("160.0"),
     [("Karim Benali", "k.benali"), ("Julien Perrot", "j.perrot")]),
    ("MEC", "Mécanique automobile", Decimal("42.00"), Decimal("160.0"),
     [("Patrick Vuillemin", "p.vuillemin"), ("Nadia Girard", "n.girard")]),
]
FIRST_NAMES = ["Lucas", "Enzo", "Nathan", "Mathis", "Inès", "Hugo", "Yanis", "Léa", "Théo", "Noah", "Adam",
               "Jade", "Tom", "Rayan", "Kylian", "Manon", "Maël", "Sacha", "Louna", "Evan", "Ilyes", "Clément",
               "Camille", "Baptiste", "Mohamed", "Axel", "Chloé", "Romain"]
LAST_NAMES = ["Martin", "Bernard", "Petit", "Durand", "Lefèvre", "Moreau", "Garnier", "Faure", "Rousseau",
              "Mercier", "Blanc", "Guerin", "Boyer", "Chevalier", "Roux", "Colin", "Vidal", "Caron", "Picard",
              "Roy", "Gauthier", "Perrin", "Morel", "Fournier", "Dumont", "Masson", "Jacquet", "Brunet"]
STUDENTS_PER_SECTION = {"MET": 9, "PNE": 8, "MEC": 8}


class DatabaseNotEmpty(Exception):
    """The demo only loads into an empty database, unless forced."""


def database_is_empty() -> bool:
    """True when no account and no section exist yet."""
    return not any(db.session.scalar(select(func.count()).select_from(model)) for model in (User, Section))


def erase_everything(connection) -> None:
    """Empty every table (demo --force, tests); the immutability triggers are lifted meanwhile, then restored."""
    from erp.invoicing import immutability

    immutability.uninstall(connection)
    for table in reversed(db.metadata.sorted_tables):
        connection.execute(delete(table))
    immutability.install(connection)


def _school() -> None:
    school = get_school()
    school.legal_name = "École de Production de Dole"
    school.address_line1, school.address_line2 = "12 rue des Forges", "Zone artisanale des Épenottes"
    school.postcode, school.city = "39100", "Dole"
    school.email, school.phone, school.website = f"contact@{DOMAIN}", "03 84 00 00 00", f"www.{DOMAIN}"
    school.siren, school.siret, school.rna = "732829320", "73282932000074", "W391000123"
    school.vat_number, school.vat_regime = "FR44732829320", VatRegime.LIABLE
    school.iban, school.bic = "FR7630001007941234567890185", "BDFEFRPPCCT"
    school.payment_terms_days, school.quote_validity_days = 30, 30
    school.insurance_mention = ("Assurance responsabilité civile décennale : MAIF, contrat n° 4 512 678 D, "
                                "couverture France métropolitaine.")


def _fiscal_years(today: date) -> None:
    start, end = default_fiscal_year_dates(get_school().fiscal_year_start_month, today)
    previous_start, previous_end = default_fiscal_year_dates(9, start - timedelta(days=1))
    for first, last, budget in ((previous_start, previous_end, Decimal("340000.00")),
                                (start, end, Decimal("350000.00"))):
        save_fiscal_year(None, None, label=fiscal_year_label(first, last), start_date=first, end_date=last,
                         budget=budget, target_percent=Decimal("60.00"))


OFFICE_STAFF = ((Role.DIRECTOR, "Anne Fontaine", "direction"), (Role.ACCOUNTANT, "Marc Dubois", "comptabilite"))


def demo_logins() -> list[tuple[str, str]]:
    """(who, e-mail) of every demo account; they all share DEMO_PASSWORD."""
    logins = [(role.label, f"{login}@{DOMAIN}") for role, _name, login in OFFICE_STAFF]
    for _code, section, _rate, _capacity, craftsmen in SECTIONS:
        logins += [(f"{Role.CRAFTSMAN.label} ({section})", f"{login}@{DOMAIN}") for _name, login in craftsmen]
    return logins


def _staff() -> None:
    for role, name, login in OFFICE_STAFF:
        create_user(None, email=f"{login}@{DOMAIN}", full_name=name, role=role, password=DEMO_PASSWORD)


def _sections_and_people(today: date, rng: random.Random) -> None:
    names = iter(rng.sample([(first, last) for first in FIRST_NAMES for last in LAST_NAMES], 60))
    for code, name, rate, capacity, craftsmen in SECTIONS:
        section = save_section(None, None, code=code, name=name, hourly_rate=rate, weekly_capacity_hours=capacity)
        leads = []
        for full_name, login in craftsmen:
            leads.append(create_user(None, email=f"{login}@{DOMAIN}", full_name=full_name, role=Role.CRAFTSMAN,
                                     password=DEMO_PASSWORD, section_id=section.id))
        students = []
        for index in range(STUDENTS_PER_SECTION[code]):
            first, last = next(names)
            second_year = index % 2 == 0
            entry = date(today.year - (1 if second_year else 0) - (today.month < 9), 9, 1)
            students.append(save_student(None, None, first_name=first, last_name=last, section_id=section.id,
                                         cohort=f"{entry.year}-{entry.year + 2}", status=StudentStatus.ACTIVE,
                                         entry_date=entry, exit_date=None))
        second_years, first_years = students[0::2], students[1::2]
        for team_name, members, lead in ((f"{code} — 2e année", second_years, leads[0]),
                                         (f"{code} — 1re année", first_years, leads[1])):
            save_team(None, None, name=team_name, section_id=section.id, lead_craftsman_id=lead.id,
                      member_ids=[s.id for s in members])
        first, last = next(names)
        save_student(None, None, first_name=first, last_name=last, section_id=section.id,
                     cohort=f"{today.year - 3}-{today.year - 1}", status=StudentStatus.GRADUATED,
                     entry_date=date(today.year - 3, 9, 1), exit_date=date(today.year - 1, 6, 30))


def load_demo(force: bool = False, today: date | None = None) -> None:
    """Fill an empty database with the demo school (or, forced, replace everything with it)."""
    if not database_is_empty():
        if not force:
            raise DatabaseNotEmpty()
        erase_everything(db.session.connection())
    today = today or date.today()
    rng = random.Random(39100)  # the same school every time
    _school()
    _fiscal_years(today)
    _staff()
    _sections_and_people(today, rng)
    demo_sales.load_catalog()
    clients = demo_sales.load_clients(rng)
    demo_sales.load_quotes(today, clients)
    demo_jobs.load_jobs(today, rng)
    demo_invoices.load_invoices(today, rng)
    demo_funding.load_resources(today)
    _backdate_jobs(today)
    db.session.flush()


def _backdate_jobs(today: date) -> None:
    """The demo tells a year and a half of work in one run: date each job's opening on its own story's day, as
    it would have been stamped, so costing and exports per period find it in its year."""
    for job in db.session.scalars(select(Job).where(Job.planned_start.is_not(None), Job.planned_start < today)):
        job.created_at = datetime.combine(job.planned_start, time(8, 30), tzinfo=timezone.utc)
