"""Sending a quote: a French e-mail with the PDF and the private link, through a real SMTP server on loopback."""
import io
import re

from pypdf import PdfReader
from sqlalchemy import select

from erp.auth.models import Role
from erp.mail.models import MailMessage
from erp.quotes.models import Quote, QuoteStatus


def test_send_by_email_through_smtp(client, login, db, make_quote, smtp_server):
    """The client receives a French message with the quote's PDF attached and a link that opens it."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman)
    response = client.post(f"/quotes/{quote.id}/send", data={"version": quote.version})
    assert response.status_code == 302
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["To"] == quote.client.email and quote.number in message["Subject"]
    body, attachment = None, None
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            body = part.get_payload(decode=True).decode()
        if part.get_content_type() == "application/pdf":
            attachment = part.get_payload(decode=True)
    assert "Veuillez trouver ci-joint notre devis" in body and "120,00" in body
    assert quote.number in PdfReader(io.BytesIO(attachment)).pages[0].extract_text()
    link = re.search(r"http://\S+/p/q/\S+", body).group(0)
    assert client.get(link.replace("http://127.0.0.1:5000", "")).status_code == 200
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status is QuoteStatus.SENT
    logged = db.session.scalar(select(MailMessage))
    assert logged.transport == "smtp" and logged.record_id == quote.id


def test_without_smtp_the_message_goes_to_the_outbox(client, login, db, make_quote):
    """With no MAIL_SERVER the demo still works: the message is listed on the outbox page."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman)
    client.post(f"/quotes/{quote.id}/send", data={"version": quote.version})
    page = client.get("/outbox/").get_data(as_text=True)
    assert f"Devis {quote.number}" in page and "Boîte d’envoi" in page
    message = db.session.scalar(select(MailMessage))
    raw = client.get(f"/outbox/{message.id}.eml")
    assert raw.mimetype == "message/rfc822" and b"application/pdf" in raw.data


def test_an_unreachable_mail_server_changes_nothing(app, client, login, db, make_quote):
    """If SMTP fails the quote stays a draft, no link or log is written, and the user is told why."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=1, MAIL_TIMEOUT=2)
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman)
    response = client.post(f"/quotes/{quote.id}/send", data={"version": quote.version})
    assert response.status_code == 502 and "n’a pas pu être envoyé" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status is QuoteStatus.DRAFT
    assert db.session.scalar(select(MailMessage)) is None


def test_a_client_without_email_gets_a_handed_over_quote(client, login, db, make_quote, make_client):
    """No e-mail address: sending by e-mail is refused with a message; handing over works."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman, client=make_client(email=""))
    assert client.post(f"/quotes/{quote.id}/send", data={"version": quote.version}).status_code == 422
    assert client.post(f"/quotes/{quote.id}/send", data={"version": quote.version, "by": "hand"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status is QuoteStatus.SENT


def test_a_craftsman_of_another_section_cannot_send_or_edit(client, login, db, make_quote):
    """Craftsmen see every quote but change only their own section's (403 otherwise)."""
    quote = make_quote()
    login(Role.CRAFTSMAN)
    assert client.get(f"/quotes/{quote.id}").status_code == 200
    assert client.post(f"/quotes/{quote.id}/send", data={"version": quote.version}).status_code == 403
    assert client.get(f"/quotes/{quote.id}/edit").status_code == 403
    assert client.post(f"/quotes/{quote.id}/lines", data={"label": "x"}).status_code == 403
