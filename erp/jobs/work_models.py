"""Jobs (ordres de fabrication), their lines, the time logged on them and their other costs."""
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import Money, Quantity, UTCDateTime, enum_column, utcnow
from erp.documents.lines import LineColumns
from erp.extensions import db
from erp.money import ZERO

if TYPE_CHECKING:
    from erp.auth.models import User
    from erp.clients.models import Client
    from erp.jobs.models import Section, Student, Team
    from erp.quotes.models import Quote


class JobStatus(enum.StrEnum):
    """Where a job stands; moves only through the transitions of erp.jobs.work."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DELIVERED = "delivered"
    INVOICED = "invoiced"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(JOB_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return {"planned": "secondary", "in_progress": "primary", "done": "info", "delivered": "success",
                "invoiced": "dark", "cancelled": "light"}[self.value]

    @property
    def is_open(self) -> bool:
        """Work can still be logged on it."""
        return self in (JobStatus.PLANNED, JobStatus.IN_PROGRESS, JobStatus.DONE)


JOB_STATUS_LABELS = {
    JobStatus.PLANNED: _l("Planned"), JobStatus.IN_PROGRESS: _l("In progress"), JobStatus.DONE: _l("Done"),
    JobStatus.DELIVERED: _l("Delivered — to invoice"), JobStatus.INVOICED: _l("Invoiced"),
    JobStatus.CANCELLED: _l("Cancelled"),
}


class JobKind(enum.StrEnum):
    """Fabrication in the workshop, a service (tyres, mechanics), or the school's own work."""

    FABRICATION = "fabrication"
    SERVICE = "service"
    INTERNAL = "internal"

    @property
    def label(self):
        return {"fabrication": _l("Fabrication"), "service": _l("Service"),
                "internal": _l("Internal work")}[self.value]  # lazy: also used in form choices


job_students = Table(
    "job_students",
    db.metadata,
    Column("job_id", ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
)


class Job(db.Model):
    """An order being made by a student team under a master craftsman (ordre de fabrication)."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  #: OF-2026-0001
    quote_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"), unique=True)
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)  #: empty: internal work
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[JobKind] = mapped_column(enum_column(JobKind))
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.PLANNED)
    planned_start: Mapped[date | None]
    due_date: Mapped[date | None]
    planned_hours: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)  #: student hours planned
    notes: Mapped[str] = mapped_column(Text, default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    lead_craftsman_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The estimate, copied from the quote when the job is made, so later quote copies never change it.
    est_materials: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    est_student_hours: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    est_craftsman_hours: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    est_other_costs: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    #: € per hour valuing this job's hours (the section's rate when the job was made)
    labour_rate: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    revenue_quoted: Mapped[Decimal] = mapped_column(Money(), default=ZERO)  #: net (HT) of the lines
    started_on: Mapped[date | None]
    finished_on: Mapped[date | None]
    delivered_on: Mapped[date | None]
    delivered_to: Mapped[str] = mapped_column(String(120), default="")  #: who received it
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    quote: Mapped["Quote | None"] = relationship()
    client: Mapped["Client | None"] = relationship()
    section: Mapped["Section"] = relationship()
    team: Mapped["Team | None"] = relationship()
    lead_craftsman: Mapped["User | None"] = relationship(foreign_keys=[lead_craftsman_id])
    students: Mapped[list["Student"]] = relationship(secondary=job_students,
                                                     order_by="Student.last_name, Student.first_name")
    lines: Mapped[list["JobLine"]] = relationship(back_populates="job", order_by="JobLine.position",
                                                  cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("planned_hours >= 0", name="planned_hours_not_negative"),
        CheckConstraint("due_date IS NULL OR planned_start IS NULL OR due_date >= planned_start",
                        name="due_after_start"),
        Index("ix_jobs_status_due_date", "status", "due_date"),
        Index("ix_jobs_created_at", "created_at"),  # costing and exports select the jobs opened in a period
        Index("ix_jobs_pipeline", "status", "quote_id", "client_id", "revenue_quoted"),  # work not yet invoiced
    )

    @property
    def audit_label(self) -> str:
        return f"{self.number} {self.title}"

    def is_late(self, today: date) -> bool:
        return self.due_date is not None and self.due_date < today and self.status in (
            JobStatus.PLANNED, JobStatus.IN_PROGRESS, JobStatus.DONE)

    @property
    def student_ids(self) -> list[int]:
        return sorted(student.id for student in self.students)


class JobLine(LineColumns, db.Model):
    """What the job delivers, as it will be invoiced (copied from the quote, or typed for a counter sale)."""

    __tablename__ = "job_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), index=True)

    job: Mapped[Job] = relationship(back_populates="lines")

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)


class TimeEntry(db.Model):
    """Hours worked on a job on one day, by one student or (supervision) by one craftsman."""

    __tablename__ = "time_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), index=True)
    craftsman_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)  #: supervision time
    day: Mapped[date]
    hours: Mapped[Decimal] = mapped_column(Quantity())
    description: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    validated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    job: Mapped[Job] = relationship()
    student: Mapped["Student | None"] = relationship()
    craftsman: Mapped["User | None"] = relationship(foreign_keys=[craftsman_id])

    __table_args__ = (
        CheckConstraint("hours > 0 AND hours <= 12000", name="hours_in_a_day"),
        CheckConstraint("(student_id IS NULL) <> (craftsman_id IS NULL)", name="student_or_craftsman"),
        Index("ix_time_entries_day", "day"),
        Index("ix_time_entries_student_record", "student_id", "job_id", "day", "hours"),  # a student's record
    )


class JobCostKind(enum.StrEnum):
    """Costs of a job other than materials and time."""

    SUBCONTRACTING = "subcontracting"
    CONSUMABLES = "consumables"
    TRAVEL = "travel"
    OTHER = "other"

    @property
    def label(self):
        return {"subcontracting": _l("Subcontracting"), "consumables": _l("Consumables"),
                "travel": _l("Travel"), "other": _l("Other")}[self.value]  # lazy: also used in form choices


class JobCost(db.Model):
    """A cost of a job other than materials and time: galvanising, consumables, travel…"""

    __tablename__ = "job_costs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    kind: Mapped[JobCostKind] = mapped_column(enum_column(JobCostKind))
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal] = mapped_column(Money())  #: € excluding VAT
    day: Mapped[date]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
