"""Catalog items and materials: French VAT rates only, exact prices, unique codes."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.catalog.models import CatalogItem, Material


def _item(**changes):
    return {"code": "pne-mont", "label": "Montage pneu", "description": "", "unit": "piece", "unit_price": "12,5",
            "vat_rate": "20.00", "nature": "services", "section_id": 0, "revenue_account": "706000",
            "active": "y"} | changes


def test_catalog_item_is_saved_exactly(client, login, db):
    """Code upper-cased, price exact to the hundredth of a cent."""
    login(Role.CRAFTSMAN)
    assert client.post("/catalog/new", data=_item(unit_price="0,1234")).status_code == 302
    item = db.session.scalar(select(CatalogItem))
    assert (item.code, item.unit_price, item.vat_rate, item.section_id) == ("PNE-MONT", Decimal("0.1234"),
                                                                              Decimal("20.00"), None)


@pytest.mark.parametrize("changes, message", [
    ({"unit_price": "1,23456"}, "4 décimales au maximum"),
    ({"unit_price": "-1"}, "au moins 0"),
    ({"vat_rate": "7.00"}, "est pas un choix valide"),
    ({"revenue_account": "ABC"}, "commence par trois chiffres"),
    ({"code": ""}, "Ce champ est requis"),
])
def test_bad_catalog_input(client, login, db, changes, message):
    """Over-precise or negative prices, foreign VAT rates, bad accounts: refused, nothing written."""
    login(Role.CRAFTSMAN)
    response = client.post("/catalog/new", data=_item(**changes))
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CatalogItem.id))) == 0


def test_codes_are_unique_whatever_the_case(client, login, db):
    """A second PNE-MONT is refused."""
    login(Role.CRAFTSMAN)
    client.post("/catalog/new", data=_item())
    response = client.post("/catalog/new", data=_item(code="Pne-Mont"))
    assert response.status_code == 422 and "déjà utilisé" in response.get_data(as_text=True)


def test_material_with_supplier(client, login, db):
    """A material keeps its unit cost and supplier; it is listed and searchable."""
    login(Role.CRAFTSMAN)
    response = client.post("/catalog/materials/new", data={"code": "tube-40", "label": "Tube 40×40", "unit": "metre",
                                                           "unit_cost": "6,80", "supplier": "Comptoir", "active": "y"})
    assert response.status_code == 302
    assert db.session.scalar(select(Material.unit_cost)) == Decimal("6.8000")
    assert "Tube 40×40" in client.get("/catalog/materials?q=compt").get_data(as_text=True)
