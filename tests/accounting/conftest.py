"""A fiscal year of books: invoices at two rates, a deposit and its final invoice, a credit note, payments by
every method and a counter-entry, other resources — with names an export must not trust."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from erp.funding import services as funding
from erp.funding.models import FunderKind, ResourceKind
from erp.invoicing import issuing, payments
from erp.invoicing import services as invoicing
from erp.invoicing.models import Invoice, PaymentMethod
from erp.jobs import work
from erp.quotes import services as quotes
from erp.quotes.models import AcceptanceChannel
from erp.settings.models import FiscalYear

D = Decimal
TODAY = date(2026, 11, 20)
START, END = date(2026, 9, 1), date(2027, 8, 31)
FORMULA_NAME = '=HYPERLINK("http://evil.example","clic")'


@dataclass
class Books:
    year: FiscalYear
    invoices: list[Invoice]


@pytest.fixture
def books(db, school, make_invoice, make_quote):
    year = FiscalYear(label="2026-2027", start_date=START, end_date=END, budget=D("350000.00"),
                      target_percent=D("60.00"))
    db.session.add_all([year, FiscalYear(label="2025-2026", start_date=date(2025, 9, 1), end_date=date(2026, 8, 31),
                                         budget=D("340000.00"), target_percent=D("60.00"))])
    db.session.commit()
    made = []
    # an invoice at 20 % and 10 % for a client whose name looks like a formula, with a tab and a newline
    two_rates = make_invoice(lines=[(D("2"), D("612.35"), D("20.00")), (D("1"), D("333.33"), D("10.00"))],
                             today=date(2026, 9, 15), name=FORMULA_NAME + "\tSARL\nDole")
    made.append(two_rates)
    payments.record_payment(None, two_rates, day=date(2026, 9, 30), amount=D("1000.00"),
                            method=PaymentMethod.TRANSFER, today=TODAY)
    cash = payments.record_payment(None, two_rates, day=date(2026, 10, 2), amount=D("100.00"),
                                   method=PaymentMethod.CASH, today=TODAY)
    payments.reverse_payment(None, cash, reason="Erreur de saisie", day=date(2026, 10, 3))
    # a deposit invoice, then the final invoice deducting it, paid by cheque
    quote = make_quote(lines=[(D("1"), D("1200.00"), D("20.00")), (D("1"), D("500.00"), D("10.00"))],
                       deposit=D("30"), today=date(2026, 9, 20))
    quotes.send_quote(None, quote, today=date(2026, 9, 20))
    quotes.accept_quote(None, quote, today=date(2026, 9, 21), name="Client", channel=AcceptanceChannel.PAPER,
                        vat_certified=True)
    deposit = invoicing.draft_deposit(None, quote, today=date(2026, 9, 22))
    issuing.issue_invoice(None, deposit, today=date(2026, 9, 22))
    payments.record_payment(None, deposit, day=date(2026, 9, 25), amount=deposit.amount_due,
                            method=PaymentMethod.CARD, today=TODAY)
    job = work.create_job_from_quote(None, quote, today=date(2026, 9, 26))
    for step in (work.start_job, work.finish_job):
        step(None, job, today=date(2026, 10, 10))
    work.deliver_job(None, job, day=date(2026, 10, 12))
    final = invoicing.draft_from_job(None, job, today=date(2026, 10, 14))
    issuing.issue_invoice(None, final, today=date(2026, 10, 14))
    payments.record_payment(None, final, day=date(2026, 10, 20), amount=D("500.00"), method=PaymentMethod.CHEQUE,
                            reference="CHQ 1234567", today=TODAY)
    made += [deposit, final]
    # a credit note on a third invoice
    credited = make_invoice(lines=[(D("1"), D("2000.00"), D("20.00"))], today=date(2026, 10, 5))
    note = invoicing.draft_credit_note(None, credited, full=True)
    issuing.issue_invoice(None, note, today=date(2026, 10, 9))
    made += [credited, note]
    # outside the period: last year's invoice and its payment
    make_invoice(lines=[(D("1"), D("500.00"), D("20.00"))], today=date(2026, 8, 20))
    funding.record_resource(None, kind=ResourceKind.DONATION, funder="@SUM(A1:A9) Rotary",
                            funder_kind=FunderKind.OTHER, day=date(2026, 9, 20), amount=D("1500.00"))
    funding.grant_subsidy(None, funder="Région", funder_kind=FunderKind.REGION, purpose="Fonctionnement",
                          amount=D("6000.00"), granted_on=date(2026, 9, 10), justification_due=None,
                          instalments=[])
    funding.record_resource(None, kind=ResourceKind.APPRENTICESHIP_TAX, funder="Solde TA",
                            funder_kind=FunderKind.COMPANY, day=date(2026, 6, 1), amount=D("9999.00"))
    db.session.commit()
    return Books(year, made)
