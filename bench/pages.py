"""Every main page, timed in the server (WSGI call, no network) with its SQL query count."""
from dataclasses import dataclass

from sqlalchemy import desc, func, select

from bench.timing import Figure, QueryCounter, figure, timed
from config import Config
from erp import create_app
from erp.demo import DEMO_PASSWORD, DOMAIN

DIRECTOR = f"direction@{DOMAIN}"  # bench-data's staff are the demo school's


def bench_config(url: str) -> type:
    """The development configuration on the bench database; forms are posted without CSRF tokens."""
    return type("BenchConfig", (Config,), {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False,
                                           "RATELIMIT_ENABLED": False, "FACTURX_SCHEMATRON_ON_ISSUE": False})


@dataclass
class Subjects:
    """The records the detail pages show: the busiest of each kind, and portal links to them."""

    client: int
    quote: int
    job: int
    invoice: int
    student: int
    section: int
    craftsman: str
    quote_token: str
    invoice_token: str
    client_token: str


def _busiest(db, key, *where):
    return db.session.scalar(select(key).where(*where).group_by(key).order_by(desc(func.count())).limit(1))


def find_subjects(db) -> Subjects:
    """Pick the records with the most rows behind them, and issue portal links to them."""
    from erp.auth.models import Role, User
    from erp.invoicing.models import Invoice, InvoiceLine, Payment
    from erp.jobs.work_models import TimeEntry
    from erp.portal.services import issue_link, token_for
    from erp.quotes.models import Quote, QuoteLine, QuoteStatus

    invoice_id = _busiest(db, Payment.invoice_id) or _busiest(db, InvoiceLine.invoice_id)
    invoice = db.session.get(Invoice, invoice_id)
    quote = db.session.get(Quote, _busiest(db, QuoteLine.quote_id, QuoteLine.quote_id.in_(
        select(Quote.id).where(Quote.status == QuoteStatus.SENT))) or _busiest(db, QuoteLine.quote_id))
    client_id = _busiest(db, Invoice.client_id)
    craftsman = db.session.scalars(select(User).where(User.role == Role.CRAFTSMAN).order_by(User.id)).first()
    links = {kind: token_for(issue_link(None, document_type=kind, document_id=record_id, client_id=client))
             for kind, record_id, client in (("quote", quote.id, quote.client_id),
                                             ("invoice", invoice.id, invoice.client_id),
                                             ("client", client_id, client_id))}
    db.session.commit()
    return Subjects(client=client_id, quote=quote.id, job=_busiest(db, TimeEntry.job_id), invoice=invoice.id,
                    student=_busiest(db, TimeEntry.student_id), section=craftsman.section_id,
                    craftsman=craftsman.email, quote_token=links["quote"], invoice_token=links["invoice"],
                    client_token=links["client"])


def page_list(s: Subjects) -> list[tuple[str, str, str]]:
    """(who, name, URL) of every main page, lists with their filters."""
    director = DIRECTOR
    return [
        (director, "Tableau de bord", "/dashboard"),
        (director, "Vue d’ensemble", "/overview"),
        (director, "Clients", "/clients/"),
        (director, "Clients — recherche", "/clients/?q=mar"),
        (director, "Clients — entreprises, tri", "/clients/?kind=company&sort=city"),
        (director, "Fiche client", f"/clients/{s.client}"),
        (director, "Devis", "/quotes/"),
        (director, "Devis — envoyés", "/quotes/?status=sent"),
        (director, "Devis — section + recherche", f"/quotes/?section={s.section}&q=garde"),
        (director, "Devis (page)", f"/quotes/{s.quote}"),
        (director, "OF — tableau", "/jobs/"),
        (director, "OF — tableau, section", f"/jobs/?section={s.section}"),
        (director, "OF (page)", f"/jobs/{s.job}"),
        (director, "Coûts par OF", "/jobs/costing"),
        (director, "Charge des équipes", f"/jobs/workload?section={s.section}"),
        (director, "Élèves", "/students"),
        (director, "Parcours d’un élève", f"/students/{s.student}/record"),
        (director, "Factures", "/invoices/"),
        (director, "Factures — réglées", "/invoices/?status=paid"),
        (director, "Factures — avoirs", "/invoices/?kind=credit_note"),
        (director, "Factures — recherche", "/invoices/?q=F-20"),
        (director, "Factures — section", f"/invoices/?section={s.section}"),
        (director, "Impayés", "/invoices/overdue"),
        (director, "Facture (page)", f"/invoices/{s.invoice}"),
        (director, "Ressources", "/resources"),
        (director, "Catalogue", "/catalog/"),
        (director, "Journal d’audit", "/audit/"),
        (s.craftsman, "Saisie des heures (téléphone)", "/time"),
        (None, "Portail — devis", f"/p/q/{s.quote_token}"),
        (None, "Portail — facture", f"/p/i/{s.invoice_token}"),
        (None, "Portail — espace client", f"/p/c/{s.client_token}"),
    ]


def logged_in(app, email: str | None):
    client = app.test_client()
    if email:
        response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"cannot log in as {email}")
    return client


def measure_pages(url: str, repeat: int, counter: QueryCounter, log=print) -> list[Figure]:
    """Each page `repeat` times after a warm-up; a page that does not answer 200 stops the run."""
    from erp.extensions import db

    app = create_app(bench_config(url))
    with app.app_context():
        subjects = find_subjects(db)
        db.session.remove()
    clients: dict = {}
    figures = []
    for who, name, path in page_list(subjects):
        client = clients.get(who) or clients.setdefault(who, logged_in(app, who))

        def get(client=client, path=path):
            response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path} answered {response.status_code}")
        latencies, queries = timed(get, repeat, counter=counter)
        figures.append(figure(name, latencies, queries))
        log(f"    {name:<34} p50 {figures[-1].p50:7.1f} ms  p95 {figures[-1].p95:7.1f} ms  {queries:3d} queries")
    with app.app_context():
        db.engine.dispose()
    return figures
