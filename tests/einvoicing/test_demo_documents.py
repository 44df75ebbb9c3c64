"""Every document the demo school issued is a valid Factur-X carrying its database figures (FX-01, FX-02)."""
from sqlalchemy import select

from erp.invoicing.models import Invoice, InvoiceKind
from tests.einvoicing.test_facturx import assert_valid


def test_every_demo_document_passes_fx_v1_to_v5(app, db):
    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    issued = db.session.scalars(select(Invoice).where(Invoice.number.is_not(None)).order_by(Invoice.id)).all()
    assert {invoice.kind for invoice in issued} == set(InvoiceKind)  # invoices, deposits and credit notes
    for invoice in issued:
        assert_valid(invoice)
