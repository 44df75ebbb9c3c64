"""The Exports page (workbook and FEC-layout journals, written in the background) and the chart of accounts."""
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.accounting import exports
from erp.accounting.chart import DEFAULTS, chart_keys, field_name, load_chart, save_chart, section_key
from erp.accounting.forms import GROUPS, FecForm, WorkbookForm, chart_form
from erp.accounting.models import ExportRun, ExportStatus
from erp.auth.models import Role
from erp.auth.policy import roles
from erp.catalog.models import Nature
from erp.errors import DomainError
from erp.extensions import db
from erp.jobs.models import Section
from erp.settings.models import FiscalYear
from erp.settings.services import fiscal_year_for, fiscal_years
from erp.web import form_status, reject

bp = Blueprint("accounting", __name__, url_prefix="/accounting")
ACCOUNTANTS = (Role.DIRECTOR, Role.ACCOUNTANT)


def _forms(workbook: WorkbookForm | None = None, fec: FecForm | None = None):
    years = fiscal_years()
    workbook = workbook or WorkbookForm(formdata=None)
    fec = fec or FecForm(formdata=None)
    fec.fiscal_year.choices = [(year.id, year.label) for year in years]
    current = fiscal_year_for(date.today()) or (years[0] if years else None)
    if current is not None:
        workbook.start_date.data = workbook.start_date.data or current.start_date
        workbook.end_date.data = workbook.end_date.data or current.end_date
        fec.fiscal_year.data = fec.fiscal_year.data or current.id
    return workbook, fec


def _page(workbook=None, fec=None, status=200):
    workbook, fec = _forms(workbook, fec)
    runs = exports.recent_runs()
    running = any(run.status is ExportStatus.RUNNING for run in runs)
    return render_template("accounting/exports.html", workbook_form=workbook, fec_form=fec, runs=runs,
                           running=running), status


def _launch(run: ExportRun):
    db.session.commit()
    exports.launch(current_app._get_current_object(), run.id, date.today())
    flash(_("The export has started; it appears below when it is ready."), "success")
    return redirect(url_for("accounting.exports_page"))


@bp.route("/exports")
@roles(*ACCOUNTANTS)
def exports_page():
    """Ask for the workbook of a period or the FEC-layout journals of a year; follow and download past runs."""
    return _page()


@bp.route("/exports/workbook", methods=["POST"])
@roles(*ACCOUNTANTS)
def export_workbook():
    """Start writing the workbook of a period."""
    form = WorkbookForm()
    if form.validate_on_submit():
        try:
            return _launch(exports.request_workbook(current_user, form.start_date.data, form.end_date.data))
        except DomainError as error:
            reject(form, error)
    return _page(workbook=form, status=form_status(form))


@bp.route("/exports/fec", methods=["POST"])
@roles(*ACCOUNTANTS)
def export_fec():
    """Start writing the FEC-layout journals of a fiscal year."""
    form = _forms(fec=FecForm())[1]
    if form.validate_on_submit():
        try:
            return _launch(exports.request_fec(current_user, db.session.get(FiscalYear, form.fiscal_year.data)))
        except DomainError as error:
            reject(form, error)
    return _page(fec=form, status=form_status(form))


@bp.route("/exports/<int:run_id>/download")
@roles(*ACCOUNTANTS)
def download(run_id: int):
    """The file of a finished export."""
    run = db.get_or_404(ExportRun, run_id)
    path = exports.stored_file(run)
    if path is None:
        abort(404)
    mimetype = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                if run.file_name.endswith(".xlsx") else "text/plain; charset=utf-8")
    return send_file(path, mimetype=mimetype, as_attachment=True, download_name=run.file_name)


@bp.route("/accounts", methods=["GET", "POST"])
@roles(*ACCOUNTANTS)
def accounts():
    """The chart of accounts: where each flow is booked (defaults of the association chart)."""
    sections = list(db.session.scalars(select(Section).order_by(Section.name)))
    section_ids = [section.id for section in sections]
    form = chart_form(sections)
    if not form.is_submitted():
        chart = load_chart()
        for key in chart_keys(section_ids):
            account = chart.account(key) if key in DEFAULTS else chart.saved.get(key)
            if account is not None:
                getattr(form, field_name(key)).data = account.number
                getattr(form, field_name(key) + "_label").data = account.label
    elif form.validate():
        values = {key: (getattr(form, field_name(key)).data or "", getattr(form, field_name(key) + "_label").data or "")
                  for key in chart_keys(section_ids)}
        try:
            save_chart(current_user, values, section_ids)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Accounts saved."), "success")
            return redirect(url_for("accounting.accounts"))
    section_rows = [(section, [(nature, field_name(section_key(nature, section.id))) for nature in Nature])
                    for section in sections]
    groups = [(title, [field_name(key) for key in keys]) for title, keys in GROUPS]
    return render_template("accounting/accounts.html", form=form, groups=groups,
                           section_rows=section_rows), form_status(form)
