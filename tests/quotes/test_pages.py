"""Quote pages: lines edited without JavaScript, bad input refused beside the field, lists without N+1."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.catalog.models import CatalogItem, Nature, Unit
from erp.quotes.models import Quote, QuoteLine
from tests.conftest import count_queries

D = Decimal


def _line(quote, **changes):
    return {"version": quote.version, "catalog_item_id": 0, "label": "Garde-corps", "quantity": "2,5",
            "unit": "metre", "unit_price": "185", "discount_percent": "0", "vat_rate": "20.00",
            "nature": "services"} | changes


def test_craftsman_builds_a_quote_with_plain_forms(client, login, db, make_client):
    """Open a quote, add a catalog line and a free line, edit and move them: all with plain POSTs."""
    craftsman = login(Role.CRAFTSMAN)
    item = CatalogItem(code="PNE-MONT", label="Montage pneu", unit=Unit.PIECE, unit_price=D("12"),
                       vat_rate=D("20.00"), nature=Nature.SERVICES, section_id=craftsman.section_id)
    db.session.add(item)
    customer = make_client()
    response = client.post("/quotes/new", data={"client_id": customer.id, "section_id": craftsman.section_id,
                                                "title": "Pneus flotte", "deposit_percent": "30"})
    assert response.status_code == 302
    quote = db.session.scalar(select(Quote))
    assert client.post(f"/quotes/{quote.id}/lines", data=_line(quote, catalog_item_id=item.id, quantity="4",
                                                               label="", unit_price="")).status_code == 302
    db.session.refresh(quote)
    assert client.post(f"/quotes/{quote.id}/lines", data=_line(quote)).status_code == 302
    db.session.refresh(quote)
    assert [(line.label, line.net) for line in quote.lines] == [("Montage pneu", D("48.00")),
                                                                  ("Garde-corps", D("462.50"))]
    second = quote.lines[1]
    assert client.post(f"/quotes/{quote.id}/lines/{second.id}/move",
                       data={"version": quote.version, "offset": "-1"}).status_code == 302
    db.session.refresh(quote)
    assert quote.lines[0].label == "Garde-corps"
    edited = _line(quote, quantity="3")
    assert client.post(f"/quotes/{quote.id}/lines/{second.id}", data=edited).status_code == 302
    db.session.refresh(quote)
    assert quote.total_net == D("555.00") + D("48.00") and quote.deposit_percent == D("30.00")


@pytest.mark.parametrize("changes, message", [
    ({"quantity": "0"}, "au moins 0,001"),
    ({"quantity": "-2"}, "au moins 0,001"),
    ({"quantity": "1,0005"}, "3 décimales au maximum"),
    ({"quantity": "99999999999"}, "au plus 1000000"),
    ({"unit_price": "12,345678"}, "4 décimales au maximum"),
    ({"unit_price": "-3"}, "au moins 0"),
    ({"unit_price": "douze"}, "Saisissez un nombre"),
    ({"discount_percent": "150"}, "au plus 100"),
    ({"vat_rate": "19.6"}, "est pas un choix valide"),
    ({"label": "", "unit_price": ""}, "Choisissez un article du catalogue"),
    ({"label": "x" * 1001}, "1000 caractères"),
])
def test_bad_line_input_is_refused_and_nothing_written(client, login, db, make_quote, changes, message):
    """Zero, negative, over-precise, huge, foreign VAT or missing values: 4xx, French message, no line."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman, lines=[])
    response = client.post(f"/quotes/{quote.id}/lines", data=_line(quote, **changes))
    assert 400 <= response.status_code < 500
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(QuoteLine.id))) == 0


def test_html_in_a_line_is_shown_escaped(client, login, db, make_quote):
    """A designation with markup is shown as text on the page."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman, lines=[])
    client.post(f"/quotes/{quote.id}/lines", data=_line(quote, label="<img src=x onerror=alert(1)>"))
    page = client.get(f"/quotes/{quote.id}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_second_editor_working_on_an_old_version_is_refused(client, login, db, make_quote):
    """Two craftsmen on one quote: the stale form is refused with a message, nothing overwritten."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman, lines=[])
    stale = quote.version
    assert client.post(f"/quotes/{quote.id}/lines", data=_line(quote, label="Premier")).status_code == 302
    response = client.post(f"/quotes/{quote.id}/lines", data=_line(quote, label="Second", version=stale))
    assert response.status_code == 409 and "Quelqu’un d’autre a enregistré" in response.get_data(as_text=True)
    assert [line.label for line in db.session.scalars(select(QuoteLine))] == ["Premier"]


def test_quote_list_runs_a_fixed_number_of_queries(client, login, db, make_quote, make_client, make_section):
    """The list loads clients and sections in bulk: 2 quotes or 12 cost the same queries."""
    login(Role.DIRECTOR)
    section = make_section()

    def count():
        with count_queries(db.engine) as queries:
            assert client.get("/quotes/").status_code == 200
        return len(queries)

    for _ in range(2):
        make_quote(section=section, client=make_client())
    few = count()
    for _ in range(10):
        make_quote(section=section, client=make_client())
    assert count() == few


def test_bad_estimate_is_refused_beside_the_field(client, login, db, make_quote):
    """Negative hours on the internal estimate: 422, French message beside the field, estimate unchanged."""
    craftsman = login(Role.CRAFTSMAN)
    quote = make_quote(author=craftsman)
    response = client.post(f"/quotes/{quote.id}/estimate", data={
        "version": quote.version, "student_hours": "-3", "craftsman_hours": "1", "labour_rate": "45",
        "other_costs": "0", "other_costs_note": ""})
    assert response.status_code == 422 and "au moins 0" in response.get_data(as_text=True)
    db.session.refresh(quote)
    assert quote.student_hours == D("0")
