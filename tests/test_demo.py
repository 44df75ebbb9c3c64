"""The demo school (DESIGN §1): realistic, idempotent, refuses a database that holds data."""
from decimal import Decimal

from sqlalchemy import func, select

from erp.auth.models import Role, User
from erp.jobs.models import Section, Student, StudentStatus, Team
from erp.settings.models import FiscalYear


def _count(db, column, *where):
    return db.session.scalar(select(func.count(column)).where(*where))


def test_demo_data_loads_a_realistic_school(app, db):
    """Three sections, two craftsmen each, ~25 students in teams, a director, an accountant, a 350 k€ year."""
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "direction@" in result.output and "atelier-demo" in result.output
    assert set(db.session.scalars(select(Section.name))) == {"Métallerie", "Pneumatique", "Mécanique automobile"}
    assert _count(db, User.id, User.role == Role.CRAFTSMAN) == 6
    assert _count(db, User.id, User.role == Role.DIRECTOR) == 1
    assert _count(db, User.id, User.role == Role.ACCOUNTANT) == 1
    assert 22 <= _count(db, Student.id, Student.status == StudentStatus.ACTIVE) <= 28
    for team in db.session.scalars(select(Team)):
        assert 3 <= len(team.members) <= 8
        assert all(s.section_id == team.section_id for s in team.members)
    current = db.session.scalars(select(FiscalYear).order_by(FiscalYear.start_date.desc())).first()
    assert current.budget == Decimal("350000.00") and current.target_percent == Decimal("60.00")
    assert current.start_date.month == 9


def test_demo_data_refuses_a_database_with_data_unless_forced(app, db):
    """A second run refuses; --force replaces everything with the same school."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    students = _count(db, Student.id)
    second = runner.invoke(args=["demo-data"])
    assert second.exit_code != 0 and "--force" in second.output
    assert runner.invoke(args=["demo-data", "--force"]).exit_code == 0
    db.session.expire_all()
    assert _count(db, Student.id) == students


def test_demo_logins_work(app, db, client):
    """The printed demo logins open the app."""
    app.test_cli_runner().invoke(args=["demo-data"])
    response = client.post("/login", data={"email": "direction@ecoledeproduction-dole.fr",
                                           "password": "atelier-demo"})
    assert response.status_code == 302
    assert "Bonjour, Anne Fontaine" in client.get("/overview").get_data(as_text=True)


def test_demo_has_clients_catalog_and_quotes_in_every_status(app, db):
    """~30 clients, a catalog for each section, materials, and quotes in every status with the school's orders."""
    from erp.catalog.models import CatalogItem, Material
    from erp.clients.models import Client, ClientKind
    from erp.quotes.models import Quote, QuoteStatus

    app.test_cli_runner().invoke(args=["demo-data"])
    assert 25 <= _count(db, Client.id) <= 35
    assert {kind for kind in db.session.scalars(select(Client.kind).distinct())} == set(ClientKind)
    assert _count(db, Material.id) >= 10
    for section in db.session.scalars(select(Section)):
        assert _count(db, CatalogItem.id, CatalogItem.section_id == section.id) >= 3
    assert set(db.session.scalars(select(Quote.status).distinct())) == set(QuoteStatus)
    titles = " ".join(db.session.scalars(select(Quote.title))).lower()
    assert titles.count("escalier") >= 3 and titles.count("passerelle") >= 2
    assert "garde-corps" in titles and "rayonnages de stockage pneus" in titles and "flotte" in titles
    for quote in db.session.scalars(select(Quote)):
        assert quote.total_gross == quote.totals().gross and quote.estimated_cost > 0


def test_demo_jobs_have_hours_materials_and_variances(app, db):
    """Jobs in the workshop statuses, weeks of hours, material used, and real variances on the costing page."""
    from erp.jobs.costing import job_costing
    from erp.jobs.work_models import Job, JobKind, JobStatus, TimeEntry

    app.test_cli_runner().invoke(args=["demo-data"])
    statuses = set(db.session.scalars(select(Job.status).distinct()))
    assert set(JobStatus) - {JobStatus.CANCELLED} <= statuses
    assert set(db.session.scalars(select(Job.kind).distinct())) == set(JobKind)
    assert _count(db, TimeEntry.id) > 50
    days = db.session.execute(select(func.min(TimeEntry.day), func.max(TimeEntry.day))).one()
    assert (days[1] - days[0]).days >= 21  # several weeks of work
    variances = [job_costing(job).variance for job in db.session.scalars(select(Job).where(Job.quote_id.is_not(None)))]
    assert any(v > 0 for v in variances) and any(v < 0 for v in variances)
