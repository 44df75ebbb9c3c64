"""The client's pages: open a quote from the private link, download it, accept or decline it."""
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from erp.auth.policy import public
from erp.clients.models import Client
from erp.errors import DomainError
from erp.extensions import db
from erp.invoicing.models import Invoice
from erp.money import percent_of
from erp.portal.services import mark_opened, resolve_token
from erp.quotes import services as quote_services
from erp.quotes.delivery import notify_decision
from erp.quotes.documents import quote_pdf
from erp.quotes.forms import PortalAcceptForm, PortalDeclineForm
from erp.quotes.models import AcceptanceChannel, Quote, QuoteStatus
from erp.settings.services import get_school
from erp.web import form_status, reject

bp = Blueprint("portal", __name__, url_prefix="/p")


def invalid_link():
    """A polite page, and a 404, for a link that is tampered with, revoked or expired."""
    return render_template("portal/invalid.html", school=get_school()), 404


def _quote_for(token: str) -> Quote | None:
    """The quote a valid link opens — and nothing else: the link is scoped to one document of one client."""
    link = resolve_token(token, "quote")
    if link is None:
        return None
    quote = db.session.get(Quote, link.document_id)
    if quote is None or quote.client_id != link.client_id or quote.status is QuoteStatus.DRAFT:
        return None
    mark_opened(link)
    if quote.status is QuoteStatus.SENT and quote.valid_until < date.today():
        quote_services.expire_quote(quote)
    db.session.commit()
    return quote


def _page(quote: Quote, token: str, status: int = 200, accept_form=None, decline_form=None):
    totals = quote.totals()
    deposit = percent_of(totals.gross, quote.deposit_percent) if quote.deposit_percent else None
    return render_template("portal/quote.html", quote=quote, token=token, totals=totals, school=get_school(),
                           deposit=deposit,
                           accept_form=accept_form or PortalAcceptForm(formdata=None, prefix="accept"),
                           decline_form=decline_form or PortalDeclineForm(formdata=None, prefix="decline")), status


@bp.route("/q/<token>")
@public
def quote(token: str):
    """The quote as the client sees it, with the accept and decline buttons while it is open."""
    found = _quote_for(token)
    return invalid_link() if found is None else _page(found, token)


@bp.route("/q/<token>/pdf")
@public
def quote_download(token: str):
    """The quote's PDF."""
    found = _quote_for(token)
    if found is None:
        return invalid_link()
    return Response(quote_pdf(found), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="Devis-{found.number}.pdf"'})


@bp.route("/q/<token>/accept", methods=["POST"])
@public
def quote_accept(token: str):
    """The client's online "bon pour accord": typed name, tick, and the VAT certification when needed."""
    found = _quote_for(token)
    if found is None:
        return invalid_link()
    form = PortalAcceptForm(prefix="accept")
    if form.validate_on_submit():
        try:
            quote_services.accept_quote(
                None, found, today=date.today(), name=form.name.data, channel=AcceptanceChannel.ONLINE,
                ip=request.remote_addr or "", user_agent=request.user_agent.string,
                vat_certified=form.vat_certified.data)
            notify_decision(found)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Thank you: your acceptance is recorded. The school will contact you to plan the work."),
                  "success")
            return redirect(url_for("portal.quote", token=token))
    return _page(found, token, form_status(form), accept_form=form)


@bp.route("/q/<token>/decline", methods=["POST"])
@public
def quote_decline(token: str):
    """The client declines, optionally saying why."""
    found = _quote_for(token)
    if found is None:
        return invalid_link()
    form = PortalDeclineForm(prefix="decline")
    if form.validate_on_submit():
        try:
            quote_services.decline_quote(None, found, reason=form.reason.data)
            notify_decision(found)
        except DomainError as error:
            reject(form, error)
        else:
            db.session.commit()
            flash(_("Your answer is recorded. Thank you for letting us know."), "info")
            return redirect(url_for("portal.quote", token=token))
    return _page(found, token, form_status(form), decline_form=form)


def _invoice_for(token: str) -> Invoice | None:
    """The issued invoice a valid link opens, and nothing else."""
    link = resolve_token(token, "invoice")
    if link is None:
        return None
    invoice = db.session.get(Invoice, link.document_id)
    if invoice is None or invoice.client_id != link.client_id or not invoice.is_issued:
        return None
    mark_opened(link)
    db.session.commit()
    return invoice


def _pdf(invoice: Invoice) -> Response:
    name = f"{invoice.kind.title}-{invoice.number}.pdf".replace(" ", "-")
    return Response(invoice.pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/i/<token>")
@public
def invoice(token: str):
    """The invoice as the client sees it, with what remains to pay and how."""
    found = _invoice_for(token)
    if found is None:
        return invalid_link()
    return render_template("portal/invoice.html", invoice=found, token=token, totals=found.totals(),
                           school=get_school())


@bp.route("/i/<token>/pdf")
@public
def invoice_download(token: str):
    """The invoice's PDF, exactly as issued."""
    found = _invoice_for(token)
    return invalid_link() if found is None else _pdf(found)


def _client_for(token: str) -> Client | None:
    link = resolve_token(token, "client")
    if link is None:
        return None
    mark_opened(link)
    db.session.commit()
    return db.session.get(Client, link.client_id)


@bp.route("/c/<token>")
@public
def client_space(token: str):
    """All of one client's quotes and invoices, from one private link."""
    client = _client_for(token)
    if client is None:
        return invalid_link()
    quotes = db.session.scalars(select(Quote).where(Quote.client_id == client.id, Quote.status != QuoteStatus.DRAFT)
                                .order_by(Quote.id.desc())).all()
    invoices = db.session.scalars(select(Invoice).where(Invoice.client_id == client.id, Invoice.number.is_not(None))
                                  .order_by(Invoice.id.desc())).all()
    return render_template("portal/client.html", client=client, quotes=quotes, invoices=invoices, token=token,
                           school=get_school())


@bp.route("/c/<token>/invoice/<int:invoice_id>.pdf")
@public
def client_invoice_pdf(token: str, invoice_id: int):
    """One of the client's invoices — another client's answers 404."""
    client = _client_for(token)
    found = db.session.get(Invoice, invoice_id) if client else None
    if found is None or found.client_id != client.id or not found.is_issued:
        return invalid_link()
    return _pdf(found)


@bp.route("/c/<token>/quote/<int:quote_id>.pdf")
@public
def client_quote_pdf(token: str, quote_id: int):
    """One of the client's quotes — another client's answers 404."""
    client = _client_for(token)
    found = db.session.get(Quote, quote_id) if client else None
    if found is None or found.client_id != client.id or found.status is QuoteStatus.DRAFT:
        return invalid_link()
    return Response(quote_pdf(found), mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="Devis-{found.number}.pdf"'})
