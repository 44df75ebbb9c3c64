"""Sections, students and teams."""
import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import Money, Quantity, enum_column
from erp.extensions import db

if TYPE_CHECKING:
    from erp.auth.models import User


class Section(db.Model):
    """A trade taught in the workshop (métallerie, pneumatique…), with its labour rate and capacity."""

    __tablename__ = "sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(10), unique=True)  #: short code on documents, e.g. "MET"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    #: what one hour of work is valued at in costing (€ HT)
    hourly_rate: Mapped[Decimal] = mapped_column(Money())
    #: hours of student work the workshop can take in a week
    weekly_capacity_hours: Mapped[Decimal] = mapped_column(Quantity())
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("hourly_rate >= 0", name="hourly_rate_not_negative"),
        CheckConstraint("weekly_capacity_hours >= 0", name="capacity_not_negative"),
    )

    @property
    def audit_label(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class StudentStatus(enum.StrEnum):
    """Where a student stands in the school."""

    ACTIVE = "active"
    GRADUATED = "graduated"
    LEFT = "left"

    @property
    def label(self) -> str:
        return str(STUDENT_STATUS_LABELS[self])


STUDENT_STATUS_LABELS = {
    StudentStatus.ACTIVE: _l("In training"),
    StudentStatus.GRADUATED: _l("Graduated"),
    StudentStatus.LEFT: _l("Left"),
}


class Student(db.Model):
    """A young person learning a trade; only what the school needs to know is kept."""

    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str] = mapped_column(String(60))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    cohort: Mapped[str] = mapped_column(String(20))  #: the intake, e.g. "2025-2027"
    status: Mapped[StudentStatus] = mapped_column(enum_column(StudentStatus), default=StudentStatus.ACTIVE)
    entry_date: Mapped[date]
    exit_date: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    section: Mapped[Section] = relationship()
    teams: Mapped[list["Team"]] = relationship(secondary="team_members", back_populates="members")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("exit_date IS NULL OR exit_date >= entry_date", name="exit_after_entry"),
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def audit_label(self) -> str:
        return self.full_name

    def __str__(self) -> str:
        return self.full_name


team_members = Table(
    "team_members",
    db.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("student_id", ForeignKey("students.id", ondelete="CASCADE"), primary_key=True),
)


class Team(db.Model):
    """A group of students of one section under a lead master craftsman."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    lead_craftsman_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    section: Mapped[Section] = relationship()
    lead_craftsman: Mapped["User | None"] = relationship()
    members: Mapped[list[Student]] = relationship(
        secondary=team_members, back_populates="teams", order_by="Student.last_name, Student.first_name"
    )

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("section_id", "name", name="uq_teams_section_name"),)

    @property
    def member_ids(self) -> list[int]:
        return sorted(student.id for student in self.members)

    @property
    def audit_label(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name
