"""The self-financing dashboard (the director's home page) and the other resources."""
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.auth.models import Role
from erp.auth.policy import roles
from erp.errors import DomainError
from erp.extensions import db
from erp.forms import ConfirmForm
from erp.funding import chart, monitor, services
from erp.funding.forms import ResourceForm, SubsidyForm
from erp.funding.models import Instalment, ResourceKind, SubsidyAgreement
from erp.settings.models import FiscalYear
from erp.settings.services import fiscal_year_for, fiscal_years
from erp.web import form_status, paginate, reject

bp = Blueprint("funding", __name__)
READERS = (Role.DIRECTOR, Role.ACCOUNTANT)


def _chosen_year(today: date) -> FiscalYear | None:
    chosen = request.args.get("year", type=int)
    return db.session.get(FiscalYear, chosen) if chosen else fiscal_year_for(today)


@bp.route("/dashboard")
@roles(*READERS)
def dashboard():
    """Where the school stands against its self-financing target, and where it is heading."""
    today = date.today()
    fiscal_year = _chosen_year(today)
    if fiscal_year is None:
        return render_template("funding/no_year.html"), 200
    figures = monitor.figures(fiscal_year, today)
    month_index = next((i for i, row in enumerate(figures.monthly) if row[0].year == today.year
                        and row[0].month == today.month), None) if fiscal_year.contains(today) else None
    due_reports, due_instalments = services.due_soon(today)
    return render_template("funding/dashboard.html", f=figures, chart=chart.build(figures.monthly, month_index),
                           years=fiscal_years(), today=today, due_reports=due_reports,
                           due_instalments=due_instalments, kinds=list(ResourceKind))


@bp.route("/resources")
@roles(*READERS)
def resources():
    """Donations, sponsorship, apprenticeship tax and subsidies, by fiscal year and kind."""
    fiscal_year = _chosen_year(date.today())
    kind = request.args.get("kind", "")
    kind_filter = ResourceKind(kind) if kind in ResourceKind._value2member_map_ else None
    page = paginate(services.resources_query(fiscal_year_id=fiscal_year.id if fiscal_year else None,
                                             kind=kind_filter))
    total = sum((r.amount for r in db.session.scalars(services.resources_query(
        fiscal_year_id=fiscal_year.id if fiscal_year else None, kind=kind_filter))), start=0)
    return render_template("funding/resources.html", page=page, fiscal_year=fiscal_year, kind=kind,
                           kinds=list(ResourceKind), years=fiscal_years(), total=total)


@bp.route("/resources/new", methods=["GET", "POST"])
@roles(*READERS)
def resource_new():
    """Record a resource."""
    form = ResourceForm()
    if form.validate_on_submit():
        try:
            services.record_resource(current_user, kind=form.kind.data, funder=form.funder.data,
                                     funder_kind=form.funder_kind.data, day=form.day.data, amount=form.amount.data,
                                     account=form.account.data or "", reference=form.reference.data or "",
                                     notes=form.notes.data or "")
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Resource recorded."), "success")
            return redirect(url_for("funding.resources"))
    return render_template("funding/resource_form.html", form=form), form_status(form)


@bp.route("/subsidies")
@roles(*READERS)
def subsidies():
    """Subsidy agreements: granted, received, reports due."""
    agreements = db.session.scalars(select(SubsidyAgreement).order_by(SubsidyAgreement.granted_on.desc())).all()
    return render_template("funding/subsidies.html", agreements=agreements, confirm=ConfirmForm(), today=date.today())


@bp.route("/subsidies/new", methods=["GET", "POST"])
@roles(*READERS)
def subsidy_new():
    """Record a subsidy agreement."""
    form = SubsidyForm()
    if form.validate_on_submit():
        instalments = [(day, amount) for day, amount in ((form.first_on.data, form.first_amount.data),
                                                         (form.second_on.data, form.second_amount.data))
                       if day and amount]
        try:
            services.grant_subsidy(current_user, funder=form.funder.data, funder_kind=form.funder_kind.data,
                                   purpose=form.purpose.data, amount=form.amount.data, granted_on=form.granted_on.data,
                                   justification_due=form.justification_due.data, instalments=instalments,
                                   reference=form.reference.data or "")
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Subsidy recorded."), "success")
            return redirect(url_for("funding.subsidies"))
    return render_template("funding/subsidy_form.html", form=form), form_status(form)


@bp.route("/subsidies/instalments/<int:instalment_id>/received", methods=["POST"])
@roles(*READERS)
def instalment_received(instalment_id: int):
    """The instalment arrived today."""
    instalment = db.session.get(Instalment, instalment_id)
    if instalment is None:
        abort(404)
    try:
        services.receive_instalment(current_user, instalment, day=date.today())
    except DomainError as error:
        reject(None, error)
    else:
        db.session.commit()
        flash(_("Instalment received."), "success")
    return redirect(url_for("funding.subsidies"))
