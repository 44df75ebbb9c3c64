"""Demo invoicing: deposits, invoices for the delivered jobs, counter sales, payments, a credit note, late payers."""
import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from erp import demo_funding
from erp.auth.models import Role, User
from erp.catalog.models import CatalogItem, Unit
from erp.clients.models import Client, ClientKind
from erp.extensions import db
from erp.invoicing import issuing, payments, services
from erp.invoicing.counter import counter_sale
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, PaymentMethod
from erp.jobs.models import Section
from erp.jobs.work_models import Job, JobStatus
from erp.quotes.models import Quote, QuoteStatus

D = Decimal


def _accountant() -> User:
    return db.session.scalar(select(User).where(User.role == Role.ACCOUNTANT))


def load_invoices(today: date, rng: random.Random) -> None:
    """Everything dated in the past, issued in date order so that numbers follow dates (INV-03)."""
    accountant = _accountant()
    events: list[tuple[date, int, object]] = []
    for quote in db.session.scalars(select(Quote).where(Quote.status == QuoteStatus.ACCEPTED,
                                                        Quote.deposit_percent > 0)):
        events.append((quote.decided_at.date() + timedelta(days=2), 0, ("deposit", quote)))
    for job in db.session.scalars(select(Job).where(Job.status == JobStatus.DELIVERED, Job.client_id.is_not(None),
                                                    Job.delivered_on < today - timedelta(days=3))):
        # the most recent deliveries are left for the accountant: the “to invoice” list is not empty
        events.append((min(today, job.delivered_on + timedelta(days=rng.randint(1, 4))), 1, ("job", job)))
    for n in range(10):
        events.append((today - timedelta(days=4 + n * 6), 2, ("counter", n)))
    for day, subject in demo_funding.history_events(today, rng):
        events.append((day, 3, ("history", subject)))
    for n, (client_name, code, title, lines) in enumerate(LATE_PAYERS):
        events.append((today - timedelta(days=62 - n * 9), 1, ("late", (client_name, code, title, lines))))
    for day, _order, (kind, subject) in sorted(events, key=lambda e: (e[0], e[1])):  # numbers follow dates
        if kind == "deposit":
            invoice = services.draft_deposit(accountant, subject, today=day)
            issuing.issue_invoice(accountant, invoice, today=day)
            payments.record_payment(accountant, invoice, day=min(today, day + timedelta(days=6)),
                                    amount=invoice.amount_due, method=PaymentMethod.TRANSFER,
                                    reference=f"VIR {subject.client.name[:20]}", today=today)
        elif kind == "job":
            invoice = services.draft_from_job(accountant, subject, today=day)
            issuing.issue_invoice(accountant, invoice, today=day)
        elif kind == "late":
            _late_payer(accountant, day, *subject)
        elif kind == "history":
            demo_funding.invoice_history(accountant, day, subject, today, rng)
        else:
            _counter(accountant, day, subject, rng, today)
        db.session.flush()
    _settle(accountant, today, rng)
    send_first_reminders(today)


#: business clients whose service was invoiced weeks ago and is still unpaid
LATE_PAYERS = [
    ("Transports Comtois SARL", "MEC", "Entretien de deux porteurs", [("MEC-VIDANGE", "2"), ("MEC-FREINS", "2")]),
    ("Taxis du Val d’Amour", "PNE", "Pneus été et équilibrage — trois taxis", [("PNE-205-55R16", "12"),
                                                                                ("PNE-MONT", "12"), ("PNE-EQU", "12")]),
    ("Espaces Verts Bourgeois", "MEC", "Diagnostic et réparation d’un utilitaire", [("MEC-DIAG", "1"),
                                                                                     ("MEC-MO", "6")]),
]


def _late_payer(accountant: User, day: date, client_name: str, code: str, title: str, lines) -> None:
    """A service delivered and invoiced on `day`, never paid: it shows on the late-payers page."""
    from erp.documents.lines import line_values
    from erp.jobs import work
    from erp.jobs.work_models import JobKind, JobLine

    section = db.session.scalar(select(Section).where(Section.code == code))
    client = db.session.scalar(select(Client).where(Client.name == client_name))
    job = work.create_job(accountant, today=day, section=section, title=title, kind=JobKind.SERVICE, client=client,
                          planned_start=day, due_date=day)
    for position, (item_code, quantity) in enumerate(lines, start=1):
        item = db.session.scalar(select(CatalogItem).where(CatalogItem.code == item_code))
        job.lines.append(JobLine(position=position, catalog_item_id=item.id, **line_values(
            label=item.label, quantity=D(quantity), unit=item.unit, unit_price=item.unit_price,
            discount_percent=D(0), vat_rate=item.vat_rate, nature=item.nature)))
    job.revenue_quoted = sum((line.net for line in job.lines), D(0))
    for step in (work.start_job, work.finish_job):
        step(accountant, job, today=day)
    work.deliver_job(accountant, job, day=day, received_by=client.name)
    invoice = services.draft_from_job(accountant, job, today=day)
    issuing.issue_invoice(accountant, invoice, today=day)


def _counter(accountant: User, day: date, n: int, rng: random.Random, today: date) -> None:
    tyres = db.session.scalar(select(Section).where(Section.code == "PNE"))
    items = {i.code: i for i in db.session.scalars(select(CatalogItem).where(CatalogItem.section_id == tyres.id))}
    people = list(db.session.scalars(select(Client).where(Client.kind == ClientKind.INDIVIDUAL).order_by(Client.id)))
    basket = rng.choice([[("PNE-MONT", "4"), ("PNE-EQU", "4")], [("PNE-REP", "1")],
                         [("PNE-205-55R16", "2"), ("PNE-MONT", "2"), ("PNE-EQU", "2")], [("PNE-GARD", "1")]])
    counter_sale(accountant, client=people[n % len(people)], section=tyres,
                 items=[(items[code], D(quantity)) for code, quantity in basket],
                 method=rng.choice([PaymentMethod.CARD, PaymentMethod.CASH, PaymentMethod.CHEQUE]),
                 reference="", vehicle=f"{rng.choice('ABCDEFGH')}{rng.choice('KLMNPR')}-{rng.randint(100, 999)}-"
                                       f"{rng.choice('STVWXZ')}{rng.choice('ABCDEF')}", today=day)


def _settle(accountant: User, today: date, rng: random.Random) -> None:
    """Most business invoices paid (one in two instalments), two late payers, a commercial gesture by credit note."""
    open_invoices = list(db.session.scalars(select(Invoice).where(
        Invoice.kind == InvoiceKind.INVOICE, Invoice.status == InvoiceStatus.ISSUED).order_by(Invoice.issue_date)))
    gesture = next((invoice for invoice in open_invoices if invoice.quote_id), None)
    for index, invoice in enumerate(open_invoices):
        if invoice is gesture:  # a partial credit: the client found a scratch on the handrail
            note = services.draft_credit_note(accountant, invoice, full=False)
            services.add_line(accountant, note, version=note.version, label="Geste commercial — reprise de peinture",
                              quantity=D("1"), unit=Unit.FLAT_RATE, unit_price=D("150.00"),
                              vat_rate=invoice.lines[0].vat_rate, nature=invoice.lines[0].nature)
            issuing.issue_invoice(accountant, note, today=min(today, invoice.issue_date + timedelta(days=5)))
        if index % 3 == 2 or invoice.client.name in {name for name, *_rest in LATE_PAYERS}:
            continue  # left unpaid: a late payer once the due date passes
        paid_on = min(today, invoice.issue_date + timedelta(days=rng.randint(10, 28)))
        if index % 3 == 1:
            payments.record_payment(accountant, invoice, day=paid_on, amount=(invoice.balance / 2).quantize(D("0.01")),
                                    method=PaymentMethod.CHEQUE, reference=f"CHQ {rng.randint(1000000, 9999999)}",
                                    today=today)
        else:
            payments.record_payment(accountant, invoice, day=paid_on, amount=invoice.balance,
                                    method=PaymentMethod.TRANSFER, reference=f"VIR {invoice.number}", today=today)


def send_first_reminders(today: date) -> None:
    """The accountant already sent a friendly reminder to the oldest late payer (it sits in the outbox)."""
    late = db.session.scalars(payments.overdue_query(today)).first()
    if late is not None and late.days_late(today) >= payments.REMINDER_DELAYS[1] and late.client.email:
        payments.send_reminder(_accountant(), late, level=1, today=today)
