"""Sending invoices by e-mail with their PDF and the client's private link."""
from flask import render_template
from flask_babel import force_locale

from erp.invoicing.models import Invoice
from erp.mail.services import send_mail
from erp.portal.services import current_link, issue_link, token_for
from erp.settings.services import get_school
from erp.web import public_url


def invoice_link_url(actor, invoice: Invoice) -> str:
    """The client's private link to the invoice: the live one, or a new one."""
    link = current_link("invoice", invoice.id) or issue_link(actor, document_type="invoice", document_id=invoice.id,
                                                               client_id=invoice.client_id)
    return public_url("portal.invoice", token=token_for(link))


def send_invoice(actor, invoice: Invoice) -> None:
    """E-mail the issued PDF (exactly as stored) with the private link."""
    school = get_school()
    with force_locale("fr"):
        body = render_template("mail/invoice_sent.txt", invoice=invoice, school=school,
                               url=invoice_link_url(actor, invoice))
    send_mail(invoice.client.email, f"{invoice.kind.title} {invoice.number} — {school.legal_name}", body,
              sender_name=school.legal_name,
              attachments=[(f"{invoice.kind.title.replace(' ', '-')}-{invoice.number}.pdf", "application/pdf",
                            invoice.pdf)], record=invoice)
