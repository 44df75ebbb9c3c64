"""Jobs: one click from an accepted quote, assignment rules, and every transition checked and audited."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from erp.audit.models import AuditEntry
from erp.auth.models import Role
from erp.errors import IllegalTransition, ValidationFailed
from erp.jobs import work
from erp.jobs.models import Student
from erp.jobs.work_models import JobKind, JobStatus
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel

D = Decimal
TODAY = date(2026, 11, 2)


def _accepted_quote(db, make_quote, make_material):
    quote = make_quote(lines=[(D("2"), D("500"), D("20.00")), (D("1"), D("120"), D("20.00"))])
    quotes.add_material(None, quote, version=quote.version, material=make_material(unit_cost=D("6.80")),
                        quantity=D("10"))
    quotes.set_estimate(None, quote, version=quote.version, student_hours=D("30"), craftsman_hours=D("6"),
                        labour_rate=D("45"), other_costs=D("80"), other_costs_note="Galva")
    quotes.send_quote(None, quote, today=TODAY)
    quotes.accept_quote(None, quote, today=TODAY, name="Client", channel=AcceptanceChannel.PAPER)
    db.session.commit()
    return quote


def test_an_accepted_quote_becomes_a_job_with_its_lines_and_estimate(db, make_quote, make_material):
    """OF-YYYY-NNNN, same lines and nets, the estimate copied, the revenue quoted = the quote's net."""
    quote = _accepted_quote(db, make_quote, make_material)
    job = work.create_job_from_quote(None, quote, today=TODAY)
    assert job.number == "OF-2026-0001" and job.status is JobStatus.PLANNED and job.client_id == quote.client_id
    assert [(line.label, line.net) for line in job.lines] == [(line.label, line.net) for line in quote.lines]
    assert (job.est_materials, job.est_student_hours, job.est_craftsman_hours, job.est_other_costs) == (
        D("68.00"), D("30.000"), D("6.000"), D("80.00"))
    assert (job.labour_rate, job.revenue_quoted) == (D("45.00"), D("1120.00"))
    with pytest.raises(IllegalTransition):
        work.create_job_from_quote(None, quote, today=TODAY)


def test_only_accepted_quotes_become_jobs(db, make_quote):
    """A draft or sent quote is refused."""
    with pytest.raises(IllegalTransition):
        work.create_job_from_quote(None, make_quote(), today=TODAY)


def test_a_direct_job_needs_a_client_unless_internal(db, make_section, make_client):
    """Counter service: a client; internal work for the school: none."""
    section = make_section()
    with pytest.raises(ValidationFailed):
        work.create_job(None, today=TODAY, section=section, title="Pneus", kind=JobKind.SERVICE)
    internal = work.create_job(None, today=TODAY, section=section, title="Rayonnages", kind=JobKind.INTERNAL)
    assert internal.client_id is None
    with pytest.raises(ValidationFailed):
        work.create_job(None, today=TODAY, section=section, title="x", kind=JobKind.SERVICE, client=make_client(),
                        planned_start=TODAY, due_date=TODAY - timedelta(days=1))


def test_assignment_stays_within_the_section_and_is_audited(db, make_job, make_section, make_user):
    """Students and lead of another section are refused; a reassignment is in the audit trail."""
    job = make_job()
    stranger = Student(first_name="Autre", last_name="Section", section_id=make_section().id, cohort="x",
                       entry_date=TODAY)
    db.session.add(stranger)
    db.session.flush()
    with pytest.raises(ValidationFailed) as error:
        work.assign_job(None, job, version=job.version, team=None, lead=None, student_ids=[stranger.id])
    assert error.value.field == "student_ids"
    with pytest.raises(ValidationFailed):
        work.assign_job(None, job, version=job.version, team=None, lead=make_user(Role.CRAFTSMAN), student_ids=[])
    work.assign_job(job.craftsman, job, version=job.version, team=None, lead=job.craftsman,
                    student_ids=job.student_ids[:1])
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "job.assign",
                                                          AuditEntry.record_id == job.id)).all()
    assert len(entries) == 2 and "students" in entries[-1].changes


def test_the_whole_life_of_a_job(db, make_job):
    """planned → in progress → done → delivered → invoiced, each move in the audit trail."""
    job = make_job(status="planned")
    work.start_job(None, job, today=TODAY)
    work.finish_job(None, job, today=TODAY)
    work.deliver_job(None, job, day=TODAY, received_by="M. Client")
    assert job.status is JobStatus.DELIVERED and job.delivered_on == TODAY
    work.mark_invoiced(None, job)
    moves = [e.changes["status"] for e in db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "job.status").order_by(AuditEntry.id))]
    assert moves == [["planned", "in_progress"], ["in_progress", "done"], ["done", "delivered"],
                     ["delivered", "invoiced"]]


@pytest.mark.parametrize("steps, action", [
    ([], lambda j: work.finish_job(None, j, today=TODAY)),
    ([], lambda j: work.deliver_job(None, j, day=TODAY)),
    (["start"], lambda j: work.deliver_job(None, j, day=TODAY)),
    (["start"], lambda j: work.mark_invoiced(None, j)),
    (["start", "finish", "deliver"], lambda j: work.cancel_job(None, j, reason="x")),
    (["cancel"], lambda j: work.start_job(None, j, today=TODAY)),
])
def test_illegal_job_moves_are_refused(db, make_job, steps, action):
    """The board cannot skip a step nor reopen a closed job."""
    job = make_job(status="planned")
    run = {"start": lambda: work.start_job(None, job, today=TODAY),
           "finish": lambda: work.finish_job(None, job, today=TODAY),
           "deliver": lambda: work.deliver_job(None, job, day=TODAY),
           "cancel": lambda: work.cancel_job(None, job, reason="Abandon")}
    for step in steps:
        run[step]()
    before = job.status
    with pytest.raises(IllegalTransition):
        action(job)
    assert job.status is before


def test_cancel_needs_a_reason_and_delivery_cannot_be_in_the_future(db, make_job):
    """Both refused with a message beside the field."""
    job = make_job()
    with pytest.raises(ValidationFailed):
        work.cancel_job(None, job, reason="  ")
    work.finish_job(None, job, today=TODAY)
    with pytest.raises(ValidationFailed):
        work.deliver_job(None, job, day=date.today() + timedelta(days=1))
