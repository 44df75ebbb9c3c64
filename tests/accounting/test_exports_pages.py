"""The Exports page and the chart of accounts, as the accountant uses them; roles; bad input."""
import io
import time
from datetime import date
from decimal import Decimal

from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from erp.accounting.chart import load_chart
from erp.accounting.entries import document_lines
from erp.accounting.ledger import load_documents
from erp.accounting.models import AccountSetting, ExportKind, ExportRun, ExportStatus
from erp.audit.models import AuditEntry
from erp.auth.models import Role
from erp.catalog.models import CatalogItem, Nature, Unit
from erp.jobs.work_models import JobLine

D = Decimal


def _wait_for(db, run_id: int, seconds: float = 60) -> ExportRun:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # a fresh read, and no lock held while the export writes
        run = db.session.get(ExportRun, run_id)
        if run.status is not ExportStatus.RUNNING:
            return run
        time.sleep(0.1)
    raise AssertionError("the export did not finish")


def test_the_accountant_exports_a_workbook_in_the_background(client, login, db, books):
    login(Role.ACCOUNTANT)
    page = client.get("/accounting/exports")
    assert page.status_code == 200 and "Exports pour le comptable" in page.get_data(as_text=True)
    response = client.post("/accounting/exports/workbook", data={"start_date": "2026-09-01",
                                                                  "end_date": "2027-08-31"})
    assert response.status_code == 302
    run_id = db.session.scalar(select(ExportRun.id).order_by(ExportRun.id.desc()))
    run = _wait_for(db, run_id)
    assert run.status is ExportStatus.DONE and run.progress == 100, run.error
    html = client.get("/accounting/exports").get_data(as_text=True)
    assert f"/accounting/exports/{run_id}/download" in html and 'http-equiv="refresh"' not in html
    with client.get(f"/accounting/exports/{run_id}/download") as download:
        assert download.status_code == 200
        assert "atelier-comptabilite-20260901-20270831.xlsx" in download.headers["Content-Disposition"]
        book = load_workbook(io.BytesIO(download.data))
    assert book.sheetnames[0] == "Journal des ventes" and book["Journal des ventes"].max_row == 7  # 5 + header + total
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "export.workbook")) == 1


def test_a_running_export_shows_its_progress_and_the_page_refreshes(client, login, db, school):
    login(Role.DIRECTOR)
    db.session.add(ExportRun(kind=ExportKind.WORKBOOK, start_date=date(2026, 9, 1), end_date=date(2027, 8, 31),
                             progress=40, file_name="x.xlsx", stored_as="x.xlsx"))
    db.session.commit()
    html = client.get("/accounting/exports").get_data(as_text=True)
    assert '<progress class="w-100" max="100" value="40"' in html and 'http-equiv="refresh"' in html


def test_the_fec_is_exported_from_the_page(client, login, db, books):
    login(Role.ACCOUNTANT)
    response = client.post("/accounting/exports/fec", data={"fiscal_year": str(books.year.id)})
    assert response.status_code == 302
    run = _wait_for(db, db.session.scalar(select(ExportRun.id).order_by(ExportRun.id.desc())))
    with client.get(f"/accounting/exports/{run.id}/download") as download:
        assert "732829320FEC20270831.txt" in download.headers["Content-Disposition"]
        assert download.data.startswith(b"JournalCode\tJournalLib\tEcritureNum")


def test_bad_periods_and_years_are_refused_beside_the_field(client, login, db, books, school):
    login(Role.ACCOUNTANT)
    reversed_period = client.post("/accounting/exports/workbook", data={"start_date": "2027-01-31",
                                                                         "end_date": "2027-01-01"})
    assert reversed_period.status_code == 422
    assert "La période doit commencer avant de finir." in reversed_period.get_data(as_text=True)
    empty = client.post("/accounting/exports/workbook", data={"start_date": "", "end_date": "31/01/2027"})
    assert empty.status_code == 422 and "Indiquez le premier jour de la période." in empty.get_data(as_text=True)
    tampered = client.post("/accounting/exports/fec", data={"fiscal_year": "999999"})
    assert tampered.status_code == 422
    school.siren = ""
    db.session.commit()
    no_siren = client.post("/accounting/exports/fec", data={"fiscal_year": str(books.year.id)})
    assert no_siren.status_code == 422 and "SIREN" in no_siren.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ExportRun.id))) == 0
    assert client.get("/accounting/exports/424242/download").status_code == 404


def test_only_the_accountant_and_the_director(client, login, db):
    assert client.get("/accounting/exports").status_code == 302  # to the login page
    login(Role.CRAFTSMAN)
    for url in ("/accounting/exports", "/accounting/accounts", "/accounting/exports/1/download"):
        assert client.get(url).status_code == 403, url
    assert client.post("/accounting/exports/workbook", data={"start_date": "2026-09-01",
                                                             "end_date": "2026-09-30"}).status_code == 403


def test_the_excel_command_refuses_a_reversed_period_and_writes_the_file(app, books, tmp_path):
    runner = CliRunner()
    target = tmp_path / "out.xlsx"
    refused = runner.invoke(app.cli, ["export-excel", "--from", "2027-01-31", "--to", "2027-01-01",
                                      "-o", str(target)])
    assert refused.exit_code != 0 and "avant de finir" in refused.output and not target.exists()
    done = runner.invoke(app.cli, ["export-excel", "--from", "2026-09-01", "--to", "2027-08-31", "-o", str(target)],
                         catch_exceptions=False)
    assert done.exit_code == 0 and "Journal des ventes: 5" in done.output
    assert load_workbook(target).sheetnames[-1] == "Autofinancement" and not list(tmp_path.glob("*.part"))


def test_the_chart_of_accounts_is_saved_and_used(client, login, db, books, make_section):
    """A section's own services account and a new VAT account are used by the entries; the change is audited."""
    login(Role.ACCOUNTANT)
    page = client.get("/accounting/accounts")
    assert page.status_code == 200 and "4457120" in page.get_data(as_text=True)
    invoice = books.invoices[0]
    form = {"vat_20_00": "445712", "vat_20_00_label": "TVA 20 %",
            f"revenue_services_{invoice.section_id}": "706100",
            f"revenue_services_{invoice.section_id}_label": "Prestations atelier"}
    saved = client.post("/accounting/accounts", data=_chart_form(form))
    assert saved.status_code == 302
    chart = load_chart()
    lines = document_lines(chart, load_documents([invoice.id])[invoice.id])
    assert {line.account.number for line in lines} == {"411000", "706100", "445712", "4457110"}
    assert db.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "accounts.update")) == 1


def test_a_catalog_item_keeps_its_own_account(db, school, make_job, make_invoice):
    """A tyre bought for resale is booked on its item's 707, the fitting on the school's services account."""
    item = CatalogItem(code="PNEU", label="Pneu", unit=Unit.PIECE, unit_price=D("80"), vat_rate=D("20"),
                       nature=Nature.GOODS, revenue_account="707000")
    db.session.add(item)
    db.session.flush()
    job = make_job()
    job.lines.append(JobLine(position=1, catalog_item_id=item.id, label="Pneu 205/55 R16", quantity=D("2"),
                             unit=Unit.PIECE, unit_price=D("80"), vat_rate=D("20"), nature=Nature.GOODS,
                             net=D("160.00")))
    job.lines.append(JobLine(position=2, label="Montage", quantity=D("2"), unit=Unit.PIECE, unit_price=D("15"),
                             vat_rate=D("20"), nature=Nature.SERVICES, net=D("30.00")))
    invoice = make_invoice(lines=(), job=job)
    lines = document_lines(load_chart(), load_documents([invoice.id])[invoice.id])
    credits = {line.account.number: (line.account.label, line.credit) for line in lines if line.credit}
    assert credits == {"707000": ("Ventes de marchandises", D("160.00")),
                       "706000": ("Prestations de services", D("30.00")),
                       "4457120": ("TVA collectée 20 %", D("38.00"))}


def test_a_wrong_account_is_refused_and_nothing_is_saved(client, login, db, books):
    login(Role.ACCOUNTANT)
    for values, message in (({"clients": "ABC"}, "Un numéro de compte commence par trois chiffres"),
                            ({"vat_20_00": "706000"}, "Ce flux se comptabilise sur un compte 4457…"),
                            ({"clients": "4110000000000"}, "Le champ ne peut pas contenir plus de 10 caractères.")):
        response = client.post("/accounting/accounts", data=_chart_form(values))
        assert response.status_code == 422 and message in response.get_data(as_text=True), values
    assert db.session.scalar(select(func.count(AccountSetting.id))) == 0


def _chart_form(changes: dict) -> dict:
    """The chart form as the page sends it: every default, with some changes."""
    from erp.accounting.chart import DEFAULTS, field_name

    data = {}
    for key, (number, label, _class) in DEFAULTS.items():
        data[field_name(key)], data[field_name(key) + "_label"] = number, label
    return data | changes
