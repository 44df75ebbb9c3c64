"""The accountant's workbook, opened with openpyxl: it reconciles to the cent with the database and the dashboard."""
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from erp.accounting.workbook import SHEETS, write_workbook
from erp.funding import monitor
from erp.funding.models import Resource
from erp.invoicing.models import Invoice, InvoiceKind, Payment
from erp.jobs.costing import costing_for_period
from tests.accounting.conftest import END, FORMULA_NAME, START, TODAY
from tests.conftest import count_queries

D = Decimal


def _cents(value) -> Decimal:
    return D(str(value or 0)).quantize(D("0.01"))


def _sheet(book, title):
    """Header, data rows and the totals row of a sheet, as dicts by header."""
    rows = list(book[title].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    as_dicts = [dict(zip(header, row)) for row in body]
    if as_dicts and as_dicts[-1][header[0]] == "Total":
        return header, as_dicts[:-1], as_dicts[-1]
    return header, as_dicts, None


@pytest.fixture
def workbook(books, tmp_path):
    path = tmp_path / "export.xlsx"
    write_workbook(path, START, END, TODAY)
    return load_workbook(path)


def test_the_six_sheets_named_exactly(workbook):
    assert workbook.sheetnames == list(SHEETS) == ["Journal des ventes", "Écritures", "Règlements",
                                                   "Autres ressources", "Coûts par OF", "Autofinancement"]
    for sheet in workbook:
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert sheet["A1"].font.bold and sheet.column_dimensions["A"].width >= 8


def test_sales_journal_totals_equal_the_database(db, workbook, books):
    """One row per document, credit notes negative; every total equals the database's, to the cent."""
    _header, rows, total = _sheet(workbook, "Journal des ventes")
    issued = db.session.scalars(select(Invoice).where(Invoice.number.is_not(None),
                                                      Invoice.issue_date.between(START, END))).all()
    assert sorted(r["Numéro"] for r in rows) == sorted(i.number for i in issued)
    sign = {i.number: (-1 if i.kind is InvoiceKind.CREDIT_NOTE else 1) for i in issued}
    expected = {"Total HT": sum(sign[i.number] * i.total_net for i in issued),
                "Total TVA": sum(sign[i.number] * i.total_vat for i in issued),
                "Total TTC": sum(sign[i.number] * i.total_gross for i in issued),
                "CA de production HT": sum(i.revenue_net for i in issued)}
    for column, amount in expected.items():
        assert _cents(total[column]) == amount == sum(_cents(r[column]) for r in rows), column
    assert _cents(total["CA de production HT"]) == monitor.figures(books.year, TODAY).revenue
    # per rate: the rate columns add up to the totals
    assert sum(_cents(total[f"HT {r}"]) for r in ("20 %", "10 %", "5,5 %", "2,1 %", "0 %")) == expected["Total HT"]
    assert sum(_cents(total[f"TVA {r}"]) for r in ("20 %", "10 %", "5,5 %", "2,1 %")) == expected["Total TVA"]
    note = next(r for r in rows if r["Type"] == "Avoir")
    assert _cents(note["Total TTC"]) == D("-2400.00") and note["Facture d’origine"].startswith("F-2026-")
    assert isinstance(rows[0]["Date"], datetime)  # a real date, not text
    cell = workbook["Journal des ventes"]["Q2"]
    assert cell.data_type == "n" and "€" in cell.number_format


def test_every_entry_balances_and_the_sheet_balances(db, workbook, books):
    """Écritures: each entry Σ debit = Σ credit; the sheet too; clients, VAT and revenue as booked by hand."""
    _header, rows, total = _sheet(workbook, "Écritures")
    by_entry = defaultdict(lambda: [D(0), D(0)])
    by_account = defaultdict(lambda: D(0))
    for row in rows:
        by_entry[row["N° d’écriture"]][0] += _cents(row["Débit"])
        by_entry[row["N° d’écriture"]][1] += _cents(row["Crédit"])
        by_account[row["Compte"]] += _cents(row["Crédit"]) - _cents(row["Débit"])
    assert all(debit == credit > 0 for debit, credit in by_entry.values())
    assert _cents(total["Débit"]) == _cents(total["Crédit"]) == sum(d for d, _c in by_entry.values())
    # 5 documents and 5 payments (a counter-entry included) are 10 entries, numbered per journal
    assert len(by_entry) == 10
    assert {number[:2] for number in by_entry} == {"VE", "BQ", "CA"}
    assert sorted(n for n in by_entry if n.startswith("VE")) == [f"VE2026-{i:06d}" for i in range(1, 6)]
    # the client account: what was invoiced less credit notes and payments received
    issued = db.session.scalars(select(Invoice).where(Invoice.issue_date.between(START, END))).all()
    owed = sum((-1 if i.kind is InvoiceKind.CREDIT_NOTE else 1) * i.amount_due for i in issued)
    paid = db.session.scalar(select(func.sum(Payment.amount)).where(Payment.day.between(START, END)))
    assert -by_account["411000"] == owed - paid
    # revenue: the final invoice's whole net, the deposit's net on advances and then released
    revenue = sum(v for account, v in by_account.items() if account.startswith("7"))
    assert revenue == monitor.figures(books.year, TODAY).revenue
    assert by_account["419100"] == 0  # the deposit was deducted by its final invoice in the period
    vat = sum(v for account, v in by_account.items() if account.startswith("4457"))
    # a deposit's VAT is booked when it is invoiced, and deducted from its final invoice's
    assert vat == sum((-1 if i.kind is InvoiceKind.CREDIT_NOTE else 1) * i.total_vat for i in issued
                      if i.kind is not InvoiceKind.DEPOSIT)
    assert by_account["4457110"] > 0 and by_account["4457120"] > 0  # one account per rate
    assert -by_account["512000"] - by_account["511200"] - by_account["511500"] - by_account["530000"] == paid
    assert by_account["530000"] == 0  # the cash payment and its counter-entry


def test_payments_and_resources_match(db, workbook):
    _h, payments, total = _sheet(workbook, "Règlements")
    in_period = db.session.scalars(select(Payment).where(Payment.day.between(START, END))).all()
    assert len(payments) == len(in_period) == 5
    assert _cents(total["Montant"]) == sum(p.amount for p in in_period) == D("1000.00") + D("597.00") + D("500.00")
    assert {p["Mode"] for p in payments} == {"Virement", "Espèces", "Carte", "Chèque"}
    _h, resources, total = _sheet(workbook, "Autres ressources")
    assert len(resources) == 2 and _cents(total["Montant"]) == D("7500.00") == db.session.scalar(
        select(func.sum(Resource.amount)).where(Resource.day.between(START, END)))
    assert {r["Compte"] for r in resources} == {"754100", "741000"}


def test_self_financing_sheet_equals_the_dashboard(workbook, books):
    figures = monitor.figures(books.year, TODAY)
    rows = {row[0]: row[1] for row in workbook["Autofinancement"].iter_rows(min_row=2, values_only=True)}
    assert workbook["Autofinancement"]["B1"].value.startswith("2026-2027")
    assert _cents(rows["Chiffre d’affaires de production HT"]) == figures.revenue
    assert _cents(rows["Total des autres ressources"]) == figures.other_resources == D("7500.00")
    assert D(str(rows["Taux d’autofinancement"])) == figures.ratio
    assert _cents(rows["Chiffre d’affaires visé"]) == figures.target_amount
    assert _cents(rows["Prévision de chiffre d’affaires"]) == figures.forecast
    assert _cents(rows["Impayés en retard"]) == figures.overdue


def test_costs_per_job_match_the_costing(workbook):
    _h, rows, total = _sheet(workbook, "Coûts par OF")
    costings = {c.job.number: c for c in costing_for_period(START, END)}
    assert sorted(r["N° OF"] for r in rows) == sorted(costings)
    for row in rows:
        costing = costings[row["N° OF"]]
        assert _cents(row["CA HT"]) == costing.revenue
        assert _cents(row["Écart (réel − prévu)"]) == costing.variance
    assert _cents(total["CA HT"]) == sum(c.revenue for c in costings.values())


def test_formula_like_text_stays_text(workbook):
    """Client names and funders that begin with = or @ are stored as strings, quote-prefixed, never formulas."""
    sales = workbook["Journal des ventes"]
    cell = next(c for c in sales["D"] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix and cell.value == FORMULA_NAME + "\tSARL\nDole"
    funder = next(c for c in workbook["Autres ressources"]["C"] if str(c.value).startswith("@"))
    assert funder.data_type == "s" and funder.quotePrefix
    assert not any(c.data_type == "f" for sheet in workbook for row in sheet.iter_rows() for c in row)


def test_an_empty_period_gives_headers_and_zero_totals(db, school, tmp_path):
    path = tmp_path / "empty.xlsx"
    write_workbook(path, date(2030, 1, 1), date(2030, 1, 31), TODAY)
    book = load_workbook(path)
    assert book.sheetnames == list(SHEETS)
    header, rows, total = _sheet(book, "Journal des ventes")
    assert header[0] == "Date" and rows == [] and total["Total TTC"] == 0
    assert _sheet(book, "Écritures")[2]["Débit"] == 0


def test_the_export_reads_in_batches_not_per_row(db, books, make_invoice, tmp_path):
    """The number of queries does not grow with the number of documents."""
    def queries():
        with count_queries(db.engine) as counted:
            write_workbook(tmp_path / "q.xlsx", START, END, TODAY)
        return len(counted)

    before = queries()
    for day in range(1, 8):
        make_invoice(lines=[(D("1"), D("10.00"), D("20.00"))], today=date(2026, 11, day))
    assert queries() == before


def test_entry_numbers_do_not_depend_on_the_period(books, tmp_path):
    """An entry keeps its number whether the whole year or only October is exported."""
    write_workbook(tmp_path / "year.xlsx", START, END, TODAY)
    write_workbook(tmp_path / "october.xlsx", date(2026, 10, 1), date(2026, 10, 31), TODAY)
    year = {(r["Pièce"], r["Libellé"]): r["N° d’écriture"]
            for r in _sheet(load_workbook(tmp_path / "year.xlsx"), "Écritures")[1]}
    october = _sheet(load_workbook(tmp_path / "october.xlsx"), "Écritures")[1]
    assert october and all(year[(r["Pièce"], r["Libellé"])] == r["N° d’écriture"] for r in october)
