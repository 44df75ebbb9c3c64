"""Quote pages: list, heading, lines, estimate, PDF and every transition (thin: the rules are in services)."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from erp.auth.models import Role
from erp.auth.policy import can_manage_section, roles, staff
from erp.catalog.models import Material
from erp.catalog.services import item_choices, material_choices
from erp.clients.models import Client
from erp.clients.services import client_choices
from erp.errors import DomainError
from erp.extensions import db
from erp.forms import as_choices
from erp.jobs.models import Section
from erp.jobs.services import section_choices
from erp.portal.services import current_link, revoke_links, token_for
from erp.quotes import delivery, services
from erp.quotes.documents import quote_pdf
from erp.quotes.forms import (
    DeclineForm,
    EstimateForm,
    LineForm,
    MaterialLineForm,
    MoveForm,
    PaperAcceptanceForm,
    QuoteForm,
    VersionOnlyForm,
    line_arguments,
)
from erp.quotes.models import AcceptanceChannel, Quote, QuoteLine, QuoteMaterial, QuoteStatus
from erp.web import form_status, paginate, reject, run_form

bp = Blueprint("quotes", __name__, url_prefix="/quotes")
EDITORS = (Role.DIRECTOR, Role.CRAFTSMAN)


@bp.route("/")
@staff
def index():
    """Quotes, newest first, by status, section and search."""
    services.expire_overdue_quotes(date.today())
    db.session.commit()
    status = request.args.get("status", "")
    status_filter = QuoteStatus(status) if status in QuoteStatus._value2member_map_ else None
    section_id = request.args.get("section", type=int)
    search = request.args.get("q", "").strip()[:60]
    page = paginate(services.quotes_query(section_id=section_id, status=status_filter, search=search))
    return render_template("quotes/index.html", page=page, status=status, section_id=section_id, q=search,
                           statuses=list(QuoteStatus), sections=section_choices(active_only=False))


def _editable(quote_id: int) -> Quote:
    """The quote, if the current user may change it (a craftsman: his own section only)."""
    quote = db.get_or_404(Quote, quote_id)
    if not can_manage_section(quote.section_id):
        abort(403)
    return quote


def _heading_form(quote: Quote | None) -> QuoteForm:
    form = QuoteForm(obj=quote)
    form.client_id.choices = as_choices(client_choices())
    if current_user.role is Role.CRAFTSMAN:
        form.section_id.choices = as_choices([(current_user.section_id, current_user.section.name)])
    else:
        form.section_id.choices = as_choices(section_choices())
    if quote is None and not form.is_submitted():
        form.client_id.data = request.args.get("client", type=int)
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles(*EDITORS)
def new():
    """Open a draft quote for a client."""
    form = _heading_form(None)
    del form.valid_until
    if form.validate_on_submit():
        try:
            quote = services.create_quote(
                current_user, client=db.get_or_404(Client, form.client_id.data),
                section=db.get_or_404(Section, form.section_id.data), title=form.title.data, today=date.today(),
                site_address=form.site_address.data, deposit_percent=form.deposit_percent.data or 0,
                terms=form.terms.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Quote %(number)s opened. Add its lines.", number=quote.number), "success")
            return redirect(url_for("quotes.show", quote_id=quote.id))
    return render_template("quotes/form.html", form=form, quote=None), form_status(form)


@bp.route("/<int:quote_id>/edit", methods=["GET", "POST"])
@roles(*EDITORS)
def edit(quote_id: int):
    """Change a draft's heading."""
    quote = _editable(quote_id)
    form = _heading_form(quote)
    form.section_id.render_kw = {"disabled": True}
    form.section_id.validate_choice = False
    if form.validate_on_submit():
        try:
            services.update_quote(
                current_user, quote, version=form.version.data, title=form.title.data,
                client=db.get_or_404(Client, form.client_id.data), site_address=form.site_address.data,
                valid_until=form.valid_until.data or quote.valid_until,
                deposit_percent=form.deposit_percent.data or 0, terms=form.terms.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Quote saved."), "success")
            return redirect(url_for("quotes.show", quote_id=quote.id))
    return render_template("quotes/form.html", form=form, quote=quote), form_status(form)


_SUBMITTED = object()  # marker: read the form from the request


def _line_form(quote: Quote, line: QuoteLine | None = None, formdata=_SUBMITTED) -> LineForm:
    form = LineForm(obj=line) if formdata is _SUBMITTED else LineForm(obj=line, formdata=formdata)
    form.catalog_item_id.choices = as_choices([(0, _("— free line —")), *item_choices(quote.section_id)])
    if line is not None and not form.is_submitted():
        form.vat_rate.data = line.vat_rate
    form.version.data = form.version.data or quote.version
    return form


def _show(quote: Quote, status: int = 200, **forms):
    """The quote page with all its forms (those given keep their input and errors)."""
    editable = not quote.is_frozen and can_manage_section(quote.section_id)
    defaults = {
        "line_form": _line_form(quote, formdata=None) if editable else None,
        "estimate_form": EstimateForm(obj=quote, formdata=None),
        "material_form": MaterialLineForm(formdata=None),
        "accept_form": PaperAcceptanceForm(formdata=None),
        "decline_form": DeclineForm(formdata=None),
    }
    defaults.update(forms)
    for form in defaults.values():
        if form is not None and hasattr(form, "version") and not form.version.data:
            form.version.data = quote.version
    defaults["material_form"].material_id.choices = as_choices(material_choices())
    link = current_link("quote", quote.id)
    from erp.jobs.work_models import Job  # the quote page links to its job

    job = db.session.scalar(select(Job).where(Job.quote_id == quote.id))
    return render_template("quotes/show.html", quote=quote, totals=quote.totals(), editable=editable, job=job,
                           action=VersionOnlyForm(formdata=None, version=quote.version),
                           link_token=token_for(link) if link else None, link=link, **defaults), status


@bp.route("/<int:quote_id>")
@staff
def show(quote_id: int):
    """The quote: lines, totals, internal estimate and margin, actions allowed in its status."""
    return _show(db.get_or_404(Quote, quote_id))


@bp.route("/<int:quote_id>/lines", methods=["POST"])
@roles(*EDITORS)
def line_add(quote_id: int):
    """Add a line (from the catalog or free)."""
    quote = _editable(quote_id)
    form = _line_form(quote)
    if form.validate_on_submit():
        try:
            services.add_line(current_user, quote, **line_arguments(form))
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            return redirect(url_for("quotes.show", quote_id=quote.id, _anchor="lines"))
    return _show(quote, form_status(form), line_form=form)


@bp.route("/<int:quote_id>/lines/<int:line_id>", methods=["GET", "POST"])
@roles(*EDITORS)
def line_edit(quote_id: int, line_id: int):
    """Change one line of a draft."""
    quote = _editable(quote_id)
    line = db.session.get(QuoteLine, line_id)
    if line is None or line.quote_id != quote.id:
        abort(404)
    form = _line_form(quote, line)
    del form.catalog_item_id
    form.submit.label.text = _("Save")
    if form.validate_on_submit():
        try:
            if form.unit_price.data is None:
                raise DomainError(_("Give a unit price."), field="unit_price")
            services.update_line(current_user, quote, line, version=form.version.data, label=form.label.data,
                                 quantity=form.quantity.data, unit=form.unit.data, unit_price=form.unit_price.data,
                                 discount_percent=form.discount_percent.data or 0, vat_rate=form.vat_rate.data,
                                 nature=form.nature.data)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Line saved."), "success")
            return redirect(url_for("quotes.show", quote_id=quote.id, _anchor="lines"))
    if not form.is_submitted():
        form.version.data = quote.version
    return render_template("quotes/line_form.html", form=form, quote=quote, line=line), form_status(form)


def _line_of(quote: Quote, line_id: int) -> QuoteLine:
    line = db.session.get(QuoteLine, line_id)
    if line is None or line.quote_id != quote.id:
        abort(404)
    return line


def _act(quote: Quote, action, success: str, form=None, name: str | None = None):
    """Run a service on the quote; commit and go back to it, or show the refusal (beside the named form's fields)."""
    return run_form(form or VersionOnlyForm(), action, success=success,
                    done_url=url_for("quotes.show", quote_id=quote.id),
                    reshow=lambda status, failed: _show(quote, status, **({name: failed} if name else {})))


@bp.route("/<int:quote_id>/lines/<int:line_id>/delete", methods=["POST"])
@roles(*EDITORS)
def line_delete(quote_id: int, line_id: int):
    """Remove a line."""
    quote = _editable(quote_id)
    line = _line_of(quote, line_id)
    return _act(quote, lambda f: services.remove_line(current_user, quote, line, version=f.version.data),
                _("Line removed."))


@bp.route("/<int:quote_id>/lines/<int:line_id>/move", methods=["POST"])
@roles(*EDITORS)
def line_move(quote_id: int, line_id: int):
    """Move a line up or down."""
    quote = _editable(quote_id)
    line = _line_of(quote, line_id)
    offset = -1 if request.form.get("offset") == "-1" else 1
    return _act(quote, lambda f: services.move_line(current_user, quote, line, version=f.version.data, offset=offset),
                "", MoveForm())


@bp.route("/<int:quote_id>/estimate", methods=["POST"])
@roles(*EDITORS)
def estimate(quote_id: int):
    """Update the internal estimate."""
    quote = _editable(quote_id)
    form = EstimateForm()
    return _act(quote, lambda f: services.set_estimate(
        current_user, quote, version=f.version.data, student_hours=f.student_hours.data,
        craftsman_hours=f.craftsman_hours.data, labour_rate=f.labour_rate.data, other_costs=f.other_costs.data,
        other_costs_note=f.other_costs_note.data), _("Estimate updated."), form, "estimate_form")


@bp.route("/<int:quote_id>/materials", methods=["POST"])
@roles(*EDITORS)
def material_add(quote_id: int):
    """Add a material to the estimate."""
    quote = _editable(quote_id)
    form = MaterialLineForm()
    form.material_id.choices = as_choices(material_choices())
    return _act(quote, lambda f: services.add_material(
        current_user, quote, version=f.version.data, material=db.get_or_404(Material, f.material_id.data),
        quantity=f.quantity.data), "", form, "material_form")


@bp.route("/<int:quote_id>/materials/<int:entry_id>/delete", methods=["POST"])
@roles(*EDITORS)
def material_remove(quote_id: int, entry_id: int):
    """Take a material out of the estimate."""
    quote = _editable(quote_id)
    entry = db.session.get(QuoteMaterial, entry_id)
    if entry is None or entry.quote_id != quote.id:
        abort(404)
    return _act(quote, lambda f: services.remove_material(current_user, quote, entry, version=f.version.data), "")


@bp.route("/<int:quote_id>/send", methods=["POST"])
@roles(*EDITORS)
def send(quote_id: int):
    """Send the quote by e-mail with its PDF and private link, or mark it handed over."""
    quote = _editable(quote_id)
    by_email = request.form.get("by") != "hand"
    if by_email and not quote.client.email:
        flash(_("This client has no e-mail address: add one, or mark the quote as handed over."), "danger")
        return _show(quote, 422)
    return _act(quote, lambda f: delivery.deliver_quote(current_user, quote, today=date.today(), by_email=by_email),
                _("Quote sent to %(email)s.", email=quote.client.email) if by_email else _("Quote marked as sent."))


@bp.route("/<int:quote_id>/accept", methods=["POST"])
@roles(*EDITORS)
def accept(quote_id: int):
    """Record a quote accepted on paper."""
    quote = _editable(quote_id)
    form = PaperAcceptanceForm()
    return _act(quote, lambda f: services.accept_quote(
        current_user, quote, today=date.today(), name=f.name.data, channel=AcceptanceChannel.PAPER,
        vat_certified=f.vat_certified.data), _("Acceptance recorded."), form, "accept_form")


@bp.route("/<int:quote_id>/decline", methods=["POST"])
@roles(*EDITORS)
def decline(quote_id: int):
    """Record that the client declined."""
    quote = _editable(quote_id)
    form = DeclineForm()
    return _act(quote, lambda f: services.decline_quote(current_user, quote, reason=f.reason.data),
                _("Refusal recorded."), form, "decline_form")


@bp.route("/<int:quote_id>/cancel", methods=["POST"])
@roles(*EDITORS)
def cancel(quote_id: int):
    """Withdraw the quote."""
    quote = _editable(quote_id)
    return _act(quote, lambda f: (services.cancel_quote(current_user, quote),
                                  revoke_links(current_user, "quote", quote.id)), _("Quote cancelled."))


@bp.route("/<int:quote_id>/duplicate", methods=["POST"])
@roles(*EDITORS)
def duplicate(quote_id: int):
    """Copy the quote into a new draft (how a sent quote is changed)."""
    quote = db.get_or_404(Quote, quote_id)
    if not can_manage_section(quote.section_id):
        abort(403)
    copy = services.duplicate_quote(current_user, quote, today=date.today())
    db.session.commit()
    flash(_("Draft %(number)s made from %(source)s.", number=copy.number, source=quote.number), "success")
    return redirect(url_for("quotes.show", quote_id=copy.id))


@bp.route("/<int:quote_id>/link", methods=["POST"])
@roles(*EDITORS)
def link(quote_id: int):
    """Give the client a new private link (revoking the old ones), or revoke them all."""
    quote = _editable(quote_id)
    revoke_links(current_user, "quote", quote.id)
    if request.form.get("action") != "revoke" and quote.status is not QuoteStatus.DRAFT:
        delivery.quote_link_url(current_user, quote)
    db.session.commit()
    flash(_("Client links revoked.") if request.form.get("action") == "revoke" else _("New client link made."),
          "success")
    return redirect(url_for("quotes.show", quote_id=quote.id))


@bp.route("/<int:quote_id>/pdf")
@staff
def pdf(quote_id: int):
    """The quote as the client receives it."""
    quote = db.get_or_404(Quote, quote_id)
    return Response(quote_pdf(quote), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="Devis-{quote.number}.pdf"'})
