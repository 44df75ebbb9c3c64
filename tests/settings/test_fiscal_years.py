"""Fiscal years: September start by default, no overlap, a target in %, a budget (DESIGN §6)."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from erp.auth.models import Role
from erp.settings.models import FiscalYear
from erp.settings.services import default_fiscal_year_dates, fiscal_year_for, fiscal_year_label


@pytest.mark.parametrize("month, day, expected", [
    (9, date(2026, 11, 22), (date(2026, 9, 1), date(2027, 8, 31))),
    (9, date(2027, 8, 31), (date(2026, 9, 1), date(2027, 8, 31))),
    (9, date(2027, 9, 1), (date(2027, 9, 1), date(2028, 8, 31))),
    (1, date(2026, 11, 22), (date(2026, 1, 1), date(2026, 12, 31))),
    (3, date(2028, 2, 29), (date(2027, 3, 1), date(2028, 2, 29))),
])
def test_default_fiscal_year_dates(month, day, expected):
    """A school year runs September to August; a calendar year January to December."""
    assert default_fiscal_year_dates(month, day) == expected


def test_labels():
    """'2026-2027' for a school year, '2026' for a calendar year."""
    assert fiscal_year_label(date(2026, 9, 1), date(2027, 8, 31)) == "2026-2027"
    assert fiscal_year_label(date(2026, 1, 1), date(2026, 12, 31)) == "2026"


def _form(**changes):
    return {"label": "2026-2027", "start_date": "2026-09-01", "end_date": "2027-08-31", "budget": "350 000,00",
            "target_percent": "60"} | changes


def test_director_opens_a_fiscal_year(client, login, db):
    """The new-year form is prefilled; saving stores the budget and target exactly."""
    login(Role.DIRECTOR)
    assert "2026" in client.get("/settings/fiscal-years/new").get_data(as_text=True)
    assert client.post("/settings/fiscal-years/new", data=_form()).status_code == 302
    fiscal_year = db.session.scalar(select(FiscalYear))
    assert fiscal_year.budget == Decimal("350000.00") and fiscal_year.target_percent == Decimal("60.00")
    assert fiscal_year_for(date(2027, 2, 1)).id == fiscal_year.id
    assert fiscal_year_for(date(2027, 9, 1)) is None


@pytest.mark.parametrize("changes, message", [
    ({"end_date": "2026-08-01"}, "La date de fin doit suivre la date de début"),
    ({"end_date": "2028-12-31"}, "au plus 18 mois"),
    ({"budget": "-1"}, "au moins 0"),
    ({"target_percent": "0"}, "au moins 0,01"),
    ({"target_percent": "150"}, "au plus 100"),
    ({"start_date": "pas une date"}, "date"),
    ({"label": ""}, "Ce champ est requis"),
])
def test_bad_fiscal_years_are_refused(client, login, db, changes, message):
    """Wrong dates, budgets or targets: 422, French message, nothing written."""
    login(Role.DIRECTOR)
    response = client.post("/settings/fiscal-years/new", data=_form(**changes))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(FiscalYear.id))) == 0


def test_overlapping_fiscal_years_are_refused(client, login, db):
    """Two fiscal years never share a day."""
    login(Role.DIRECTOR)
    client.post("/settings/fiscal-years/new", data=_form())
    response = client.post("/settings/fiscal-years/new", data=_form(label="bis", start_date="2027-08-31",
                                                                  end_date="2028-08-30"))
    assert response.status_code == 422 and "chevauchent l’exercice 2026-2027" in response.get_data(as_text=True)


def test_accountant_reads_fiscal_years_but_cannot_change_them(client, login):
    """The accountant sees the list without the edit buttons; editing is refused."""
    login(Role.ACCOUNTANT)
    page = client.get("/settings/fiscal-years")
    assert page.status_code == 200 and "/settings/fiscal-years/new" not in page.get_data(as_text=True)
    assert client.post("/settings/fiscal-years/new", data=_form()).status_code == 403
