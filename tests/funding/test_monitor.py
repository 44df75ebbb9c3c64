"""Every figure of DESIGN §6 on a hand-computed data set (September fiscal year, deposit, credit note)."""
from datetime import date
from decimal import Decimal

import pytest

from erp.auth.models import Role
from erp.errors import ValidationFailed
from erp.funding import monitor, services
from erp.funding.models import FunderKind, ResourceKind
from erp.invoicing import issuing
from erp.invoicing import services as invoicing
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel
from erp.settings.models import FiscalYear
from tests.conftest import count_queries

D = Decimal
TODAY = date(2026, 11, 20)


@pytest.fixture
def year(db):
    fiscal_year = FiscalYear(label="2026-2027", start_date=date(2026, 9, 1), end_date=date(2027, 8, 31),
                             budget=D("350000.00"), target_percent=D("60.00"))
    previous = FiscalYear(label="2025-2026", start_date=date(2025, 9, 1), end_date=date(2026, 8, 31),
                          budget=D("340000.00"), target_percent=D("60.00"))
    db.session.add_all([fiscal_year, previous])
    db.session.commit()
    return fiscal_year


def test_the_figures_by_hand(db, year, make_invoice, make_quote):
    """Revenue = invoices + deposit − credit note; ratio, coverage, forecast and shortfall as in DESIGN §6."""
    make_invoice(lines=[(D("1"), D("10000.00"), D("20.00"))], today=date(2026, 9, 15))       # +10 000
    credited = make_invoice(lines=[(D("1"), D("2000.00"), D("20.00"))], today=date(2026, 10, 5))  # +2 000
    note = invoicing.draft_credit_note(None, credited, full=True)
    issuing.issue_invoice(None, note, today=date(2026, 10, 9))                                # −2 000
    make_invoice(lines=[(D("1"), D("500.00"), D("20.00"))], today=date(2026, 8, 20))         # previous year
    quote = make_quote(lines=[(D("1"), D("3000.00"), D("20.00"))], deposit=D("30"), today=date(2026, 10, 1))
    quotes.send_quote(None, quote, today=date(2026, 10, 1))
    quotes.accept_quote(None, quote, today=date(2026, 10, 2), name="C", channel=AcceptanceChannel.PAPER)
    deposit = invoicing.draft_deposit(None, quote, today=date(2026, 10, 3))
    issuing.issue_invoice(None, deposit, today=date(2026, 10, 3))                            # +900 (deposit)
    declined = make_quote(lines=[(D("1"), D("999.00"), D("20.00"))], today=date(2026, 10, 1))
    quotes.send_quote(None, declined, today=date(2026, 10, 1))
    quotes.decline_quote(None, declined)
    open_quote = make_quote(lines=[(D("1"), D("4000.00"), D("20.00"))], today=date(2026, 11, 10))
    quotes.send_quote(None, open_quote, today=date(2026, 11, 10))
    services.record_resource(None, kind=ResourceKind.DONATION, funder="Rotary", funder_kind=FunderKind.OTHER,
                             day=date(2026, 9, 20), amount=D("1500.00"))
    services.grant_subsidy(None, funder="Région", funder_kind=FunderKind.REGION, purpose="Fonctionnement",
                           amount=D("6000.00"), granted_on=date(2026, 9, 10), justification_due=date(2027, 6, 30),
                           instalments=[(date(2026, 10, 10), D("3600.00"))])
    services.record_resource(None, kind=ResourceKind.APPRENTICESHIP_TAX, funder="Solde TA",
                             funder_kind=FunderKind.COMPANY, day=date(2026, 6, 1), amount=D("9999.00"))  # previous
    db.session.commit()

    f = monitor.figures(year, TODAY)
    assert f.revenue == D("10900.00")                      # 10 000 + 2 000 − 2 000 + 900
    assert f.other_resources == D("7500.00")               # 1 500 + 6 000
    assert f.resources_by_kind[ResourceKind.SUBSIDY] == D("6000.00")
    assert f.ratio == D("59.2")                            # 10 900 / 18 400
    assert f.target_amount == D("210000.00") and f.coverage == D("3.1")
    assert f.accepted_not_invoiced == D("2100.00")         # 3 000 quoted − 900 invoiced as deposit
    assert f.acceptance_rate == D("0.500")                 # one accepted, one declined
    assert (f.open_quotes, f.open_weighted) == (D("4000.00"), D("2000.00"))
    assert f.forecast == D("15000.00") and f.shortfall == D("195000.00")
    september, october = f.monthly[0], f.monthly[1]
    assert (september[1], october[1], october[2]) == (D("10000.00"), D("900.00"), D("10900.00"))
    assert f.monthly[-1][3] == D("210000.00") and len(f.monthly) == 12
    assert f.previous.revenue == D("500.00") and f.previous.other_resources == D("9999.00")


def test_a_date_outside_any_fiscal_year_or_a_bad_amount_is_refused(db, year):
    """Nothing is recorded for a day no fiscal year covers, at zero, or with instalments above the grant."""
    with pytest.raises(ValidationFailed):
        services.record_resource(None, kind=ResourceKind.DONATION, funder="X", funder_kind=FunderKind.OTHER,
                                 day=date(2030, 1, 1), amount=D("10"))
    with pytest.raises(ValidationFailed):
        services.record_resource(None, kind=ResourceKind.DONATION, funder="X", funder_kind=FunderKind.OTHER,
                                 day=TODAY, amount=D("0"))
    with pytest.raises(ValidationFailed):
        services.grant_subsidy(None, funder="Région", funder_kind=FunderKind.REGION, purpose="x", amount=D("100"),
                               granted_on=TODAY, justification_due=None, instalments=[(TODAY, D("101"))])


def test_dashboard_queries_do_not_grow_with_invoices(client, login, db, year, make_invoice):
    """SQL aggregates only: 1 invoice or 6, the dashboard runs the same number of queries."""
    login(Role.DIRECTOR)

    def count():
        with count_queries(db.engine) as queries:
            assert client.get(f"/dashboard?year={year.id}").status_code == 200
        return len(queries)

    make_invoice(today=date(2026, 9, 15))
    few = count()
    for _ in range(5):
        make_invoice(today=date(2026, 9, 16))
    assert count() == few


def test_drill_down_lists_add_up_to_the_figures(client, login, db, year, make_invoice):
    """The invoices behind the revenue figure are listed by the dashboard's link."""
    first = make_invoice(today=date(2026, 9, 15))
    make_invoice(today=date(2026, 8, 1))  # previous year: not listed
    login(Role.ACCOUNTANT)
    page = client.get("/invoices/?from=2026-09-01&to=2027-08-31").get_data(as_text=True)
    assert first.number in page and page.count("F-2026-0000") == 1
    assert "Taux d’autofinancement" in client.get(f"/dashboard?year={year.id}").get_data(as_text=True)
