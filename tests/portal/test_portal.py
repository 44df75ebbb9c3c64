"""The client portal: signed, expiring, revocable links scoped to one document (DESIGN §5, DEV-10)."""
from datetime import date, timedelta

from sqlalchemy import select

from erp.columns import utcnow
from erp.mail.models import MailMessage
from erp.portal.services import issue_link, revoke_links, token_for
from erp.quotes import services
from erp.quotes.models import Quote, QuoteStatus


def _sent_quote(db, make_quote, **kwargs):
    quote = make_quote(today=date.today(), **kwargs)
    services.send_quote(None, quote, today=date.today())
    link = issue_link(None, document_type="quote", document_id=quote.id, client_id=quote.client_id)
    db.session.commit()
    return quote, token_for(link)


def test_the_client_opens_the_quote_without_a_password(client, db, make_quote):
    """The link shows the quote (mobile page) and its PDF, and nothing of the internal estimate."""
    quote, token = _sent_quote(db, make_quote)
    page = client.get(f"/p/q/{token}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and quote.number in text and "120,00" in text
    assert "Coût estimé" not in text and "Marge" not in text
    pdf = client.get(f"/p/q/{token}/pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_online_acceptance_records_who_when_where_and_tells_the_craftsman(client, db, make_quote):
    """Name, date-time, IP and user agent are kept; the quote is accepted; its author gets an e-mail."""
    quote, token = _sent_quote(db, make_quote)
    response = client.post(f"/p/q/{token}/accept", data={"accept-name": "Jeanne Martin", "accept-agree": "y"},
                           headers={"User-Agent": "TestPhone/1.0"}, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302
    db.session.expire_all()
    quote = db.session.get(Quote, quote.id)
    assert quote.status is QuoteStatus.ACCEPTED and quote.accepted_by_name == "Jeanne Martin"
    assert (quote.accepted_ip, quote.accepted_user_agent) == ("198.51.100.7", "TestPhone/1.0")
    notice = db.session.scalar(select(MailMessage).where(MailMessage.recipient == quote.created_by.email))
    assert notice is not None and "accepté" in notice.subject
    page = client.get(f"/p/q/{token}").get_data(as_text=True)
    assert "Vous avez accepté ce devis" in page


def test_acceptance_needs_a_name_and_the_tick(client, db, make_quote):
    """Without the typed name or the “bon pour accord” tick: 422, still sent."""
    quote, token = _sent_quote(db, make_quote)
    assert client.post(f"/p/q/{token}/accept", data={"accept-name": "", "accept-agree": "y"}).status_code == 422
    assert client.post(f"/p/q/{token}/accept", data={"accept-name": "Jeanne"}).status_code == 422
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).status is QuoteStatus.SENT


def test_ten_percent_quotes_need_the_certification_online(client, db, make_quote):
    """VAT-04: the certification box is shown and required when a line is at 10 %."""
    from decimal import Decimal

    quote, token = _sent_quote(db, make_quote, lines=[(Decimal("1"), Decimal("500"), Decimal("10.00"))])
    assert "J’atteste que les locaux" in client.get(f"/p/q/{token}").get_data(as_text=True)
    response = client.post(f"/p/q/{token}/accept", data={"accept-name": "Jeanne", "accept-agree": "y"})
    assert response.status_code == 422 and "exige l’attestation" in response.get_data(as_text=True)
    assert client.post(f"/p/q/{token}/accept", data={"accept-name": "Jeanne", "accept-agree": "y",
                                                     "accept-vat_certified": "y"}).status_code == 302


def test_an_accepted_quote_cannot_be_accepted_again_nor_declined(client, db, make_quote):
    """Once decided, the buttons are gone and a replayed POST is refused."""
    quote, token = _sent_quote(db, make_quote)
    client.post(f"/p/q/{token}/accept", data={"accept-name": "Jeanne", "accept-agree": "y"})
    assert client.post(f"/p/q/{token}/accept", data={"accept-name": "Autre", "accept-agree": "y"}).status_code == 409
    assert client.post(f"/p/q/{token}/decline", data={"decline-reason": "non"}).status_code == 409
    db.session.expire_all()
    assert db.session.get(Quote, quote.id).accepted_by_name == "Jeanne"


def test_decline_with_a_reason(client, db, make_quote):
    """The client declines; the reason is kept."""
    quote, token = _sent_quote(db, make_quote)
    assert client.post(f"/p/q/{token}/decline", data={"decline-reason": "Trop cher <b>"}).status_code == 302
    db.session.expire_all()
    quote = db.session.get(Quote, quote.id)
    assert quote.status is QuoteStatus.DECLINED and quote.decline_reason == "Trop cher <b>"


def test_tampered_links_get_a_polite_404(client, db, make_quote):
    """A changed character, a made-up token or another salt: the French page, 404, no quote shown."""
    quote, token = _sent_quote(db, make_quote)
    middle = len(token) // 2  # a full 6-bit character (the last one of a signature may be padding)
    flipped = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    for bad in (flipped, "abc", token + "x", "W1sxLCJ4Il0", token.split(".")[0] + ".forged"):
        response = client.get(f"/p/q/{bad}")
        assert response.status_code == 404 and "plus valable" in response.get_data(as_text=True)
        assert quote.number not in response.get_data(as_text=True)
        assert client.post(f"/p/q/{bad}/accept", data={"accept-name": "X", "accept-agree": "y"}).status_code == 404


def test_revoked_and_expired_links_no_longer_open(client, db, make_quote):
    """Revoking or passing the expiry date closes the link."""
    quote, token = _sent_quote(db, make_quote)
    revoke_links(None, "quote", quote.id)
    db.session.commit()
    assert client.get(f"/p/q/{token}").status_code == 404
    old = issue_link(None, document_type="quote", document_id=quote.id, client_id=quote.client_id,
                     now=utcnow() - timedelta(days=91))
    db.session.commit()
    assert client.get(f"/p/q/{token_for(old)}").status_code == 404


def test_a_link_opens_nothing_but_its_own_document(client, db, make_quote, make_client):
    """A valid token of quote A cannot reach quote B, nor another kind of document."""
    first, first_token = _sent_quote(db, make_quote)
    second, _second_token = _sent_quote(db, make_quote, client=make_client(name="Autre client"))
    page = client.get(f"/p/q/{first_token}").get_data(as_text=True)
    assert first.number in page and second.number not in page
    invoice_link = issue_link(None, document_type="invoice", document_id=second.id, client_id=second.client_id)
    db.session.commit()
    assert client.get(f"/p/q/{token_for(invoice_link)}").status_code == 404


def test_a_draft_is_never_shown_through_a_link(client, db, make_quote):
    """Even with a valid signature, a draft stays internal."""
    quote = make_quote()
    link = issue_link(None, document_type="quote", document_id=quote.id, client_id=quote.client_id)
    db.session.commit()
    assert client.get(f"/p/q/{token_for(link)}").status_code == 404


def test_an_expired_quote_shows_as_expired_and_cannot_be_accepted(client, db, make_quote):
    """Past the validity date the page says so and acceptance is refused."""
    quote, token = _sent_quote(db, make_quote)
    quote.valid_until = date.today() - timedelta(days=1)
    db.session.commit()
    assert "a expiré" in client.get(f"/p/q/{token}").get_data(as_text=True)
    assert client.post(f"/p/q/{token}/accept", data={"accept-name": "J", "accept-agree": "y"}).status_code == 409
