"""Job pages: who may see and do what, the phone time form, the board without N+1, the delivery note."""
import io
import re
from datetime import date
from decimal import Decimal

from pypdf import PdfReader
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.jobs.work_models import Job, JobStatus, TimeEntry
from tests.conftest import count_queries

D = Decimal


def test_craftsman_logs_a_team_session_from_a_phone(client, login, db, make_job):
    """The quick form: job preselected with its students ticked; one POST logs them all."""
    job = make_job()
    login(job.craftsman)
    page = client.get(f"/time?job={job.id}").get_data(as_text=True)
    ticked = {int(value) for value in re.findall(r'<input checked[^>]*name="student_ids"[^>]*value="(\d+)"', page)}
    assert ticked == set(job.student_ids)
    response = client.post("/time", data={"job_id": job.id, "day": date.today().isoformat(), "hours": "3,5",
                                          "student_ids": job.student_ids, "supervision_hours": "1",
                                          "description": "Soudure"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(TimeEntry.id))) == 3


def test_bad_time_input_is_refused_with_nothing_written(client, login, db, make_job):
    """13 hours, none, or a future day: 422 with the French message."""
    job = make_job()
    login(job.craftsman)
    base = {"job_id": job.id, "day": date.today().isoformat(), "hours": "4", "student_ids": job.student_ids}
    for changes, message in (({"hours": "13"}, "au plus 12"), ({"hours": "0"}, "au moins 0,25"),
                             ({"day": "2999-01-01"}, "jour à venir"), ({"student_ids": []}, "Cochez au moins")):
        response = client.post("/time", data=base | changes)
        assert response.status_code == 422 and message in response.get_data(as_text=True), changes
    assert db.session.scalar(select(func.count(TimeEntry.id))) == 0


def test_a_craftsman_of_another_section_sees_but_cannot_act(client, login, db, make_job):
    """Decided rule: every craftsman sees every job; only the job's section acts on it (403)."""
    job = make_job()
    login(Role.CRAFTSMAN)
    assert client.get(f"/jobs/{job.id}").status_code == 200
    for url, data in ((f"/jobs/{job.id}/status/finish", {"version": job.version}),
                      (f"/jobs/{job.id}/assign", {"version": job.version}),
                      (f"/jobs/{job.id}/costs", {"kind": "travel", "label": "x", "amount": "5", "day": "2026-10-01"}),
                      ("/time", {"job_id": job.id, "day": date.today().isoformat(), "hours": "1",
                                 "student_ids": job.student_ids})):
        assert client.post(url, data=data).status_code in (403, 422), url
    db.session.refresh(job)
    assert job.status is JobStatus.IN_PROGRESS and db.session.scalar(select(func.count(TimeEntry.id))) == 0


def test_the_accountant_reads_jobs_and_costing_but_changes_nothing(client, login, make_job):
    """Read-only for the accountant."""
    job = make_job()
    login(Role.ACCOUNTANT)
    assert client.get(f"/jobs/{job.id}").status_code == 200
    assert client.get("/jobs/costing").status_code == 200
    assert client.post(f"/jobs/{job.id}/status/finish", data={"version": job.version}).status_code == 403
    assert client.get("/time").status_code == 403


def test_transitions_through_the_page(client, login, db, make_job):
    """Finish then deliver with the date and who received it; a stale button is refused."""
    job = make_job()
    login(job.craftsman)
    version = job.version
    assert client.post(f"/jobs/{job.id}/status/finish", data={"version": version}).status_code == 302
    assert client.post(f"/jobs/{job.id}/status/finish", data={"version": version}).status_code == 409
    db.session.refresh(job)
    response = client.post(f"/jobs/{job.id}/status/deliver", data={"version": job.version,
                                                                  "day": date.today().isoformat(),
                                                                  "received_by": "M. Client"})
    assert response.status_code == 302
    db.session.refresh(job)
    assert job.status is JobStatus.DELIVERED and job.delivered_to == "M. Client"
    assert "Livré — à facturer" in client.get("/jobs/").get_data(as_text=True)


def test_board_runs_a_fixed_number_of_queries(client, login, db, make_job, make_section):
    """3 jobs or 15 on the board: the same queries."""
    login(Role.DIRECTOR)
    section = make_section()

    def count():
        with count_queries(db.engine) as queries:
            assert client.get("/jobs/").status_code == 200
        return len(queries)

    for _ in range(3):
        make_job(section=section)
    few = count()
    for _ in range(12):
        make_job(section=section)
    assert count() == few


def test_costing_page_runs_a_fixed_number_of_queries(client, login, db, make_job, make_section):
    """Aggregates in SQL: the costing list does not query per job."""
    login(Role.DIRECTOR)
    section = make_section()

    def count():
        with count_queries(db.engine) as queries:
            client.get("/jobs/costing?from=2000-01-01&to=2100-01-01")
        return len(queries)

    make_job(section=section)
    few = count()
    for _ in range(8):
        make_job(section=section)
    assert count() == few


def test_delivery_note_pdf(client, login, db, make_job):
    """The delivery note names the job, the client and leaves room for the signature."""
    job = make_job()
    login(Role.DIRECTOR)
    response = client.get(f"/jobs/{job.id}/delivery-note.pdf")
    text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "BON DE LIVRAISON" in text and job.number in text and "Reçu en bon état" in text
    assert db.session.get(Job, job.id).client.name in text
