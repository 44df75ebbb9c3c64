"""`flask bench-data`: a large school's decade of records, bulk-inserted, for the benchmark and the export figures.

Per fiscal year: ~450 quotes, 300 fabrication jobs, 5 000 counter tyre services, ~5 500 invoices of about three
lines, 300 payments a month, 20 000 time entries; 2 000 clients in all. The documents are chained in the journal
exactly as issuing does (so `flask verify-journal` passes), but carry no stored PDF: rendering 55 000 PDFs would
take hours and tells nothing the benchmark's own issuing measurement does not.
"""
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import func, insert, select, text

from erp import demo, demo_sales
from erp.accounting.chart import load_chart
from erp.catalog.models import CatalogItem, Nature, Unit
from erp.clients.models import Client, ClientKind
from erp.extensions import db
from erp.funding.models import FunderKind, Resource, ResourceKind
from erp.invoicing import immutability, journal
from erp.invoicing.issuing import CLIENT_SNAPSHOT, SCHOOL_SNAPSHOT, _snapshot
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceLine, JournalEntry, Payment, invoice_deposits
from erp.jobs.models import Section, Team, team_members
from erp.jobs.work_models import Job, JobLine, TimeEntry
from erp.money import compute_totals, line_net, percent_of
from erp.numbering import Counter, format_number
from erp.quotes.models import Quote, QuoteLine
from erp.settings.services import (default_fiscal_year_dates, fiscal_year_for, fiscal_year_label, get_school,
                                   save_fiscal_year)

D = Decimal
PER_YEAR = {"quotes": 450, "fabrication": 300, "counter": 5000, "payments_per_month": 300, "time_entries": 20000}
CLIENTS = 2000
CHUNK = 5000
FABRICATION_LINES = [("Escalier métallique droit, limons en UPN", Unit.FLAT_RATE, "2400.00", "10.00"),
                     ("Garde-corps acier, barreaudage vertical", Unit.METRE, "185.00", "20.00"),
                     ("Passerelle caillebotis galvanisé", Unit.SQUARE_METRE, "320.00", "20.00"),
                     ("Pose sur site", Unit.HOUR, "45.00", "20.00"),
                     ("Portail coulissant sur mesure", Unit.FLAT_RATE, "1850.00", "20.00")]
STREETS = ["rue des Arènes", "avenue de Lahr", "rue de Besançon", "boulevard Wilson", "rue Pasteur",
           "place Grévy", "rue du Doubs", "chemin des Vignes"]
TOWNS = [("39100", "Dole"), ("39100", "Foucherans"), ("39500", "Tavaux"), ("21000", "Dijon"),
         ("25000", "Besançon"), ("39000", "Lons-le-Saunier")]


class Rows:
    """Rows waiting to be inserted, table by table, with explicit ids so they can reference each other."""

    def __init__(self):
        self.pending: dict = defaultdict(list)
        self.next_id: dict = defaultdict(lambda: 1)
        self.counts: dict = defaultdict(int)

    def add(self, table, row: dict | None = None, **values) -> dict:
        """Queue a row and give it its id; the row stays the caller's dict, so it may still be completed."""
        row = row if row is not None else values
        if "id" in table.c:
            row["id"] = self.next_id[table.name]
            self.next_id[table.name] += 1
        self.pending[table].append(row)
        self.counts[table.name] += 1
        return row

    def flush(self) -> None:
        """Insert in dependency order, a chunk at a time (executemany of rows with the same columns)."""
        for table in db.metadata.sorted_tables:
            shapes = defaultdict(list)
            for row in self.pending.pop(table, []):
                shapes[tuple(sorted(row))].append(row)
            for rows in shapes.values():
                for start in range(0, len(rows), CHUNK):
                    db.session.execute(insert(table), rows[start:start + CHUNK])


class Numbers:
    """Document numbers per series and calendar year, as the counters would give them."""

    def __init__(self):
        self.values: dict = defaultdict(int)

    def next(self, series: str, day: date, width: int) -> str:
        self.values[(series, day.year)] += 1
        return format_number(series, day.year, self.values[(series, day.year)], width)


def _clients(rows: Rows, rng: random.Random) -> list[dict]:
    clients = []
    for n in range(1, CLIENTS + 1):
        business = n % 4 == 0
        postcode, city = rng.choice(TOWNS)
        siren = f"{732829320 + n * 11:09d}"[:9] if business else ""
        values = dict(kind=ClientKind.COMPANY if business else ClientKind.INDIVIDUAL,
                      name=f"Entreprise {n} SARL" if business else f"{rng.choice(demo.FIRST_NAMES)} "
                                                                  f"{rng.choice(demo.LAST_NAMES)} ({n})",
                      siren=siren, siret=siren + "00017" if business else "", email=f"client{n}@example.org",
                      address_line1=f"{rng.randint(1, 90)} {rng.choice(STREETS)}", postcode=postcode, city=city)
        clients.append(rows.add(Client.__table__, values))
    return clients


def _client_snapshot(client: dict) -> dict:
    return _snapshot(SimpleNamespace(**({name: "" for name in CLIENT_SNAPSHOT} | client | {"country_code": "FR"})),
                     CLIENT_SNAPSHOT)


def _line(position: int, label: str, unit: Unit, price: str, rate: str, quantity: Decimal, nature, item_id=None):
    unit_price = D(price)
    return dict(position=position, label=label, quantity=quantity, unit=unit, unit_price=unit_price,
                discount_percent=D("0.00"), vat_rate=D(rate).quantize(D("0.01")), nature=nature,
                net=line_net(quantity, unit_price), catalog_item_id=item_id)


class Decade:
    """Builds the years one after the other, then the journal chain over all of them."""

    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.rows, self.numbers = Rows(), Numbers()
        self.school = _snapshot(get_school(), SCHOOL_SNAPSHOT)
        self.chart = load_chart()
        self.sections = {s.code: s for s in db.session.scalars(select(Section))}
        self.teams = {team.section_id: team for team in db.session.scalars(select(Team))}
        members = db.session.execute(select(team_members.c.team_id, team_members.c.student_id)).all()
        self.members = defaultdict(list)
        for team_id, student_id in members:
            self.members[team_id].append(student_id)
        self.tyre_items = list(db.session.scalars(select(CatalogItem).where(
            CatalogItem.section_id == self.sections["PNE"].id)))
        self.events: list = []  #: (moment, kind, record id, payload) of every document and payment

    def _day(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    def year(self, start: date, end: date, clients: list[dict]) -> None:
        end = min(end, self.today)
        share = ((end - start).days + 1) / 365
        businesses = [c for c in clients if c["kind"] is ClientKind.COMPANY]
        individuals = [c for c in clients if c["kind"] is ClientKind.INDIVIDUAL]
        for _ in range(int(PER_YEAR["quotes"] * share)):
            self._fabrication(start, end, self.rng.choice(businesses))
        for _ in range(int(PER_YEAR["counter"] * share)):
            self._counter(start, end, self.rng.choice(individuals + businesses[:100]))
        self._resources(start, end)

    def _invoice(self, kind: InvoiceKind, client: dict, day: date, lines: list[dict], **values) -> dict:
        totals = compute_totals((line["net"], line["vat_rate"]) for line in lines)
        deposits_net, deposits_vat = values.pop("deposits_net", D(0)), values.pop("deposits_vat", D(0))
        sign = -1 if kind is InvoiceKind.CREDIT_NOTE else 1
        invoice = dict(kind=kind, number=None, status=values.pop("status"), client_id=client["id"],
                       title=values.pop("title"), issue_date=day, due_date=day + timedelta(days=30),
                       total_net=totals.net, total_vat=totals.vat, total_gross=totals.gross,
                       deposits_net=deposits_net, deposits_vat=deposits_vat, deposits_gross=deposits_net + deposits_vat,
                       revenue_net=sign * (totals.net - deposits_net),
                       amount_due=totals.gross - deposits_net - deposits_vat,
                       snapshot={"client": _client_snapshot(client), "school": self.school},
                       issued_at=datetime.combine(day, time(10), tzinfo=timezone.utc),
                       created_at=datetime.combine(day, time(9), tzinfo=timezone.utc), **values)
        self.rows.add(Invoice.__table__, invoice)
        for line in lines:
            self.rows.add(InvoiceLine.__table__, invoice_id=invoice["id"], **line)
        self.events.append((invoice["issued_at"], kind.value, invoice["id"], invoice))
        return invoice

    def _pay(self, invoice: dict, day: date, amount: Decimal, method: str, reference: str = "") -> None:
        moment = datetime.combine(day, time(16), tzinfo=timezone.utc)
        payment = dict(invoice_id=invoice["id"], day=day, amount=amount, method=method, reference=reference,
                       created_at=moment)
        self.rows.add(Payment.__table__, payment)
        self.events.append((moment, "payment", payment["id"], payment))

    def _job(self, section: Section, client: dict, day: date, title: str, kind: str, lines: list[dict],
             status: str, **values) -> dict:
        team = self.teams[section.id]
        job = dict(number=self.numbers.next("OF", day, 4), client_id=client["id"], section_id=section.id,
                   title=title, kind=kind, status=status, planned_start=day, due_date=day + timedelta(days=30),
                   team_id=team.id, lead_craftsman_id=team.lead_craftsman_id, labour_rate=section.hourly_rate,
                   revenue_quoted=sum((line["net"] for line in lines), D(0)),
                   created_at=datetime.combine(day, time(8, 30), tzinfo=timezone.utc), **values)
        self.rows.add(Job.__table__, job)
        for line in lines:
            self.rows.add(JobLine.__table__, job_id=job["id"], **line)
        return job

    def _fabrication(self, start: date, end: date, client: dict) -> None:
        rng, metal = self.rng, self.sections["MET"]
        day = self._day(start, end)
        lines = [_line(position, *rng.choice(FABRICATION_LINES), quantity=D(rng.randint(1, 12)),
                       nature=Nature.SERVICES) for position in range(1, 4)]
        totals = compute_totals((line["net"], line["vat_rate"]) for line in lines)
        decided = day + timedelta(days=rng.randint(3, 20))
        outcome = "sent" if decided > self.today else rng.choices(
            ["accepted", "declined", "expired"], [67, 20, 13])[0]
        deposit = D("30") if outcome == "accepted" and rng.random() < .67 else D("0")
        quote = dict(number=self.numbers.next("D", day, 4), client_id=client["id"], section_id=metal.id,
                     title="Ouvrage métallique sur mesure", status=outcome, issue_date=day,
                     valid_until=day + timedelta(days=30), deposit_percent=deposit, total_net=totals.net,
                     total_vat=totals.vat, total_gross=totals.gross, labour_rate=metal.hourly_rate,
                     student_hours=D(rng.randint(20, 120)), craftsman_hours=D(rng.randint(4, 20)),
                     sent_at=datetime.combine(day, time(11), tzinfo=timezone.utc),
                     decided_at=datetime.combine(decided, time(14), tzinfo=timezone.utc)
                     if outcome != "sent" else None,
                     created_at=datetime.combine(day, time(9), tzinfo=timezone.utc))
        self.rows.add(Quote.__table__, quote)
        for line in lines:
            self.rows.add(QuoteLine.__table__, quote_id=quote["id"], **line)
        if outcome != "accepted":
            return
        deposit_invoice = None
        if deposit:
            deposit_lines = [_line(n, f"Acompte de 30 % — TVA {g.rate} %", Unit.FLAT_RATE,
                                   str(percent_of(g.net, deposit)), str(g.rate), D(1), Nature.SERVICES)
                             for n, g in enumerate(totals.groups, start=1)]
            deposit_invoice = self._invoice(InvoiceKind.DEPOSIT, client, decided, deposit_lines, status="paid",
                                            title="Acompte", quote_id=quote["id"], section_id=metal.id)
            deposit_invoice["due_date"] = decided
            self._pay(deposit_invoice, min(self.today, decided + timedelta(days=5)), deposit_invoice["amount_due"],
                      "transfer", f"VIR {quote['number']}")
        started = decided + timedelta(days=7)
        delivered = started + timedelta(days=rng.randint(20, 45))
        status = "invoiced" if delivered <= self.today else ("in_progress" if started <= self.today else "planned")
        job = self._job(metal, client, started, quote["title"], "fabrication", lines, status, quote_id=quote["id"],
                        est_student_hours=quote["student_hours"], est_craftsman_hours=quote["craftsman_hours"],
                        started_on=started if started <= self.today else None,
                        delivered_on=delivered if status == "invoiced" else None)
        self._time(job, started, min(delivered, self.today), 50)
        if status != "invoiced":
            return
        extra = {}
        if deposit_invoice:
            extra = dict(deposits_net=deposit_invoice["total_net"], deposits_vat=deposit_invoice["total_vat"])
        final = self._invoice(InvoiceKind.INVOICE, client, delivered, lines, status="issued", title=quote["title"],
                              job_id=job["id"], quote_id=quote["id"], section_id=metal.id, **extra)
        if deposit_invoice:
            self.rows.add(invoice_deposits, final_invoice_id=final["id"], deposit_invoice_id=deposit_invoice["id"])
        paid_on = delivered + timedelta(days=rng.randint(10, 50))
        if paid_on <= self.today:
            self._pay(final, paid_on, final["amount_due"], "transfer", f"VIR {quote['number']}")
            self._settle(final, final["amount_due"])

    def _settle(self, invoice: dict, paid: Decimal) -> None:
        """The status and paid amount the payments give (set before insert: the row is frozen once issued)."""
        invoice["paid_amount"] = paid
        invoice["status"] = "paid" if paid >= invoice["amount_due"] else "partly_paid"

    def _counter(self, start: date, end: date, client: dict) -> None:
        rng, tyres = self.rng, self.sections["PNE"]
        day = self._day(start, end)
        items = rng.sample(self.tyre_items, k=min(3, len(self.tyre_items)))
        quantity = D(rng.choice([2, 4]))
        lines = [_line(n, item.label, item.unit, str(item.unit_price), str(item.vat_rate), quantity, item.nature,
                       item.id) for n, item in enumerate(items, start=1)]
        job = self._job(tyres, client, day, "Prestation au comptoir", "service", lines, "invoiced",
                        started_on=day, finished_on=day, delivered_on=day, est_student_hours=D("1.5"))
        self._time(job, day, day, 1)
        invoice = self._invoice(InvoiceKind.INVOICE, client, day, lines, status="issued", title=job["title"],
                                job_id=job["id"], section_id=tyres.id)
        # about 3 300 counter sales a year are paid on the spot; fleet clients pay the others later
        if rng.random() < .66:
            method = rng.choices(["card", "cash", "cheque"], [70, 20, 10])[0]
            self._pay(invoice, day, invoice["amount_due"], method)
            self._settle(invoice, invoice["amount_due"])

    def _time(self, job: dict, start: date, end: date, entries: int) -> None:
        students = self.members[job["team_id"]] or [None]
        span = max((end - start).days, 0)
        for _ in range(entries):
            day = start + timedelta(days=self.rng.randint(0, span))
            self.rows.add(TimeEntry.__table__, job_id=job["id"], student_id=self.rng.choice(students), day=day,
                          hours=D("3.5") if entries > 1 else D("0.75"), description="Travail à l’atelier",
                          created_at=datetime.combine(day, time(17), tzinfo=timezone.utc))

    def _resources(self, start: date, end: date) -> None:
        fiscal_year = fiscal_year_for(start)
        for kind, funder, funder_kind, amount in (
                (ResourceKind.SUBSIDY, "Région Bourgogne-Franche-Comté", FunderKind.REGION, "45000.00"),
                (ResourceKind.SUBSIDY, "Département du Jura", FunderKind.DEPARTMENT, "20000.00"),
                (ResourceKind.APPRENTICESHIP_TAX, "Solde de la taxe d’apprentissage", FunderKind.COMPANY, "18000.00"),
                (ResourceKind.DONATION, "Rotary Club de Dole", FunderKind.OTHER, "2500.00"),
                (ResourceKind.PATRONAGE, "Fondation d’entreprise", FunderKind.COMPANY, "10000.00")):
            self.rows.add(Resource.__table__, kind=kind, funder=funder, funder_kind=funder_kind,
                          day=self._day(start, end), amount=D(amount), fiscal_year_id=fiscal_year.id,
                          account=self.chart.resource(kind).number)

    def chain(self) -> None:
        """Number the documents in the order they were issued and chain them with the payments, exactly as
        issuing and `journal.append` do."""
        previous = journal.GENESIS
        for sequence, (moment, kind, record_id, record) in enumerate(sorted(self.events, key=lambda e: e[:3]),
                                                                     start=1):
            if kind == "payment":
                payload = journal.payment_payload(SimpleNamespace(**(record | {
                    "method": SimpleNamespace(value=record["method"]), "reverses_id": None})))
            else:
                record["number"] = self.numbers.next(record["kind"].series, record["issue_date"], 5)
                payload = journal.invoice_payload(SimpleNamespace(pdf_sha256="", credited_invoice_id=None, **record))
            text_payload = journal._canonical(payload)
            digest = journal._digest(sequence, kind, record_id, text_payload, previous)
            self.rows.add(JournalEntry.__table__, sequence=sequence, at=moment, kind=kind, record_id=record_id,
                          payload=text_payload, previous_hash=previous, hash=digest)
            previous = digest
        self.numbers.values[("JRNL", 0)] = len(self.events)

    def counters(self) -> None:
        for (series, year), value in self.numbers.values.items():
            self.rows.add(Counter.__table__, series=series, year=year, value=value)


def _sequences_after_explicit_ids() -> None:
    """PostgreSQL's id sequences do not see explicit ids: move them past the rows inserted."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.c.id.autoincrement:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                    f"GREATEST((SELECT MAX(id) FROM {table.name}), 1))"))


def load_bench(years: int, today: date | None = None, seed: int = 2026) -> dict:
    """Fill an empty database with the demo school's people and `years` fiscal years of records."""
    if not demo.database_is_empty():
        raise demo.DatabaseNotEmpty()
    today = today or date.today()
    rng = random.Random(seed)
    demo._school()
    demo._staff()
    demo._sections_and_people(today, rng)
    demo_sales.load_catalog()
    first, last = default_fiscal_year_dates(get_school().fiscal_year_start_month, today)
    spans = []
    for back in range(years - 1, -1, -1):
        start, end = default_fiscal_year_dates(9, date(first.year - back, 9, 1))
        save_fiscal_year(None, None, label=fiscal_year_label(start, end), start_date=start, end_date=end,
                         budget=D("1200000.00"), target_percent=D("60.00"))
        spans.append((start, end))
    db.session.flush()
    decade = Decade(rng, today)
    clients = _clients(decade.rows, rng)
    for start, end in spans:
        decade.year(start, end, clients)
    decade.chain()
    decade.counters()
    connection = db.session.connection()
    immutability.uninstall(connection)  # the documents arrive issued, lines included
    decade.rows.flush()
    immutability.install(connection)
    _sequences_after_explicit_ids()
    db.session.execute(text("ANALYZE"))  # the planner's statistics, as after any bulk load
    return dict(decade.rows.counts)


def row_counts() -> dict:
    """How many rows the main tables hold."""
    return {model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in (Client, Quote, Job, TimeEntry, Invoice, InvoiceLine, Payment, JournalEntry)}
