"""The counter sale: a walk-in tyre service becomes job, invoice and payment in one form."""
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from erp.auth.models import Role
from erp.catalog.models import CatalogItem, Nature, Unit
from erp.clients.models import Client
from erp.invoicing.models import Invoice, InvoiceStatus
from erp.jobs.work_models import Job, JobStatus

D = Decimal


def test_counter_sale_for_a_new_private_client(client, login, db, school, make_section):
    """Four tyres fitted and balanced: job invoiced, invoice issued and paid, client created."""
    section = make_section(code="PNE", name="Pneumatique")
    fitting = CatalogItem(code="PNE-MONT", label="Montage pneu", unit=Unit.PIECE, unit_price=D("12"),
                          vat_rate=D("20.00"), nature=Nature.SERVICES, section_id=section.id)
    balancing = CatalogItem(code="PNE-EQU", label="Équilibrage", unit=Unit.PIECE, unit_price=D("10"),
                            vat_rate=D("20.00"), nature=Nature.SERVICES, section_id=section.id)
    db.session.add_all([fitting, balancing])
    db.session.commit()
    login(Role.ACCOUNTANT)
    response = client.post("/invoices/counter", data={
        "client_id": 0, "new_client_name": "M. Karim Haddad", "new_client_address": "7 rue Jules Grévy",
        "new_client_postcode": "39100", "new_client_city": "Dole", "new_client_email": "k.haddad@example.org",
        "vehicle": "AB-123-CD, 84 000 km",
        "rows-0-item_id": fitting.id, "rows-0-quantity": "4", "rows-1-item_id": balancing.id,
        "rows-1-quantity": "4", "rows-2-item_id": 0, "rows-2-quantity": "", "rows-3-item_id": 0,
        "rows-3-quantity": "", "method": "card", "reference": "TPE 0042"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    invoice = db.session.scalar(select(Invoice))
    assert (invoice.number, invoice.status, invoice.total_gross) == (f"F-{date.today().year}-00001",
                                                                     InvoiceStatus.PAID, D("105.60"))
    assert db.session.scalar(select(Job.status)) is JobStatus.INVOICED
    assert db.session.scalar(select(Client.name)) == "M. Karim Haddad"


def test_counter_sale_without_items_or_client_writes_nothing(client, login, db, school, make_section):
    """No item, or no client: a French message and nothing written."""
    make_section(code="PNE", name="Pneumatique")
    login(Role.ACCOUNTANT)
    response = client.post("/invoices/counter", data={"client_id": 0, "method": "cash"})
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(Invoice.id))) == 0
    assert db.session.scalar(select(func.count(Job.id))) == 0
