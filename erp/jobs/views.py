"""Pages for sections, students and teams."""
from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.auth.models import Role
from erp.auth.policy import can_manage_section, roles
from erp.extensions import db
from erp.forms import as_choices
from erp.jobs import services
from erp.jobs.blueprint import bp
from erp.jobs.forms import SectionForm, StudentForm, TeamForm
from erp.jobs.models import Section, Student, StudentStatus, Team
from erp.web import form_values, handle_form, paginate


@bp.route("/sections")
@roles(Role.DIRECTOR, Role.CRAFTSMAN, Role.ACCOUNTANT)
def sections():
    """The school's trades."""
    rows = db.session.scalars(select(Section).order_by(Section.active.desc(), Section.name))
    return render_template("jobs/sections.html", sections=list(rows))


def _save_section(section: Section | None):
    form = SectionForm(obj=section)
    return handle_form(
        form, lambda: services.save_section(current_user, section, version=form.version.data,
                                            **form_values(form, services.SECTION_FIELDS)),
        success=_("Section saved."), next_url=url_for("jobs.sections"), template="jobs/section_form.html",
        section=section)


@bp.route("/sections/new", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def section_new():
    """Add a trade."""
    return _save_section(None)


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def section_edit(section_id: int):
    """Change a trade's rate or capacity."""
    return _save_section(db.get_or_404(Section, section_id))


@bp.route("/students")
@roles(Role.DIRECTOR, Role.CRAFTSMAN)
def students():
    """Students, searchable by name and filtered by section and status."""
    search = request.args.get("q", "").strip()[:60]
    section_id = request.args.get("section", type=int)
    status = request.args.get("status", "active")
    status_filter = StudentStatus(status) if status in StudentStatus._value2member_map_ else None
    page = paginate(services.students_query(search=search, section_id=section_id, status=status_filter))
    return render_template("jobs/students.html", page=page, q=search, section_id=section_id, status=status,
                           sections=services.section_choices(active_only=False), statuses=list(StudentStatus))


def _save_student(student: Student | None):
    form = StudentForm(obj=student)
    form.section_id.choices = as_choices(services.section_choices())
    return handle_form(
        form, lambda: services.save_student(current_user, student, version=form.version.data,
                                            **form_values(form, services.STUDENT_FIELDS)),
        success=_("Student saved."), next_url=url_for("jobs.students"), template="jobs/student_form.html",
        student=student)


@bp.route("/students/new", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def student_new():
    """Enrol a student."""
    return _save_student(None)


@bp.route("/students/<int:student_id>", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def student_edit(student_id: int):
    """Change a student's record (section, status, dates)."""
    return _save_student(db.get_or_404(Student, student_id))


@bp.route("/teams")
@roles(Role.DIRECTOR, Role.CRAFTSMAN)
def teams():
    """Teams, grouped by section."""
    section_id = request.args.get("section", type=int)
    rows = db.session.scalars(services.teams_query(section_id)).all()
    return render_template("jobs/teams.html", teams=rows, section_id=section_id,
                           sections=services.section_choices(active_only=False))


def _save_team(team: Team | None):
    form = TeamForm(obj=team)
    if team is not None and not form.is_submitted():
        form.member_ids.data = [s.id for s in team.members]
        form.lead_craftsman_id.data = team.lead_craftsman_id or 0
    if current_user.role is Role.CRAFTSMAN:  # a craftsman manages the teams of his own section only
        sections = [(current_user.section_id, current_user.section.name)]
    else:
        sections = services.section_choices()
    form.section_id.choices = as_choices(sections)
    if form.is_submitted():
        section_id = form.section_id.data
    elif team is not None:
        section_id = team.section_id
    else:  # a new team: the section picked on the list page, else the first one offered
        section_id = request.args.get("section", type=int) or next(iter(sections), (None,))[0]
        form.section_id.data = section_id
    form.lead_craftsman_id.choices = as_choices([(0, "—"), *services.craftsman_choices(section_id)])
    members = services.student_choices(section_id)
    if team is not None:  # keep current members listed even if they are no longer in training
        known = {value for value, _label in members}
        members += [(s.id, f"{s.last_name} {s.first_name}") for s in team.members if s.id not in known]
    form.member_ids.choices = as_choices(members)
    if form.is_submitted() and not can_manage_section(form.section_id.data):
        abort(403)
    return handle_form(
        form, lambda: services.save_team(
            current_user, team, version=form.version.data, name=form.name.data, section_id=form.section_id.data,
            lead_craftsman_id=form.lead_craftsman_id.data or None, member_ids=form.member_ids.data or [],
            active=form.active.data),
        success=_("Team saved."), next_url=url_for("jobs.teams"), template="jobs/team_form.html", team=team,
        sections=sections)


@bp.route("/teams/new", methods=["GET", "POST"])
@roles(Role.DIRECTOR, Role.CRAFTSMAN)
def team_new():
    """Form a team."""
    return _save_team(None)


@bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles(Role.DIRECTOR, Role.CRAFTSMAN)
def team_edit(team_id: int):
    """Change a team's lead or members."""
    team = db.get_or_404(Team, team_id)
    if not can_manage_section(team.section_id):
        abort(403)
    return _save_team(team)
