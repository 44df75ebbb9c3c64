"""The client's invoice link and client space: the stored PDF, what remains to pay, nothing of anyone else."""
from decimal import Decimal

from erp.invoicing import payments
from erp.invoicing.models import PaymentMethod
from erp.portal.services import issue_link, token_for

D = Decimal


def _link(db, kind, document_id, client_id):
    link = issue_link(None, document_type=kind, document_id=document_id, client_id=client_id)
    db.session.commit()
    return token_for(link)


def test_invoice_link_shows_what_remains_and_the_issued_pdf(client, db, make_invoice):
    """The page shows the balance after a payment; the PDF is byte for byte the one issued."""
    invoice = make_invoice()
    payments.record_payment(None, invoice, day=invoice.issue_date, amount=D("200"), method=PaymentMethod.CHEQUE,
                            today=invoice.issue_date)
    db.session.commit()
    token = _link(db, "invoice", invoice.id, invoice.client_id)
    page = client.get(f"/p/i/{token}").get_data(as_text=True).replace("\u202f", " ").replace("\xa0", " ")
    assert invoice.number in page and "Reste à payer" in page and "1 000,00 €" in page
    assert "FR7630001007941234567890185" in page
    assert client.get(f"/p/i/{token}/pdf").data == invoice.pdf


def test_invoice_links_are_scoped(client, db, make_invoice):
    """A draft never shows; a quote token does not open an invoice; a tampered token is refused."""
    draft = make_invoice(issue=False)
    assert client.get(f"/p/i/{_link(db, 'invoice', draft.id, draft.client_id)}").status_code == 404
    issued = make_invoice()
    quote_token = _link(db, "quote", issued.id, issued.client_id)
    assert client.get(f"/p/i/{quote_token}").status_code == 404
    assert client.get(f"/p/i/{quote_token[:-3]}abc").status_code == 404


def test_client_space_lists_only_that_clients_documents(client, db, make_invoice):
    """One link for all of a client's documents; another client's PDF answers 404."""
    mine, theirs = make_invoice(), make_invoice()
    token = _link(db, "client", mine.client_id, mine.client_id)
    page = client.get(f"/p/c/{token}").get_data(as_text=True)
    assert mine.number in page and theirs.number not in page
    assert client.get(f"/p/c/{token}/invoice/{mine.id}.pdf").data == mine.pdf
    assert client.get(f"/p/c/{token}/invoice/{theirs.id}.pdf").status_code == 404


def test_the_client_space_link_is_sent_by_email(client, login, db, make_invoice):
    """From the client page: a new link e-mailed to the client; the old one stops working."""
    from sqlalchemy import select

    from erp.auth.models import Role
    from erp.mail.models import MailMessage

    invoice = make_invoice()
    login(Role.ACCOUNTANT)
    client.post(f"/clients/{invoice.client_id}/space-link")
    first = db.session.scalar(select(MailMessage.body).order_by(MailMessage.id.desc()))
    client.post(f"/clients/{invoice.client_id}/space-link")
    second = db.session.scalar(select(MailMessage.body).order_by(MailMessage.id.desc()))
    old, new = (body.split("/p/c/")[1].split()[0] for body in (first, second))
    assert client.get(f"/p/c/{old}").status_code == 404
    assert invoice.number in client.get(f"/p/c/{new}").get_data(as_text=True)
