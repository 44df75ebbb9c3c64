"""Quote status transitions: each one a checked service; frozen once sent (DESIGN §5, DEV-10)."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from erp.catalog.models import Nature, Unit
from erp.errors import IllegalTransition, StaleEdit, ValidationFailed
from erp.quotes import services
from erp.quotes.models import AcceptanceChannel, QuoteStatus

D = Decimal
TODAY = date(2026, 11, 2)


def _accept(quote, today=TODAY, **kwargs):
    return services.accept_quote(None, quote, today=today, name=kwargs.pop("name", "Jeanne Client"),
                                 channel=AcceptanceChannel.ONLINE, **kwargs)


def test_draft_to_sent_to_accepted(db, make_quote):
    """The happy path, with the acceptance evidence kept."""
    quote = make_quote()
    services.send_quote(None, quote, today=TODAY)
    assert quote.status is QuoteStatus.SENT and quote.sent_at is not None
    _accept(quote, ip="203.0.113.5", user_agent="Firefox")
    assert quote.status is QuoteStatus.ACCEPTED
    assert (quote.accepted_by_name, quote.accepted_ip, quote.accepted_user_agent) == ("Jeanne Client", "203.0.113.5",
                                                                                       "Firefox")
    assert quote.decided_at is not None


def test_sending_dates_the_quote_and_keeps_its_validity_period(db, make_quote):
    """A draft opened earlier is dated the day it is sent and keeps its validity length."""
    quote = make_quote(today=date(2026, 10, 1))
    services.send_quote(None, quote, today=TODAY)
    assert quote.issue_date == TODAY and quote.valid_until == TODAY + timedelta(days=30)


def test_an_empty_quote_cannot_be_sent(db, make_quote):
    """A quote without lines (or at zero) stays a draft."""
    with pytest.raises(ValidationFailed):
        services.send_quote(None, make_quote(lines=[]), today=TODAY)
    with pytest.raises(ValidationFailed):
        services.send_quote(None, make_quote(lines=[(D("1"), D("0"), D("20.00"))]), today=TODAY)


def test_a_sent_quote_is_frozen(db, make_quote):
    """No line, heading or estimate changes once sent: changes go into a duplicate."""
    quote = make_quote()
    services.send_quote(None, quote, today=TODAY)
    with pytest.raises(IllegalTransition):
        services.add_line(None, quote, version=quote.version, label="x", quantity=D("1"), unit=Unit.PIECE,
                          unit_price=D("1"), vat_rate=D("20.00"), nature=Nature.GOODS)
    with pytest.raises(IllegalTransition):
        services.set_estimate(None, quote, version=quote.version, student_hours=D("1"), craftsman_hours=D("0"),
                              labour_rate=D("1"), other_costs=D("0"), other_costs_note="")
    copy = services.duplicate_quote(None, quote, today=TODAY)
    assert copy.status is QuoteStatus.DRAFT and copy.number != quote.number
    assert [(line.label, line.net) for line in copy.lines] == [(line.label, line.net) for line in quote.lines]
    assert copy.total_gross == quote.total_gross and copy.duplicated_from_id == quote.id


@pytest.mark.parametrize("setup, action", [
    ("draft", lambda q: _accept(q)),
    ("draft", lambda q: services.decline_quote(None, q)),
    ("accepted", lambda q: _accept(q)),
    ("accepted", lambda q: services.decline_quote(None, q)),
    ("accepted", lambda q: services.cancel_quote(None, q)),
    ("declined", lambda q: _accept(q)),
    ("cancelled", lambda q: services.send_quote(None, q, today=TODAY)),
    ("expired", lambda q: _accept(q)),
])
def test_illegal_transitions_are_refused(db, make_quote, setup, action):
    """Every move the state machine does not allow raises IllegalTransition, with nothing changed."""
    quote = make_quote()
    if setup != "draft" and setup != "cancelled":
        services.send_quote(None, quote, today=TODAY)
    {"accepted": lambda: _accept(quote), "declined": lambda: services.decline_quote(None, quote),
     "cancelled": lambda: services.cancel_quote(None, quote), "expired": lambda: services.expire_quote(quote),
     "draft": lambda: None}[setup]()
    before = quote.status
    with pytest.raises(IllegalTransition):
        action(quote)
    assert quote.status is before


def test_an_expired_quote_cannot_be_accepted(db, make_quote):
    """Past its validity date a quote expires instead of being accepted."""
    quote = make_quote()
    services.send_quote(None, quote, today=TODAY)
    with pytest.raises(IllegalTransition):
        _accept(quote, today=quote.valid_until + timedelta(days=1))
    assert quote.status is QuoteStatus.EXPIRED


def test_overdue_quotes_expire_in_bulk(db, make_quote):
    """The daily sweep expires sent quotes past their date, and only those."""
    old, fresh, draft = make_quote(), make_quote(), make_quote()
    services.send_quote(None, old, today=TODAY - timedelta(days=40))
    services.send_quote(None, fresh, today=TODAY)
    assert services.expire_overdue_quotes(TODAY) == 1
    assert (old.status, fresh.status, draft.status) == (QuoteStatus.EXPIRED, QuoteStatus.SENT, QuoteStatus.DRAFT)


def test_reduced_home_rate_needs_the_clients_certification(db, make_quote):
    """VAT-04 / DEV-12: a quote with a 10 % line is accepted only with the certification."""
    quote = make_quote(lines=[(D("1"), D("1000"), D("10.00"))])
    services.send_quote(None, quote, today=TODAY)
    with pytest.raises(ValidationFailed) as error:
        _accept(quote)
    assert error.value.field == "vat_certified"
    _accept(quote, vat_certified=True)
    assert quote.vat_certified is True


def test_a_stale_version_is_refused(db, make_quote):
    """Two craftsmen edit one quote: the edit made on the older version is refused."""
    quote = make_quote()
    seen = quote.version
    services.add_line(None, quote, version=seen, label="Première", quantity=D("1"), unit=Unit.PIECE,
                      unit_price=D("5"), vat_rate=D("20.00"), nature=Nature.GOODS)
    db.session.commit()
    with pytest.raises(StaleEdit):
        services.add_line(None, quote, version=seen, label="Seconde", quantity=D("1"), unit=Unit.PIECE,
                          unit_price=D("5"), vat_rate=D("20.00"), nature=Nature.GOODS)


def test_expire_quotes_command(app, db, make_quote):
    """`flask expire-quotes` (for cron) expires the overdue sent quotes."""
    quote = make_quote()
    services.send_quote(None, quote, today=date(2020, 1, 1))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["expire-quotes"])
    assert result.exit_code == 0 and "1 quote(s) expired" in result.output
    db.session.refresh(quote)
    assert quote.status is QuoteStatus.EXPIRED
