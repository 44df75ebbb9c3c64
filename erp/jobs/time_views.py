"""Logging time from the workshop, validating it, and each student's record of real work."""
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.auth.models import Role
from erp.auth.policy import can_manage_section, roles
from erp.errors import DomainError
from erp.extensions import db
from erp.forms import as_choices
from erp.jobs import timesheet, work
from erp.jobs.blueprint import bp
from erp.jobs.models import Student, Team
from erp.jobs.services import student_choices
from erp.jobs.work_forms import TimeForm
from erp.jobs.work_models import Job, TimeEntry
from erp.web import form_status, paginate_rows, reject

EDITORS = (Role.DIRECTOR, Role.CRAFTSMAN)


def _my_team_members() -> list[int]:
    """Students of the teams the current craftsman leads: ticked by default for a team session."""
    rows = db.session.scalars(select(Team).where(Team.lead_craftsman_id == current_user.id,
                                                 Team.active.is_(True)))
    return sorted({student.id for team in rows for student in team.members})


@bp.route("/time", methods=["GET", "POST"])
@roles(*EDITORS)
def log_time():
    """Hours from the workshop floor in a few taps: job, day (today), hours, the team's students ticked."""
    section_id = current_user.section_id if current_user.role is Role.CRAFTSMAN else None
    open_jobs = db.session.scalars(work.jobs_query(section_id=section_id, statuses=[
        s for s in work.J if s.is_open])).all()
    form = TimeForm()
    form.job_id.choices = as_choices((job.id, f"{job.number} — {job.title}") for job in open_jobs)
    form.student_ids.choices = as_choices(student_choices(section_id))
    if not form.is_submitted():
        chosen = next((job for job in open_jobs if job.id == request.args.get("job", type=int)), None)
        form.job_id.data = chosen.id if chosen else None
        # a few taps: the job's students are ticked, or else the teams the craftsman leads
        form.student_ids.data = chosen.student_ids if chosen and chosen.students else _my_team_members()
    if form.validate_on_submit():
        job = db.get_or_404(Job, form.job_id.data)
        if not can_manage_section(job.section_id):
            abort(403)
        try:
            entries = timesheet.log_time(
                current_user, job, day=form.day.data, today=date.today(), description=form.description.data or "",
                student_ids=form.student_ids.data or [], hours=form.hours.data,
                supervisor=current_user if current_user.role is Role.CRAFTSMAN else None,
                supervision_hours=form.supervision_hours.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("%(count)d entries logged on %(job)s.", count=len(entries), job=job.number), "success")
            return redirect(url_for("jobs.log_time", job=job.id))
    return render_template("jobs/time.html", form=form, open_jobs=open_jobs), form_status(form)


@bp.route("/jobs/<int:job_id>/time/validate", methods=["POST"])
@roles(*EDITORS)
def validate_time(job_id: int):
    """A craftsman confirms the hours ticked."""
    job = db.get_or_404(Job, job_id)
    if not can_manage_section(job.section_id):
        abort(403)
    ids = [int(value) for value in request.form.getlist("entry_ids") if value.isdigit()]
    count = timesheet.validate_entries(current_user, job, ids)
    db.session.commit()
    flash(_("%(count)d entries validated.", count=count), "success")
    return redirect(url_for("jobs.job", job_id=job.id, _anchor="time"))


@bp.route("/jobs/<int:job_id>/time/<int:entry_id>/delete", methods=["POST"])
@roles(*EDITORS)
def delete_time(job_id: int, entry_id: int):
    """Remove a mistaken entry not yet validated."""
    entry = db.session.get(TimeEntry, entry_id)
    if entry is None or entry.job_id != job_id:
        abort(404)
    if not can_manage_section(entry.job.section_id):
        abort(403)
    try:
        timesheet.delete_entry(current_user, entry)
    except DomainError as error:
        reject(None, error)
    else:
        db.session.commit()
        flash(_("Entry removed."), "success")
    return redirect(url_for("jobs.job", job_id=job_id, _anchor="time"))


@bp.route("/students/<int:student_id>/record")
@roles(Role.DIRECTOR, Role.CRAFTSMAN)
def student_record(student_id: int):
    """The real orders a student worked on, with the hours: the student's record of real work."""
    student = db.get_or_404(Student, student_id)
    page = paginate_rows(timesheet.student_record(student.id), per_page=100)
    return render_template("jobs/student_record.html", student=student, page=page,
                           total=timesheet.student_hours(student.id))
