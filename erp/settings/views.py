"""The director's settings pages: school identity, logo, fiscal years."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from erp.auth.models import Role
from erp.auth.policy import roles, staff
from erp.errors import DomainError
from erp.extensions import db
from erp.settings import services
from erp.settings.forms import FiscalYearForm, LogoForm, SchoolForm
from erp.settings.models import FiscalYear
from erp.web import form_status, form_values, handle_form, reject

bp = Blueprint("settings", __name__, url_prefix="/settings")


@bp.route("/school", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def school():
    """Edit the school's identity and legal settings."""
    school = services.get_school()
    form = SchoolForm(obj=school)
    logo_form = LogoForm(obj=school, formdata=None)
    if form.validate_on_submit():
        values = {name: getattr(form, name).data for name in services.SCHOOL_FIELDS}
        try:
            services.update_school(current_user, school, version=form.version.data, **values)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Settings saved."), "success")
            return redirect(url_for("settings.school"))
    db.session.commit()  # the settings row may have just been created
    return render_template("settings/school.html", form=form, logo_form=logo_form, school=school), form_status(form)


@bp.route("/school/logo", methods=["POST"])
@roles(Role.DIRECTOR)
def logo_upload():
    """Replace or remove the logo."""
    school = services.get_school()
    form = LogoForm()
    if form.validate_on_submit():
        upload = form.logo.data
        try:
            if form.remove.data:
                services.set_logo(current_user, school, None)
            elif upload:
                services.set_logo(current_user, school, upload.read())
            else:
                raise DomainError(_("Choose an image, or tick “remove”."), field="logo")
        except DomainError as error:
            reject(form, error)
            return render_template("settings/school.html", form=SchoolForm(obj=school, formdata=None),
                                   logo_form=form, school=school), form_status(form)
        db.session.commit()
        flash(_("Logo saved."), "success")
    return redirect(url_for("settings.school"))


@bp.route("/school/logo")
@staff
def logo():
    """The school's logo image."""
    school = services.get_school()
    if not school.logo:
        abort(404)
    return Response(school.logo, mimetype=school.logo_mimetype, headers={"Cache-Control": "private, max-age=300"})


@bp.route("/fiscal-years")
@roles(Role.DIRECTOR, Role.ACCOUNTANT)
def fiscal_years():
    """Fiscal years with their budget and target."""
    return render_template("settings/fiscal_years.html", fiscal_years=services.fiscal_years())


def _save_fiscal_year(fiscal_year: FiscalYear | None):
    form = FiscalYearForm(obj=fiscal_year)
    if fiscal_year is None and not form.is_submitted():
        start, end = services.default_fiscal_year_dates(services.get_school().fiscal_year_start_month, date.today())
        form.start_date.data, form.end_date.data = start, end
        form.label.data = services.fiscal_year_label(start, end)
    return handle_form(
        form, lambda: services.save_fiscal_year(current_user, fiscal_year, version=form.version.data,
                                                **form_values(form, services.FISCAL_YEAR_FIELDS)),
        success=_("Fiscal year saved."), next_url=url_for("settings.fiscal_years"),
        template="settings/fiscal_year_form.html", fiscal_year=fiscal_year)


@bp.route("/fiscal-years/new", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def fiscal_year_new():
    """Open a new fiscal year."""
    return _save_fiscal_year(None)


@bp.route("/fiscal-years/<int:fiscal_year_id>", methods=["GET", "POST"])
@roles(Role.DIRECTOR)
def fiscal_year_edit(fiscal_year_id: int):
    """Change a fiscal year's dates, budget or target."""
    return _save_fiscal_year(db.get_or_404(FiscalYear, fiscal_year_id))
