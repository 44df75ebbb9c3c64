"""Time from the workshop: bounds, the 12-hour day, sections, validation, and each student's record."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from erp.errors import ValidationFailed
from erp.jobs import timesheet, work
from erp.jobs.models import Student

D = Decimal
DAY, TODAY = date(2026, 10, 6), date(2026, 11, 2)


FOUR_HOURS = D("4")


def _log(job, hours=FOUR_HOURS, students=None, **kwargs):
    return timesheet.log_time(job.craftsman, job, day=kwargs.pop("day", DAY), today=TODAY, description="Soudure",
                              student_ids=job.student_ids if students is None else students, hours=hours, **kwargs)


def test_a_team_session_logs_one_entry_per_student_and_the_supervision(db, make_job):
    """Two students ticked and 1.5 h of supervision: three entries."""
    job = make_job()
    entries = _log(job, supervisor=job.craftsman, supervision_hours=D("1.5"))
    assert sorted((e.student_id is None, e.hours) for e in entries) == [(False, D("4")), (False, D("4")),
                                                                        (True, D("1.5"))]


@pytest.mark.parametrize("hours", [D("0"), D("-1"), D("12.5"), D("13")])
def test_hours_out_of_bounds_are_refused(db, make_job, hours):
    """Hours ≤ 0 or > 12 for a day: refused."""
    with pytest.raises(ValidationFailed):
        _log(make_job(), hours=hours)


def test_a_student_never_works_more_than_twelve_hours_a_day(db, make_job):
    """8 h then 5 h the same day on two jobs: the second entry is refused."""
    job = make_job()
    other = make_job(section=job.section)
    student = job.student_ids[0]
    db.session.get(Student, student)  # same section: the student can work on both
    _log(job, hours=D("8"), students=[student])
    work.assign_job(other.craftsman, other, version=other.version, team=None, lead=None, student_ids=[student])
    with pytest.raises(ValidationFailed) as error:
        _log(other, hours=D("5"), students=[student])
    assert error.value.field == "hours"


def test_wrong_job_student_or_day_is_refused(db, make_job, make_student, make_section):
    """A cancelled job, a student of another section, a day still to come: refused."""
    job = make_job()
    with pytest.raises(ValidationFailed):
        _log(job, students=[make_student(section=make_section()).id])
    with pytest.raises(ValidationFailed):
        _log(job, day=TODAY + timedelta(days=1))
    work.cancel_job(None, job, reason="Abandon")
    with pytest.raises(ValidationFailed):
        _log(job)


def test_validation_and_removal(db, make_job, make_user):
    """A craftsman validates entries; a validated entry can no longer be removed."""
    job = make_job()
    first, second = _log(job)
    assert timesheet.validate_entries(job.craftsman, job, [first.id]) == 1
    with pytest.raises(ValidationFailed):
        timesheet.delete_entry(job.craftsman, first)
    timesheet.delete_entry(job.craftsman, second)
    db.session.flush()
    assert [e.id for e in timesheet.job_entries(job.id)] == [first.id]


def test_student_record_lists_real_orders_with_hours(db, make_job):
    """The student's page: each job worked on, total hours, first and last day."""
    job = make_job()
    student = job.student_ids[0]
    _log(job, hours=D("4"), students=[student])
    _log(job, hours=D("3.5"), students=[student], day=DAY + timedelta(days=1))
    [(record_job, hours, first_day, last_day)] = db.session.execute(timesheet.student_record(student)).all()
    assert timesheet.student_hours(student) == D("7.500")
    assert (record_job.id, hours, first_day, last_day) == (job.id, D("7.500"), DAY, DAY + timedelta(days=1))
