"""Rules for sections, students and teams."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from erp.audit.services import audited_save
from erp.auth.models import Role, User
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.jobs.models import Section, Student, StudentStatus, Team

SECTION_FIELDS = ("code", "name", "hourly_rate", "weekly_capacity_hours", "active")
STUDENT_FIELDS = ("first_name", "last_name", "section_id", "cohort", "status", "entry_date", "exit_date")
TEAM_FIELDS = ("name", "section_id", "lead_craftsman_id", "active", "member_ids")


def section_choices(active_only: bool = True) -> list[tuple[int, str]]:
    """(id, name) of the sections, for select fields."""
    query = select(Section.id, Section.name).order_by(Section.name)
    if active_only:
        query = query.where(Section.active.is_(True))
    return [(row.id, row.name) for row in db.session.execute(query)]


def _unique_section(section: Section | None, code: str, name: str) -> None:
    clash = db.session.scalar(
        select(Section).where(or_(func.lower(Section.code) == code.lower(), func.lower(Section.name) == name.lower()))
    )
    if clash is not None and clash is not section:
        field = "code" if clash.code.lower() == code.lower() else "name"
        raise ValidationFailed(_l("Another section already uses this value."), field=field)


def save_section(actor, section: Section | None, *, version=None, code: str, name: str,
                 hourly_rate: Decimal, weekly_capacity_hours: Decimal, active: bool = True) -> Section:
    """Create a section, or update one from a form opened at `version`."""
    code = code.upper()
    _unique_section(section, code, name)
    with audited_save(actor, Section, section, version=version, fields=SECTION_FIELDS, name="section") as section:
        section.code, section.name, section.active = code, name, active
        section.hourly_rate, section.weekly_capacity_hours = hourly_rate, weekly_capacity_hours
    return section


def students_query(*, search: str = "", section_id: int | None = None,
                   status: StudentStatus | None = None) -> Select:
    """Students matching a name search, a section and a status, sorted by name."""
    query = select(Student).options(selectinload(Student.section), selectinload(Student.teams))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Student.first_name).like(pattern),
                                func.lower(Student.last_name).like(pattern),
                                func.lower(Student.cohort).like(pattern)))
    if section_id:
        query = query.where(Student.section_id == section_id)
    if status:
        query = query.where(Student.status == status)
    return query.order_by(Student.last_name, Student.first_name, Student.id)


def save_student(actor, student: Student | None, *, version=None, first_name: str, last_name: str,
                 section_id: int, cohort: str, status: StudentStatus, entry_date: date,
                 exit_date: date | None) -> Student:
    """Create or update a student; one who left or graduated has an exit date."""
    if exit_date is not None and exit_date < entry_date:
        raise ValidationFailed(_l("The exit date cannot be before the entry date."), field="exit_date")
    if status is not StudentStatus.ACTIVE and exit_date is None:
        raise ValidationFailed(_l("Give the date the student left or graduated."), field="exit_date")
    if db.session.get(Section, section_id) is None:
        raise ValidationFailed(_l("Choose a section."), field="section_id")
    with audited_save(actor, Student, student, version=version, fields=STUDENT_FIELDS, name="student") as student:
        if student.section_id is not None and section_id != student.section_id:
            student.teams = []  # teams belong to one section
        student.first_name, student.last_name, student.section_id = first_name, last_name, section_id
        student.cohort, student.status, student.entry_date, student.exit_date = cohort, status, entry_date, exit_date
    return student


def teams_query(section_id: int | None = None) -> Select:
    """Teams with their section, lead and members loaded, sorted by section and name."""
    query = select(Team).options(
        selectinload(Team.section), selectinload(Team.lead_craftsman), selectinload(Team.members)
    ).join(Team.section).order_by(Section.name, Team.name)
    if section_id:
        query = query.where(Team.section_id == section_id)
    return query


def craftsman_choices(section_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the active master craftsmen, of one section if given."""
    query = select(User.id, User.full_name).where(User.role == Role.CRAFTSMAN, User.active.is_(True))
    if section_id:
        query = query.where(User.section_id == section_id)
    return [(row.id, row.full_name) for row in db.session.execute(query.order_by(User.full_name))]


def student_choices(section_id: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of the students in training, of one section if given."""
    query = select(Student.id, Student.first_name, Student.last_name).where(Student.status == StudentStatus.ACTIVE)
    if section_id:
        query = query.where(Student.section_id == section_id)
    rows = db.session.execute(query.order_by(Student.last_name, Student.first_name))
    return [(row.id, f"{row.last_name} {row.first_name}") for row in rows]


def save_team(actor, team: Team | None, *, version=None, name: str, section_id: int,
              lead_craftsman_id: int | None, member_ids: list[int], active: bool = True) -> Team:
    """Create or update a team: its lead and its members belong to the team's section."""
    if db.session.get(Section, section_id) is None:
        raise ValidationFailed(_l("Choose a section."), field="section_id")
    if lead_craftsman_id:
        lead = db.session.get(User, lead_craftsman_id)
        if lead is None or lead.role is not Role.CRAFTSMAN or lead.section_id != section_id:
            raise ValidationFailed(_l("The lead must be a master craftsman of the team's section."),
                                   field="lead_craftsman_id")
    members = list(db.session.scalars(select(Student).where(Student.id.in_(member_ids)))) if member_ids else []
    if len(members) != len(set(member_ids)) or any(s.section_id != section_id for s in members):
        raise ValidationFailed(_l("Every member must be a student of the team's section."), field="member_ids")
    clash = db.session.scalar(select(Team).where(Team.section_id == section_id, func.lower(Team.name) == name.lower()))
    if clash is not None and clash is not team:
        raise ValidationFailed(_l("This section already has a team with this name."), field="name")
    with audited_save(actor, Team, team, version=version, fields=TEAM_FIELDS, name="team") as team:
        team.name, team.section_id, team.lead_craftsman_id, team.active = name, section_id, lead_craftsman_id, active
        team.members = members
    return team
