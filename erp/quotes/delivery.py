"""Sending a quote to the client and telling the craftsman when the client answers."""
from datetime import date

from flask import render_template
from flask_babel import force_locale

from erp.mail.services import send_mail
from erp.portal.services import current_link, issue_link, token_for
from erp.quotes.documents import quote_pdf
from erp.quotes.models import Quote
from erp.quotes.services import send_quote
from erp.settings.services import get_school
from erp.web import public_url


def quote_link_url(actor, quote: Quote) -> str:
    """The client's private link to the quote: the live one, or a new one."""
    link = current_link("quote", quote.id) or issue_link(actor, document_type="quote", document_id=quote.id,
                                                           client_id=quote.client_id)
    return public_url("portal.quote", token=token_for(link))


def deliver_quote(actor, quote: Quote, *, today: date, by_email: bool) -> None:
    """Mark the quote sent and, by e-mail, send the PDF with the private link (e-mail last: nothing half-done)."""
    send_quote(actor, quote, today=today)
    url = quote_link_url(actor, quote)
    if by_email:
        school = get_school()
        with force_locale("fr"):
            body = render_template("mail/quote_sent.txt", quote=quote, school=school, url=url)
        send_mail(quote.client.email, f"Devis {quote.number} — {quote.title}", body, sender_name=school.legal_name,
                  attachments=[(f"Devis-{quote.number}.pdf", "application/pdf", quote_pdf(quote))], record=quote)


def notify_decision(quote: Quote) -> None:
    """Tell whoever made the quote that the client accepted or declined it."""
    recipient = quote.created_by
    if recipient is None or not recipient.active:
        return
    school = get_school()
    with force_locale("fr"):
        body = render_template("mail/quote_decided.txt", quote=quote,
                               url=public_url("quotes.show", quote_id=quote.id))
    verb = "accepté" if quote.status.value == "accepted" else "refusé"
    send_mail(recipient.email, f"Devis {quote.number} {verb} par {quote.client.name}", body,
              sender_name=school.legal_name, record=quote)
