"""The landing page: what each role needs to see first."""
from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.auth.policy import public, staff
from erp.extensions import db
from erp.jobs.models import Section, Student, StudentStatus, Team
from erp.settings.services import fiscal_year_for

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    """Send visitors to the login page and staff to their overview."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if current_user.role in (Role.DIRECTOR, Role.ACCOUNTANT):  # the self-financing monitor is their home page
        return redirect(url_for("funding.dashboard"))
    return redirect(url_for("jobs.board"))


@bp.route("/overview")
@staff
def overview():
    """The school at a glance: current fiscal year, sections and their students and teams."""
    students = (select(Student.section_id, func.count(Student.id).label("n"))
                .where(Student.status == StudentStatus.ACTIVE).group_by(Student.section_id).subquery())
    teams = (select(Team.section_id, func.count(Team.id).label("n"))
             .where(Team.active.is_(True)).group_by(Team.section_id).subquery())
    rows = db.session.execute(
        select(Section, func.coalesce(students.c.n, 0), func.coalesce(teams.c.n, 0))
        .outerjoin(students, students.c.section_id == Section.id)
        .outerjoin(teams, teams.c.section_id == Section.id)
        .where(Section.active.is_(True)).order_by(Section.name)
    ).all()
    return render_template("home/overview.html", fiscal_year=fiscal_year_for(date.today()), sections=rows)
