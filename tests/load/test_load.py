"""Load on loopback (issue 9): gunicorn with 4 workers on PostgreSQL, 30 simulated users for 60 s reading pages,
logging time, issuing invoices and recording payments. Afterwards: no server error, every accepted write is in
the database, invoice numbers run without gap or duplicate (COR-01), the journal verifies. The report (throughput,
latency) goes to test-artifacts/load-report.md."""
import json
import os
import random
import re
import socket
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench.timing import percentile
from tests.conftest import make_config

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
USERS, SECONDS = 30, int(os.environ.get("LOAD_SECONDS", "60"))
PASSWORD = "charge-de-travail-2026"
READ_PAGES = {"craftsman": ["/overview", "/quotes/", "/jobs/", "/clients/", "/jobs/costing", "/jobs/workload"],
              "accountant": ["/dashboard", "/invoices/", "/invoices/overdue", "/clients/", "/jobs/costing"],
              "director": ["/dashboard", "/overview", "/invoices/", "/quotes/", "/jobs/", "/clients/",
                           "/invoices/overdue", "/jobs/costing"]}

pytestmark = pytest.mark.load


class Forms(HTMLParser):
    """The hidden fields (CSRF token, version) of each form of a page, by action."""

    def __init__(self, html: str):
        super().__init__()
        self.forms, self._action = {}, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._action = attrs.get("action", "")
            self.forms.setdefault(self._action, {})
        elif tag == "input" and self._action is not None and attrs.get("type") == "hidden" and attrs.get("name"):
            self.forms[self._action][attrs["name"]] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._action = None

    def hidden(self, action_end: str) -> dict:
        found = next((fields for action, fields in self.forms.items() if action and action.endswith(action_end)), None)
        return found if found is not None else self.forms.get("")  # a form posting to its own page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def load_database():
    """A fresh PostgreSQL database with the demo school, migrated like production."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("the load test runs on PostgreSQL (set TEST_DATABASE_URL)")
    url = make_url(os.environ["TEST_DATABASE_URL"]).set(database="atelier_load")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS atelier_load WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE atelier_load"))
    server.dispose()
    rendered = url.render_as_string(hide_password=False)
    environment = dict(os.environ, DATABASE_URL=rendered, FLASK_APP="app.py")
    for command in (["db", "upgrade"], ["demo-data"]):
        subprocess.run([sys.executable, "-m", "flask", *command], cwd=ROOT, env=environment, check=True,
                       capture_output=True)
    return rendered


@pytest.fixture(scope="module")
def plan(load_database):
    """The simulated users' accounts and what each may act on: open jobs and students per section, drafts to issue,
    invoices to pay."""
    from bench.issuing import make_drafts
    from erp import create_app
    from erp.auth.models import Role
    from erp.auth.services import create_user
    from erp.extensions import db
    from erp.invoicing.models import Invoice, InvoiceKind, InvoiceStatus
    from erp.jobs.models import Section, Student, StudentStatus
    from erp.jobs.work_models import Job, JobStatus

    app = create_app(make_config(load_database))
    with app.app_context():
        sections = db.session.scalars(select(Section).order_by(Section.id)).all()
        users = []
        for n in range(USERS):
            role = Role.CRAFTSMAN if n < 10 else Role.ACCOUNTANT if n < 16 else Role.DIRECTOR
            section = sections[n % len(sections)] if role is Role.CRAFTSMAN else None
            user = create_user(None, email=f"charge{n}@example.org", full_name=f"Utilisateur {n}", role=role,
                               password=PASSWORD, section_id=section.id if section else None)
            users.append((user.email, role.value, section.id if section else None))
        db.session.commit()
        open_jobs = defaultdict(list)
        for job in db.session.scalars(select(Job).where(Job.status.in_([JobStatus.PLANNED, JobStatus.IN_PROGRESS]))):
            open_jobs[job.section_id].append(job.id)
        students = defaultdict(list)
        for student in db.session.scalars(select(Student).where(Student.status == StudentStatus.ACTIVE)):
            students[student.section_id].append(student.id)
        drafts = [draft_id for draft_id, _version in make_drafts(db, 200)]
        payable = db.session.scalars(select(Invoice.id).where(
            Invoice.kind != InvoiceKind.CREDIT_NOTE,
            Invoice.status.in_([InvoiceStatus.ISSUED, InvoiceStatus.PARTLY_PAID]))).all()
        db.session.remove()
        db.engine.dispose()
    return {"users": users, "open_jobs": open_jobs, "students": students, "drafts": drafts, "payable": payable}


@pytest.fixture(scope="module")
def gunicorn(load_database):
    """gunicorn, 4 sync workers, serving the app on a loopback port."""
    port = _free_port()
    environment = dict(os.environ, DATABASE_URL=load_database, SECRET_KEY="load-test-secret",
                       LOGIN_RATE_LIMIT="100000 per minute", PUBLIC_URL=f"http://127.0.0.1:{port}",
                       FACTURX_SCHEMATRON_ON_ISSUE="true")
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
                                "--timeout", "60", "--log-level", "warning", "app:app"], cwd=ROOT, env=environment)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if requests.get(f"{base}/login", timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        yield base
    finally:
        process.terminate()
        process.wait(30)


class SimulatedUser(threading.Thread):
    """One member of staff clicking through the app as fast as gunicorn answers (with a short pause)."""

    def __init__(self, base, account, plan, stop_at, results, shared):
        super().__init__(daemon=True)
        self.base, (self.email, self.role, self.section_id) = base, account
        self.plan, self.stop_at, self.results, self.shared = plan, stop_at, results, shared
        self.session = requests.Session()
        self.rng = random.Random(self.email)

    def call(self, kind, method, path, **options):
        began = time.perf_counter()
        try:
            response = self.session.request(method, self.base + path, allow_redirects=False, timeout=60, **options)
            status = response.status_code
        except requests.RequestException as error:
            response, status = None, f"error: {type(error).__name__}"
        self.results.append((kind, status, (time.perf_counter() - began) * 1000))
        return response

    def form(self, page, action_end):
        response = self.call("read", "GET", page)
        return Forms(response.text).hidden(action_end) if response is not None and response.status_code == 200 else None

    def run(self):
        login = self.form("/login", "") or {}
        self.call("login", "POST", "/login", data=login | {"email": self.email, "password": PASSWORD})
        while time.monotonic() < self.stop_at:
            action = self.rng.random()
            if self.role == "craftsman" and action < .6:
                self.log_time()
            elif self.role == "accountant" and action < .3:
                self.issue()
            elif self.role == "accountant" and action < .6:
                self.pay()
            else:
                self.call("read", "GET", self.rng.choice(READ_PAGES[self.role]))
            time.sleep(self.rng.uniform(0, .3))

    def log_time(self):
        jobs, students = self.plan["open_jobs"][self.section_id], self.plan["students"][self.section_id]
        if not jobs or not students:
            return
        job = self.rng.choice(jobs)
        hidden = self.form(f"/time?job={job}", "/time") or {}
        marker = f"charge {self.email} {self.rng.getrandbits(40):x}"
        day = date.today() - timedelta(days=self.rng.randint(0, 20))
        response = self.call("time", "POST", "/time", data=hidden | {
            "job_id": job, "day": day.isoformat(), "hours": "0,25", "student_ids": [self.rng.choice(students)],
            "supervision_hours": "", "description": marker})
        if response is not None and response.status_code == 302:
            self.shared["time"].append(marker)

    def issue(self):
        with self.shared["lock"]:
            if not self.plan["drafts"]:
                return
            draft = self.plan["drafts"].pop()
        hidden = self.form(f"/invoices/{draft}", "/issue")
        response = self.call("issue", "POST", f"/invoices/{draft}/issue", data=hidden)
        if response is not None and response.status_code == 302:
            self.shared["issued"].append(draft)
            with self.shared["lock"]:
                self.plan["payable"].append(draft)

    def pay(self):
        with self.shared["lock"]:
            invoice = self.rng.choice(self.plan["payable"])
        hidden = self.form(f"/invoices/{invoice}", "/payments")
        if hidden is None:
            return
        reference = f"CHARGE {self.rng.getrandbits(40):x}"
        response = self.call("payment", "POST", f"/invoices/{invoice}/payments", data=hidden | {
            "day": date.today().isoformat(), "amount": "1,00", "method": "transfer", "reference": reference})
        if response is not None and response.status_code == 302:
            self.shared["paid"].append(reference)


def _report(results, seconds) -> dict:
    kinds = defaultdict(list)
    for kind, _status, ms in results:
        kinds[kind].append(ms)
    return {"users": USERS, "seconds": seconds, "requests": len(results),
            "throughput_per_s": round(len(results) / seconds, 1),
            "statuses": dict(Counter(str(status) for _kind, status, _ms in results)),
            "latency_ms": {kind: {"count": len(values), "p50": round(percentile(values, .5), 1),
                                  "p95": round(percentile(values, .95), 1), "max": round(max(values), 1)}
                           for kind, values in sorted(kinds.items())}}


def test_thirty_users_for_a_minute_lose_nothing(gunicorn, plan, load_database):
    """Zero 5xx; every accepted time entry, issue and payment present; numbers gapless; the journal intact."""
    from erp import create_app
    from erp.extensions import db
    from erp.invoicing.journal import verify
    from erp.invoicing.models import Invoice, Payment
    from erp.jobs.work_models import TimeEntry

    results, shared = [], {"lock": threading.Lock(), "time": [], "issued": [], "paid": []}
    began = time.monotonic()
    users = [SimulatedUser(gunicorn, account, plan, began + SECONDS, results, shared) for account in plan["users"]]
    for user in users:
        user.start()
    for user in users:
        user.join(SECONDS + 120)
    elapsed = time.monotonic() - began
    report = _report(results, elapsed)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "load-report.json").write_text(json.dumps(report, indent=2))
    rows = "\n".join(f"| {kind} | {v['count']} | {v['p50']} | {v['p95']} | {v['max']} |"
                     for kind, v in report["latency_ms"].items())
    (ARTIFACTS / "load-report.md").write_text(
        f"# Load test\n\n{USERS} users, {elapsed:.0f} s, gunicorn 4 workers, PostgreSQL: {report['requests']} requests, "
        f"{report['throughput_per_s']} requests/s; statuses {report['statuses']}.\n\n"
        f"| Kind | Requests | p50 ms | p95 ms | max ms |\n|---|---:|---:|---:|---:|\n{rows}\n")
    print(json.dumps(report, indent=2))

    failures = [r for r in results if not isinstance(r[1], int) or r[1] >= 500]
    assert not failures, f"server errors: {failures[:10]}"
    assert all(status in (200, 302) for kind, status, _ms in results if kind in ("read", "login")), report["statuses"]
    assert shared["time"] and shared["issued"] and shared["paid"], "each kind of write happened"

    app = create_app(make_config(load_database))
    with app.app_context():
        logged = set(db.session.scalars(select(TimeEntry.description).where(
            TimeEntry.description.like("charge %"))))
        assert set(shared["time"]) <= logged
        numbers = dict(db.session.execute(select(Invoice.id, Invoice.number).where(
            Invoice.id.in_(shared["issued"]))).all())
        assert all(numbers.get(draft) for draft in shared["issued"])
        references = set(db.session.scalars(select(Payment.reference).where(Payment.reference.like("CHARGE %"))))
        assert set(shared["paid"]) == references
        series = defaultdict(list)
        for number in db.session.scalars(select(Invoice.number).where(Invoice.number.is_not(None))):
            prefix, value = re.fullmatch(r"(.+)-(\d+)", number).groups()
            series[prefix].append(int(value))
        for prefix, values in series.items():
            assert sorted(values) == list(range(1, len(values) + 1)), f"{prefix}: gap or duplicate"
        assert verify().ok
        db.session.remove()
        db.engine.dispose()
