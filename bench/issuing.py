"""Issuing an invoice through its button (number, snapshot, Factur-X PDF/A-3 with its XML, journal), and the
invoice's HTML for the WeasyPrint floor."""
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import func, select

from bench.pages import DIRECTOR, bench_config, logged_in
from bench.timing import Figure, QueryCounter, figure, timed
from erp import create_app


def _model_invoice(db):
    """A typical issued invoice to a business with three lines, copied into the drafts."""
    from erp.clients.models import Client, ClientKind
    from erp.invoicing.models import Invoice, InvoiceKind, InvoiceLine

    line_count = (select(func.count()).where(InvoiceLine.invoice_id == Invoice.id).scalar_subquery())
    return db.session.scalars(select(Invoice).join(Invoice.client).where(
        Invoice.kind == InvoiceKind.INVOICE, Invoice.number.is_not(None), Invoice.quote_id.is_(None),
        Client.kind == ClientKind.COMPANY, Client.email != "")
        .order_by((line_count == 3).desc(), Invoice.id.desc()).limit(1)).one()


def make_drafts(db, count: int) -> list[tuple[int, int]]:
    """`count` drafts like the model invoice: (id, version) of each."""
    from erp.invoicing.models import Invoice, InvoiceKind
    from erp.invoicing.services import add_line

    model = _model_invoice(db)
    drafts = []
    for _ in range(count):
        draft = Invoice(kind=InvoiceKind.INVOICE, client_id=model.client_id, section_id=model.section_id,
                        title=model.title, delivery_date=model.delivery_date)
        db.session.add(draft)
        db.session.flush()
        for line in model.lines:
            add_line(None, draft, version=draft.version, label=line.label, quantity=line.quantity, unit=line.unit,
                     unit_price=line.unit_price, discount_percent=line.discount_percent, vat_rate=line.vat_rate,
                     nature=line.nature)
        db.session.flush()
        drafts.append(draft)
    db.session.commit()
    return [(draft.id, draft.version) for draft in drafts]


def measure_issuing(url: str, repeat: int, counter: QueryCounter) -> tuple[Figure, str]:
    """POST the issue button of `repeat` fresh drafts (3 of them first, as warm-up); and the last one's HTML."""
    from erp.extensions import db
    from erp.invoicing.documents import invoice_context
    from erp.invoicing.models import Invoice

    app = create_app(bench_config(url))
    with app.app_context():
        drafts = iter(make_drafts(db, repeat + 3))
        db.session.remove()
    client = logged_in(app, DIRECTOR)
    issued = []

    def issue():
        invoice_id, version = next(drafts)
        response = client.post(f"/invoices/{invoice_id}/issue", data={"version": version})
        if response.status_code != 302:
            raise RuntimeError(f"issuing invoice {invoice_id} answered {response.status_code}")
        issued.append(invoice_id)
    latencies, queries = timed(issue, repeat, counter=counter)
    with app.app_context(), app.test_request_context():
        invoice = db.session.get(Invoice, issued[-1])
        if invoice.number is None:
            raise RuntimeError("the benchmark's invoice was not issued")
        with force_locale("fr"):
            html = render_template("documents/invoice.html", **invoice_context(invoice))
        db.session.remove()
        db.engine.dispose()
    return figure("Émission d’une facture (PDF/A-3 + Factur-X)", latencies, queries), html
