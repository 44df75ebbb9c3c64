"""Hours logged from the workshop: by students on jobs, and the craftsman's supervision; validated by a craftsman."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, literal, select
from sqlalchemy.orm import selectinload

from erp.audit.services import record_action
from erp.auth.models import User
from erp.columns import utcnow
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.jobs.models import Student, StudentStatus
from erp.jobs.work_models import Job, TimeEntry
from erp.money import ZERO

MAX_HOURS_A_DAY = Decimal("12")


def _check_hours(hours: Decimal, field: str) -> None:
    if not Decimal(0) < hours <= MAX_HOURS_A_DAY:
        raise ValidationFailed(_l("Hours for a day must be more than 0 and at most 12."), field=field)


def _hours_already(day: date, *, student_id: int | None = None, craftsman_id: int | None = None) -> Decimal:
    query = select(func.coalesce(func.sum(TimeEntry.hours), 0)).where(TimeEntry.day == day)
    query = query.where(TimeEntry.student_id == student_id) if student_id else query.where(
        TimeEntry.craftsman_id == craftsman_id)
    return db.session.scalar(query)


def log_time(actor, job: Job, *, day: date, today: date, description: str = "", student_ids=(),
             hours: Decimal | None = None, supervisor: User | None = None,
             supervision_hours: Decimal | None = None) -> list[TimeEntry]:
    """One entry per student (same hours for a team session) and one for the craftsman's supervision."""
    if not job.status.is_open:
        raise ValidationFailed(_l("Nothing can be logged on a job that is “%(status)s”.", status=job.status.label))
    if day > today:
        raise ValidationFailed(_l("Time cannot be logged for a day still to come."), field="day")
    if not student_ids and not supervision_hours:
        raise ValidationFailed(_l("Tick at least one student, or give supervision hours."), field="student_ids")
    entries = []
    if student_ids:
        _check_hours(hours or Decimal(0), "hours")
        students = list(db.session.scalars(select(Student).where(Student.id.in_(student_ids))))
        if len(students) != len(set(student_ids)) or any(
                s.section_id != job.section_id or s.status is not StudentStatus.ACTIVE for s in students):
            raise ValidationFailed(_l("Every student must be in training in the job's section."),
                                   field="student_ids")
        for student in students:
            if _hours_already(day, student_id=student.id) + hours > MAX_HOURS_A_DAY:
                raise ValidationFailed(_l("%(name)s would work more than 12 hours on %(day)s.",
                                          name=student.full_name, day=day.strftime("%d/%m/%Y")), field="hours")
            entries.append(TimeEntry(job_id=job.id, student_id=student.id, day=day, hours=hours,
                                     description=description.strip()[:300], created_by_id=getattr(actor, "id", None)))
    if supervision_hours:
        _check_hours(supervision_hours, "supervision_hours")
        if supervisor is None:
            raise ValidationFailed(_l("Supervision hours need a craftsman."), field="supervision_hours")
        if _hours_already(day, craftsman_id=supervisor.id) + supervision_hours > MAX_HOURS_A_DAY:
            raise ValidationFailed(_l("%(name)s would work more than 12 hours on %(day)s.",
                                      name=supervisor.full_name, day=day.strftime("%d/%m/%Y")),
                                   field="supervision_hours")
        entries.append(TimeEntry(job_id=job.id, craftsman_id=supervisor.id, day=day, hours=supervision_hours,
                                 description=description.strip()[:300], created_by_id=getattr(actor, "id", None)))
    db.session.add_all(entries)
    record_action(actor, "time.log", job, {"day": day.isoformat(), "students": sorted(student_ids),
                                           "hours": str(hours or 0), "supervision": str(supervision_hours or 0)})
    return entries


def validate_entries(actor, job: Job, entry_ids: list[int]) -> int:
    """A craftsman confirms entries of the job; returns how many were validated."""
    entries = list(db.session.scalars(select(TimeEntry).where(
        TimeEntry.job_id == job.id, TimeEntry.id.in_(entry_ids), TimeEntry.validated_at.is_(None))))
    for entry in entries:
        entry.validated_at, entry.validated_by_id = utcnow(), actor.id
    if entries:
        record_action(actor, "time.validate", job, {"entries": [e.id for e in entries]})
    return len(entries)


def delete_entry(actor, entry: TimeEntry) -> None:
    """Remove a mistaken entry that nobody validated yet."""
    if entry.validated_at is not None:
        raise ValidationFailed(_l("A validated entry cannot be removed."))
    if not entry.job.status.is_open:
        raise ValidationFailed(_l("Nothing can be logged on a job that is “%(status)s”.",
                                  status=entry.job.status.label))
    record_action(actor, "time.delete", entry.job, {"entry": entry.id, "hours": str(entry.hours)})
    db.session.delete(entry)


def job_entries(job_id: int) -> list[TimeEntry]:
    """A job's time entries, newest day first, with who worked loaded."""
    return list(db.session.scalars(
        select(TimeEntry).options(selectinload(TimeEntry.student), selectinload(TimeEntry.craftsman))
        .where(TimeEntry.job_id == job_id).order_by(TimeEntry.day.desc(), TimeEntry.id.desc())))


def student_record(student_id: int) -> Select:
    """The real orders a student worked on: job, client, hours, first and last day — the student's record,
    the latest first."""
    return (select(Job, func.sum(TimeEntry.hours).label("hours"), func.min(TimeEntry.day).label("first_day"),
                   func.max(TimeEntry.day).label("last_day"))
            .join(TimeEntry, TimeEntry.job_id == Job.id).options(selectinload(Job.client))
            .where(TimeEntry.student_id == student_id).group_by(Job.id).order_by(func.max(TimeEntry.day).desc(), Job.id))


def student_hours(student_id: int) -> Decimal:
    """All the hours a student logged, summed in SQL."""
    return db.session.scalar(select(func.coalesce(func.sum(TimeEntry.hours), literal(ZERO, TimeEntry.hours.type)))
                             .where(TimeEntry.student_id == student_id))
