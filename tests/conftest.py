"""Fixtures: an app per test on SQLite and, when TEST_DATABASE_URL is set, on PostgreSQL too."""
import itertools
import os
import socket
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from config import TestConfig
from erp import create_app
from erp.auth.models import Role, User
from erp.extensions import db as _db

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


def make_config(url: str, **overrides) -> type:
    """A TestConfig bound to one database."""
    return type("BoundTestConfig", (TestConfig,), {
        "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **overrides})


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database with the current schema, once per backend for the whole session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite'}"
    else:
        url = os.environ["TEST_DATABASE_URL"]
    app = create_app(make_config(url))
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        _db.engine.dispose()
    return url


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    The test itself holds an app context for its own database work; without this, requests would share
    its `g` and its session, and hide bugs (a cached current user, objects never reloaded).
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(database_url):
    """The application on a clean database; every row is erased after the test."""
    app = create_app(make_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app
        _db.session.remove()
        erase_all_rows()
        _db.engine.dispose()


def erase_all_rows() -> None:
    """Empty every table between tests."""
    from erp.demo import erase_everything

    with _db.engine.begin() as connection:
        erase_everything(connection)


@pytest.fixture
def make_app(database_url):
    """Factory: another app on the same database with some settings changed (rate limits, CSRF…)."""
    made = []

    def make(**overrides):
        other = create_app(make_config(database_url, **overrides))
        other.test_client_class = IsolatedClient
        made.append(other)
        return other

    yield make
    for other in made:
        with other.app_context():
            _db.engine.dispose()


@pytest.fixture
def db(app):
    """The SQLAlchemy extension, inside the test's app context."""
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_section(db):
    """Factory: a section (trade)."""
    def make(name=None, code=None, hourly_rate=Decimal("40.00"), capacity=Decimal("160")):
        from erp.jobs.models import Section

        n = next(_counter)
        section = Section(code=code or f"S{n}", name=name or f"Section {n}", hourly_rate=hourly_rate,
                          weekly_capacity_hours=capacity)
        db.session.add(section)
        db.session.commit()
        return section
    return make


@pytest.fixture
def make_user(db, make_section):
    """Factory: a staff account; a craftsman gets a section of his own unless one is given."""
    def make(role=Role.DIRECTOR, section=None, email=None, password=PASSWORD, active=True, name=None):
        from werkzeug.security import generate_password_hash

        if role is Role.CRAFTSMAN and section is None:
            section = make_section()
        n = next(_counter)
        user = User(email=email or f"user{n}@example.org", full_name=name or f"User {n}", role=role,
                    password_hash=generate_password_hash(password, method="pbkdf2:sha256:1000"),
                    section_id=section.id if section else None, active=active)
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_student(db, make_section):
    """Factory: a student in training."""
    def make(section=None, first_name=None, last_name="Martin", **fields):
        from erp.jobs.models import Student

        section = section or make_section()
        n = next(_counter)
        student = Student(first_name=first_name or f"Jeune{n}", last_name=last_name, section_id=section.id,
                          cohort="2025-2027", entry_date=fields.pop("entry_date", date(2025, 9, 1)), **fields)
        db.session.add(student)
        db.session.commit()
        return student
    return make


@pytest.fixture
def login(client, make_user):
    """Log the test client in as a new user of the given role (or as the given user); returns the user."""
    def do_login(role_or_user=Role.DIRECTOR, **user_fields):
        user = role_or_user if isinstance(role_or_user, User) else make_user(role_or_user, **user_fields)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user
    return do_login


@contextmanager
def count_queries(engine):
    """Count the SQL statements run inside the block: `with count_queries(db.engine) as queries: ...`."""
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before_cursor_execute)


@pytest.fixture
def make_client(db):
    """Factory: a client (a company with a valid SIRET by default)."""
    def make(name=None, kind=None, email="client@example.org", siret="73282932000074", **fields):
        from erp.clients.models import Client, ClientKind

        kind = kind or ClientKind.COMPANY
        client = Client(kind=kind, name=name or f"Client {next(_counter)}", email=email,
                        siret=siret if kind is not ClientKind.INDIVIDUAL else "",
                        siren=siret[:9] if kind is not ClientKind.INDIVIDUAL else "",
                        **({"address_line1": "1 rue de la Paix", "postcode": "39100", "city": "Dole"} | fields))
        db.session.add(client)
        db.session.commit()
        return client
    return make


@pytest.fixture
def make_quote(db, make_client, make_section, make_user):
    """Factory: a draft quote with lines [(quantity, unit price, VAT rate)], made by a craftsman of its section."""
    def make(lines=((Decimal("1"), Decimal("100.00"), Decimal("20.00")),), client=None, section=None, author=None,
             today=date(2026, 11, 2), deposit=Decimal("0")):
        from erp.catalog.models import Nature, Unit
        from erp.quotes import services

        section = section or (author.section if author else make_section())
        author = author or make_user(Role.CRAFTSMAN, section=section)
        quote = services.create_quote(author, client=client or make_client(), section=section, title="Escalier",
                                      today=today, deposit_percent=deposit)
        for quantity, price, rate in lines:
            services.add_line(author, quote, version=quote.version, label=f"Ligne {price}", quantity=quantity,
                              unit=Unit.PIECE, unit_price=price, vat_rate=rate, nature=Nature.SERVICES)
        db.session.commit()
        return quote
    return make


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on loopback (aiosmtpd); the app is configured to send through it."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Collect(), hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield received
    controller.stop()


@pytest.fixture
def make_material(db):
    """Factory: a material, optionally with stock received at a unit cost."""
    def make(code=None, unit_cost=Decimal("10"), on_hand=Decimal("0")):
        from erp.catalog import stock
        from erp.catalog.models import Material, Unit

        material = Material(code=code or f"MAT{next(_counter)}", label="Tube acier", unit=Unit.METRE,
                            unit_cost=unit_cost)
        db.session.add(material)
        db.session.flush()
        if on_hand:
            stock.receive(None, material, quantity=on_hand, unit_cost=unit_cost, day=date(2026, 10, 1))
        db.session.commit()
        return material
    return make


@pytest.fixture
def make_job(db, make_section, make_client, make_user):
    """Factory: a job in progress for a client, in a section, with a craftsman and students of that section."""
    def make(section=None, status="in_progress", students=2, labour_rate=Decimal("40.00"), **estimate):
        from erp.jobs import work
        from erp.jobs.models import Student
        from erp.jobs.work_models import JobKind

        section = section or make_section(hourly_rate=labour_rate)
        craftsman = make_user(Role.CRAFTSMAN, section=section)
        job = work.create_job(craftsman, today=date(2026, 10, 1), section=section, title="Garde-corps",
                              kind=JobKind.FABRICATION, client=make_client(), planned_hours=Decimal("20"))
        for name, value in estimate.items():
            setattr(job, name, value)
        pupils = [Student(first_name=f"J{n}", last_name="Élève", section_id=section.id, cohort="2025-2027",
                          entry_date=date(2025, 9, 1)) for n in range(students)]
        db.session.add_all(pupils)
        db.session.flush()
        work.assign_job(craftsman, job, version=job.version, team=None, lead=craftsman,
                        student_ids=[p.id for p in pupils])
        if status != "planned":
            work.start_job(craftsman, job, today=date(2026, 10, 1))
        db.session.commit()
        job.craftsman = craftsman
        return job
    return make


@pytest.fixture
def school(db):
    """The school's legal identity, as issuing requires it (INV-04)."""
    from erp.settings.services import get_school

    settings = get_school()
    settings.legal_name, settings.siren, settings.siret = "École de Production de Dole", "732829320", "73282932000074"
    settings.vat_number, settings.address_line1, settings.postcode, settings.city = (
        "FR44732829320", "12 rue des Forges", "39100", "Dole")
    settings.iban, settings.bic = "FR7630001007941234567890185", "BDFEFRPPCCT"
    db.session.commit()
    return settings


@pytest.fixture
def make_invoice(db, school, make_job):
    """Factory: an invoice for a delivered job with lines [(quantity, unit price, VAT rate)], issued by default."""
    def make(lines=((Decimal("1"), Decimal("1000.00"), Decimal("20.00")),), issue=True, today=date(2026, 11, 2),
             job=None, **client_fields):
        from erp.catalog.models import Nature, Unit
        from erp.invoicing import issuing, services
        from erp.jobs import work
        from erp.jobs.work_models import JobLine
        from erp.money import line_net

        job = job or make_job()
        for position, (quantity, price, rate) in enumerate(lines, start=1):
            job.lines.append(JobLine(position=position, label=f"Ouvrage {position}", quantity=quantity,
                                     unit=Unit.PIECE, unit_price=price, vat_rate=rate, nature=Nature.SERVICES,
                                     net=line_net(quantity, price)))
        for name, value in client_fields.items():
            setattr(job.client, name, value)
        work.finish_job(None, job, today=today)
        work.deliver_job(None, job, day=today)
        invoice = services.draft_from_job(None, job, today=today)
        if issue:
            issuing.issue_invoice(None, invoice, today=today)
        db.session.commit()
        return invoice
    return make


def plain_text(message) -> str:
    """The text/plain part of an e-mail received by the test SMTP server, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""
