"""Invoicing pages for the accountant and the director (thin: the rules are in the services)."""
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from erp.auth.models import Role
from erp.auth.policy import roles
from erp.catalog.services import item_choices
from erp.clients.models import Client
from erp.errors import DomainError, check_version
from erp.extensions import db
from erp.forms import ConfirmForm, as_choices
from erp.einvoicing import channels
from erp.invoicing import delivery, issuing, payments, services
from erp.invoicing.documents import invoice_pdf
from erp.invoicing.forms import HeadingForm, PaymentForm, ReverseForm
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceLine, InvoiceStatus, Payment, Reminder
from erp.jobs.work_models import Job, JobStatus
from erp.portal.services import current_link, revoke_links, token_for
from erp.quotes.forms import LineForm, line_arguments
from erp.quotes.models import Quote, QuoteStatus
from erp.web import paginate, reject, run_form

bp = Blueprint("invoicing", __name__, url_prefix="/invoices")
BILLING = (Role.DIRECTOR, Role.ACCOUNTANT)


@bp.route("/")
@roles(*BILLING)
def index():
    """Invoices, deposit invoices and credit notes; and what is waiting to be invoiced."""
    kind, status = request.args.get("kind", ""), request.args.get("status", "")
    search = request.args.get("q", "").strip()[:60]
    query = select(Invoice).options(selectinload(Invoice.client))
    if kind in InvoiceKind._value2member_map_:
        query = query.where(Invoice.kind == InvoiceKind(kind))
    if status in InvoiceStatus._value2member_map_:
        query = query.where(Invoice.status == InvoiceStatus(status))
    if search:
        query = query.where(or_(Invoice.number.ilike(f"%{search}%"), Invoice.client_id.in_(
            select(Client.id).where(Client.name.ilike(f"%{search}%")))))
    period = {}
    for name in ("from", "to"):  # the dashboard links here with the fiscal year's dates
        try:
            period[name] = date.fromisoformat(request.args.get(name, ""))
        except ValueError:
            continue
    if "from" in period:
        query = query.where(Invoice.issue_date >= period["from"])
    if "to" in period:
        query = query.where(Invoice.issue_date <= period["to"])
    section_id = request.args.get("section", type=int)
    if section_id:
        query = query.where(Invoice.section_id == section_id)
    to_invoice = db.session.scalars(select(Job).options(selectinload(Job.client)).where(
        Job.status == JobStatus.DELIVERED, Job.client_id.is_not(None)).order_by(Job.delivered_on)).all()
    deposits_due = db.session.scalars(select(Quote).options(selectinload(Quote.client)).where(
        Quote.status == QuoteStatus.ACCEPTED, Quote.deposit_percent > 0,
        ~select(Invoice.id).where(Invoice.quote_id == Quote.id, Invoice.kind == InvoiceKind.DEPOSIT).exists())
    ).all()
    # Drafts (a handful) head the first page; numbered documents follow, newest first, in index order.
    page = paginate(query.where(Invoice.number.is_not(None)).order_by(Invoice.issue_date.desc(), Invoice.id.desc()))
    drafts = [] if period or page.page > 1 else db.session.scalars(
        query.where(Invoice.number.is_(None)).order_by(Invoice.id.desc())).all()
    return render_template("invoicing/index.html", page=page, drafts=drafts, kind=kind, status=status, q=search,
                           period=period, section_id=section_id,
                           kinds=list(InvoiceKind), statuses=list(InvoiceStatus), to_invoice=to_invoice,
                           deposits_due=deposits_due, confirm=ConfirmForm(), today=date.today())


def _draft_made(invoice: Invoice):
    db.session.commit()
    flash(_("Draft ready: check it, then issue it."), "success")
    return redirect(url_for("invoicing.show", invoice_id=invoice.id))


def _refused(error: DomainError, back: str):
    reject(None, error)
    return redirect(back)


@bp.route("/from-job/<int:job_id>", methods=["POST"])
@roles(*BILLING)
def from_job(job_id: int):
    """A draft invoice from a delivered job."""
    job = db.get_or_404(Job, job_id)
    try:
        invoice = services.draft_from_job(current_user, job, today=date.today())
    except DomainError as error:
        return _refused(error, url_for("invoicing.index"))
    return _draft_made(invoice)


@bp.route("/deposit/<int:quote_id>", methods=["POST"])
@roles(*BILLING)
def deposit(quote_id: int):
    """A draft deposit invoice for an accepted quote."""
    quote = db.get_or_404(Quote, quote_id)
    try:
        invoice = services.draft_deposit(current_user, quote, today=date.today())
    except DomainError as error:
        return _refused(error, url_for("invoicing.index"))
    return _draft_made(invoice)


def _line_form(formdata=None, obj=None) -> LineForm:
    form = LineForm(obj=obj) if formdata is not None else LineForm(formdata=None, obj=obj)
    form.catalog_item_id.choices = as_choices([(0, _("— free line —")), *item_choices()])
    return form


def _show(invoice: Invoice, status: int = 200, **forms):
    context = {"heading_form": HeadingForm(formdata=None, obj=invoice),
               "line_form": _line_form(),
               "payment_form": PaymentForm(formdata=None, amount=max(invoice.balance, 0) or None),
               "reverse_form": ReverseForm(formdata=None), "confirm": ConfirmForm()} | forms
    for form in context.values():
        if hasattr(form, "version") and not form.version.data:
            form.version.data = invoice.version
    payments_made = db.session.scalars(select(Payment).where(Payment.invoice_id == invoice.id)
                                       .order_by(Payment.id)).all()
    reversed_ids = {p.reverses_id for p in payments_made if p.reverses_id}
    reminders = db.session.scalars(select(Reminder).where(Reminder.invoice_id == invoice.id)
                                   .order_by(Reminder.id)).all()
    notes = db.session.scalars(select(Invoice).where(Invoice.credited_invoice_id == invoice.id)
                               .order_by(Invoice.id)).all()
    link = current_link("invoice", invoice.id)
    return render_template("invoicing/show.html", invoice=invoice, totals=invoice.totals(), payments=payments_made,
                           reversed_ids=reversed_ids, reminders=reminders, credit_notes=notes, link=link,
                           link_token=token_for(link) if link else None, today=date.today(), **context), status


@bp.route("/<int:invoice_id>")
@roles(*BILLING)
def show(invoice_id: int):
    """One invoice: its lines and totals, and — once issued — payments, reminders, credit notes."""
    return _show(db.get_or_404(Invoice, invoice_id))


def _act(invoice: Invoice, form, action, success: str, name: str):
    """Run an invoice form's service and come back to the invoice, or show it again with the errors."""
    return run_form(form, action, success=success, done_url=url_for("invoicing.show", invoice_id=invoice.id),
                    reshow=lambda status, failed: _show(invoice, status, **{name: failed}))


@bp.route("/<int:invoice_id>/heading", methods=["POST"])
@roles(*BILLING)
def heading(invoice_id: int):
    """Title, order number, date of sale, notes of a draft."""
    invoice = db.get_or_404(Invoice, invoice_id)
    return _act(invoice, HeadingForm(), lambda f: services.update_heading(
        current_user, invoice, version=f.version.data, title=f.title.data, purchase_order=f.purchase_order.data or "",
        delivery_date=f.delivery_date.data, notes=f.notes.data or ""), _("Draft saved."), "heading_form")


@bp.route("/<int:invoice_id>/lines", methods=["POST"])
@roles(*BILLING)
def line_add(invoice_id: int):
    """Add a line to a draft."""
    invoice = db.get_or_404(Invoice, invoice_id)
    form = _line_form(formdata=request.form)

    return _act(invoice, form, lambda f: services.add_line(current_user, invoice, **line_arguments(f)), "",
                "line_form")


@bp.route("/<int:invoice_id>/lines/<int:line_id>/delete", methods=["POST"])
@roles(*BILLING)
def line_delete(invoice_id: int, line_id: int):
    """Remove a line from a draft."""
    invoice = db.get_or_404(Invoice, invoice_id)
    line = db.session.get(InvoiceLine, line_id)
    if line is None or line.invoice_id != invoice.id:
        abort(404)
    return _act(invoice, ConfirmForm(), lambda f: services.remove_line(current_user, invoice, line, version=request.form.get("version")),
                _("Line removed."), "confirm")


@bp.route("/<int:invoice_id>/issue", methods=["POST"])
@roles(*BILLING)
def issue(invoice_id: int):
    """Give the draft its number and freeze it (a double submission is refused, no number wasted)."""
    invoice = db.get_or_404(Invoice, invoice_id)

    def run(_form):
        check_version(invoice, request.form.get("version"))
        issuing.issue_invoice(current_user, invoice, today=date.today())

    return _act(invoice, ConfirmForm(), run, _("Issued."), "confirm")


@bp.route("/<int:invoice_id>/delete", methods=["POST"])
@roles(*BILLING)
def delete(invoice_id: int):
    """Throw away a draft."""
    invoice = db.get_or_404(Invoice, invoice_id)
    try:
        services.delete_draft(current_user, invoice)
    except DomainError as error:
        return _refused(error, url_for("invoicing.show", invoice_id=invoice.id))
    db.session.commit()
    flash(_("Draft deleted."), "success")
    return redirect(url_for("invoicing.index"))


@bp.route("/<int:invoice_id>/send", methods=["POST"])
@roles(*BILLING)
def send(invoice_id: int):
    """Send the issued Factur-X document through the school's channel (e-mail with the private link)."""
    invoice = db.get_or_404(Invoice, invoice_id)
    if not invoice.is_issued:
        abort(409)
    channel = channels.current()
    return _act(invoice, ConfirmForm(), lambda f: channel.send(current_user, invoice),
                _("Sent %(where)s.", where=channel.describe(invoice)), "confirm")


@bp.route("/<int:invoice_id>/credit-note", methods=["POST"])
@roles(*BILLING)
def credit_note(invoice_id: int):
    """A draft credit note on this invoice, full or partial."""
    invoice = db.get_or_404(Invoice, invoice_id)
    try:
        note = services.draft_credit_note(current_user, invoice, full=request.form.get("full") == "1")
    except DomainError as error:
        return _refused(error, url_for("invoicing.show", invoice_id=invoice.id))
    return _draft_made(note)


@bp.route("/<int:invoice_id>/payments", methods=["POST"])
@roles(*BILLING)
def payment(invoice_id: int):
    """Record money received."""
    invoice = db.get_or_404(Invoice, invoice_id)
    return _act(invoice, PaymentForm(), lambda f: payments.record_payment(
        current_user, invoice, day=f.day.data, amount=f.amount.data, method=f.method.data,
        reference=f.reference.data or ""), _("Payment recorded."), "payment_form")


@bp.route("/<int:invoice_id>/payments/<int:payment_id>/reverse", methods=["POST"])
@roles(*BILLING)
def reverse(invoice_id: int, payment_id: int):
    """Cancel a payment by a counter-entry."""
    invoice = db.get_or_404(Invoice, invoice_id)
    made = db.session.get(Payment, payment_id)
    if made is None or made.invoice_id != invoice.id:
        abort(404)
    return _act(invoice, ReverseForm(), lambda f: payments.reverse_payment(
        current_user, made, reason=f.reason.data, day=date.today()), _("Payment reversed."), "reverse_form")


@bp.route("/<int:invoice_id>/reminders", methods=["POST"])
@roles(*BILLING)
def remind(invoice_id: int):
    """Send a payment reminder of the chosen level."""
    invoice = db.get_or_404(Invoice, invoice_id)
    level = request.form.get("level", type=int) or 1
    return _act(invoice, ConfirmForm(), lambda f: payments.send_reminder(current_user, invoice, level=level,
                                                                         today=date.today()),
                _("Reminder sent."), "confirm")


@bp.route("/<int:invoice_id>/link", methods=["POST"])
@roles(*BILLING)
def link(invoice_id: int):
    """Revoke the client's links to this invoice, or make a new one."""
    invoice = db.get_or_404(Invoice, invoice_id)
    revoke_links(current_user, "invoice", invoice.id)
    if request.form.get("action") != "revoke" and invoice.is_issued:
        delivery.invoice_link_url(current_user, invoice)
    db.session.commit()
    flash(_("Client links revoked.") if request.form.get("action") == "revoke" else _("New client link made."),
          "success")
    return redirect(url_for("invoicing.show", invoice_id=invoice.id))


@bp.route("/<int:invoice_id>/pdf")
@roles(*BILLING, Role.CRAFTSMAN)  # craftsmen print the invoices of their counter sales
def pdf(invoice_id: int):
    """The issued PDF exactly as sent; a draft is rendered as a marked preview."""
    invoice = db.get_or_404(Invoice, invoice_id)
    content = invoice.pdf if invoice.is_issued else invoice_pdf(invoice)
    name = f"{invoice.kind.title}-{invoice.number or 'brouillon'}.pdf".replace(" ", "-")
    return Response(content, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{name}"'})


@bp.route("/overdue")
@roles(*BILLING)
def overdue():
    """Late payers: what is overdue, how late, which reminders went out."""
    today = date.today()
    page = paginate(payments.overdue_query(today))
    levels = payments.last_reminder_levels(i.id for i in page.items)
    total, _count = payments.overdue_summary(today)
    return render_template("invoicing/overdue.html", page=page, total=total, levels=levels, today=today,
                           confirm=ConfirmForm())
