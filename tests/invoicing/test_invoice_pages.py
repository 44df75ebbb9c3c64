"""Invoice pages: delivered job → draft → issue → payment, double submission, bad input, roles, no N+1."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from erp.auth.models import Role
from erp.invoicing.models import Invoice, InvoiceStatus, Payment
from erp.numbering import peek_value
from tests.conftest import count_queries

D = Decimal


def test_accountant_invoices_a_delivered_job(client, login, db, make_invoice):
    """The job shows under “to invoice”; one click drafts; issuing numbers it; the PDF downloads."""
    job = make_invoice(issue=False).job
    db.session.delete(db.session.scalar(select(Invoice)))  # back to a delivered job with nothing drafted
    db.session.commit()
    login(Role.ACCOUNTANT)
    page = client.get("/invoices/").get_data(as_text=True)
    assert "À facturer" in page and job.number in page
    assert client.post(f"/invoices/from-job/{job.id}").status_code == 302
    invoice = db.session.scalar(select(Invoice))
    assert invoice.number is None and invoice.job_id == job.id
    assert client.post(f"/invoices/{invoice.id}/issue", data={"version": invoice.version}).status_code == 302
    db.session.refresh(invoice)
    assert invoice.number == "F-2026-00001"
    pdf = client.get(f"/invoices/{invoice.id}/pdf")
    assert pdf.data == invoice.pdf


def test_a_double_submitted_issue_form_consumes_one_number(client, login, db, make_invoice):
    """The second POST of the same form is refused; the counter moved once."""
    invoice = make_invoice(issue=False)
    login(Role.ACCOUNTANT)
    version = invoice.version
    assert client.post(f"/invoices/{invoice.id}/issue", data={"version": version}).status_code == 302
    assert client.post(f"/invoices/{invoice.id}/issue", data={"version": version}).status_code == 409
    assert peek_value("F", 2026) == 1


def test_payment_form_bad_input(client, login, db, make_invoice):
    """Too much, negative, future: 4xx with a French message; nothing recorded."""
    invoice = make_invoice()
    login(Role.ACCOUNTANT)
    base = {"version": invoice.version, "day": date.today().isoformat(), "method": "transfer", "reference": ""}
    for amount, message in (("1200,01", "plus que le reste à payer"), ("-5", "au moins 0,01"),
                            ("abc", "Saisissez un nombre"), ("10,001", "2 décimales")):
        response = client.post(f"/invoices/{invoice.id}/payments", data=base | {"amount": amount})
        assert 400 <= response.status_code < 500 and message in response.get_data(as_text=True), amount
    assert db.session.scalar(select(func.count(Payment.id))) == 0
    response = client.post(f"/invoices/{invoice.id}/payments", data=base | {"amount": "1200"})
    assert response.status_code == 302
    db.session.refresh(invoice)
    assert invoice.status is InvoiceStatus.PAID


def test_no_route_edits_an_issued_invoice(client, login, db, make_invoice):
    """Lines, heading, deletion: every editing route refuses an issued invoice."""
    invoice = make_invoice()
    login(Role.DIRECTOR)
    line = invoice.lines[0]
    attempts = [(f"/invoices/{invoice.id}/lines", {"version": invoice.version, "label": "x", "quantity": "1",
                                                   "unit_price": "1", "unit": "piece", "vat_rate": "20.00",
                                                   "nature": "goods", "catalog_item_id": 0, "discount_percent": "0"}),
                (f"/invoices/{invoice.id}/heading", {"version": invoice.version, "title": "Autre"}),
                (f"/invoices/{invoice.id}/lines/{line.id}/delete", {"version": invoice.version}),
                (f"/invoices/{invoice.id}/delete", {})]
    for url, data in attempts:
        response = client.post(url, data=data)
        assert response.status_code in (302, 409), url
    db.session.expire_all()
    again = db.session.get(Invoice, invoice.id)
    assert again.title != "Autre" and len(again.lines) == 1 and again.pdf == invoice.pdf


def test_craftsmen_do_not_reach_invoicing(client, login, make_invoice):
    """Invoices are the accountant's and the director's."""
    invoice = make_invoice()
    login(Role.CRAFTSMAN)
    assert client.get("/invoices/").status_code == 403
    assert client.post(f"/invoices/{invoice.id}/payments", data={"amount": "1"}).status_code == 403


def test_invoice_list_runs_a_fixed_number_of_queries(client, login, db, make_invoice):
    """No query per row on the invoice list."""
    login(Role.ACCOUNTANT)

    def count():
        with count_queries(db.engine) as queries:
            assert client.get("/invoices/").status_code == 200
        return len(queries)

    make_invoice()
    few = count()
    for _ in range(6):
        make_invoice()
    assert count() == few
