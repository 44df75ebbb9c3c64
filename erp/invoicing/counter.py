"""The counter sale: a walk-in tyre service becomes a job, an issued invoice and a payment, in one go."""
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from erp.catalog.models import CatalogItem
from erp.clients.models import Client
from erp.documents.lines import line_values
from erp.errors import ValidationFailed
from erp.invoicing.issuing import issue_invoice
from erp.invoicing.models import Invoice, PaymentMethod
from erp.invoicing.payments import record_payment
from erp.invoicing.services import draft_from_job
from erp.jobs import work
from erp.jobs.models import Section
from erp.jobs.work_models import JobKind, JobLine


def counter_sale(actor, *, client: Client, section: Section, items: list[tuple[CatalogItem, Decimal]],
                 method: PaymentMethod, reference: str = "", vehicle: str = "", today: date) -> Invoice:
    """Job done and delivered on the spot, invoice issued, payment recorded: nothing half-done if a step fails."""
    if not items:
        raise ValidationFailed(_l("Choose at least one item and its quantity."), field="rows")
    title = "Prestation au comptoir" + (f" — {vehicle.strip()}" if vehicle.strip() else "")
    job = work.create_job(actor, today=today, section=section, title=title[:200], kind=JobKind.SERVICE,
                          client=client, planned_start=today, due_date=today)
    for position, (item, quantity) in enumerate(items, start=1):
        values = line_values(label=item.label, quantity=quantity, unit=item.unit, unit_price=item.unit_price,
                             discount_percent=Decimal(0), vat_rate=item.vat_rate, nature=item.nature)
        job.lines.append(JobLine(position=position, catalog_item_id=item.id, **values))
    job.revenue_quoted = sum((line.net for line in job.lines), Decimal("0.00"))
    work.start_job(actor, job, today=today)
    work.finish_job(actor, job, today=today)
    work.deliver_job(actor, job, day=today, received_by=client.name)
    invoice = draft_from_job(actor, job, today=today)
    issue_invoice(actor, invoice, today=today)
    record_payment(actor, invoice, day=today, amount=invoice.amount_due, method=method, reference=reference,
                   today=today)
    return invoice
