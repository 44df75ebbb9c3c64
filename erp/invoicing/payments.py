"""Payments (partial, reversed only by a counter-entry), invoice statuses, late payers and reminders."""
from datetime import date, timedelta
from decimal import Decimal

from flask import render_template
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select, type_coerce
from sqlalchemy.orm import selectinload

from erp.audit.services import record_action
from erp.columns import Money
from erp.errors import IllegalTransition, ValidationFailed
from erp.extensions import db
from erp.invoicing import journal
from erp.invoicing.models import Invoice, InvoiceKind, InvoiceStatus, Payment, PaymentMethod, Reminder
from erp.locking import lock_for_update
from erp.money import ZERO

S = InvoiceStatus
#: days after the due date when each reminder level is sent by `flask send-reminders`
REMINDER_DELAYS = {1: 7, 2: 21, 3: 45}
MAX_PAYMENT = Decimal("100000000")


def refresh_status(invoice: Invoice) -> Invoice:
    """issued → partly paid → paid, from the payments and the credit notes (a wholly credited invoice is cancelled)."""
    if not invoice.is_issued or invoice.kind is InvoiceKind.CREDIT_NOTE:
        return invoice
    if invoice.balance <= 0:
        invoice.status = S.PAID if invoice.paid_amount > 0 else S.CANCELLED
    else:
        invoice.status = S.PARTLY_PAID if invoice.paid_amount > 0 else S.ISSUED
    return invoice


def _sum_payments(invoice_id: int) -> Decimal:
    return db.session.scalar(select(func.coalesce(func.sum(Payment.amount), Decimal("0.00")))
                             .where(Payment.invoice_id == invoice_id))


def record_payment(actor, invoice: Invoice, *, day: date, amount: Decimal, method: PaymentMethod,
                   reference: str = "", today: date | None = None) -> Payment:
    """Money received: never more than what is owed, never in the future; chained in the journal."""
    invoice = lock_for_update(Invoice, invoice.id)  # two accountants recording at once cannot overpay
    if not invoice.is_issued or invoice.kind is InvoiceKind.CREDIT_NOTE:
        raise IllegalTransition(_l("Payments are recorded on issued invoices."))
    if amount <= 0:
        raise ValidationFailed(_l("The amount must be more than 0."), field="amount")
    if amount > invoice.balance:
        raise ValidationFailed(_l("This is more than what remains to pay (%(balance)s €).",
                                  balance=str(invoice.balance).replace(".", ",")), field="amount")
    if day > (today or date.today()):
        raise ValidationFailed(_l("A payment cannot be dated in the future."), field="day")
    payment = Payment(invoice_id=invoice.id, day=day, amount=amount, method=method, reference=reference.strip(),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(payment)
    db.session.flush()
    invoice.paid_amount = _sum_payments(invoice.id)
    refresh_status(invoice)
    journal.append("payment", payment.id, journal.payment_payload(payment))
    record_action(actor, "payment.record", invoice, {"amount": str(amount), "method": method.value})
    return payment


def reverse_payment(actor, payment: Payment, *, reason: str, day: date) -> Payment:
    """Cancel a mistaken payment by a counter-entry of the opposite amount; the original stays."""
    if payment.amount < 0 or payment.reverses_id is not None:
        raise IllegalTransition(_l("A counter-entry cannot itself be reversed."))
    if db.session.scalar(select(Payment.id).where(Payment.reverses_id == payment.id)):
        raise IllegalTransition(_l("This payment was already reversed."))
    if not reason.strip():
        raise ValidationFailed(_l("Say why the payment is reversed."), field="reason")
    invoice = lock_for_update(Invoice, payment.invoice_id)
    counter = Payment(invoice_id=invoice.id, day=day, amount=-payment.amount, method=payment.method,
                      reference=payment.reference, reverses_id=payment.id, note=reason.strip()[:300],
                      created_by_id=getattr(actor, "id", None))
    db.session.add(counter)
    db.session.flush()
    invoice.paid_amount = _sum_payments(invoice.id)
    refresh_status(invoice)
    journal.append("payment", counter.id, journal.payment_payload(counter))
    record_action(actor, "payment.reverse", invoice, {"payment": payment.id, "reason": reason.strip()[:100]})
    return counter


def overdue_query(today: date) -> Select:
    """Invoices past their due date with something left to pay, the oldest first."""
    return (select(Invoice).options(selectinload(Invoice.client))
            .where(Invoice.status.in_([S.ISSUED, S.PARTLY_PAID]), Invoice.kind != InvoiceKind.CREDIT_NOTE,
                   Invoice.due_date < today)
            .order_by(Invoice.due_date, Invoice.id))


def overdue_summary(today: date) -> tuple[Decimal, int]:
    """What all overdue invoices still owe, and how many they are, summed in SQL (dashboard, late payers)."""
    balance = type_coerce(Invoice.amount_due - Invoice.paid_amount - Invoice.credited_amount, Money())
    total, count = db.session.execute(select(func.sum(balance), func.count(Invoice.id))
                                      .where(overdue_query(today).whereclause)).one()
    return (total or ZERO), count


def last_reminder_levels(invoice_ids) -> dict[int, int]:
    """The highest reminder level already sent, per invoice."""
    rows = db.session.execute(select(Reminder.invoice_id, func.max(Reminder.level))
                              .where(Reminder.invoice_id.in_(list(invoice_ids))).group_by(Reminder.invoice_id))
    return dict(rows.all())


def send_reminder(actor, invoice: Invoice, *, level: int, today: date) -> Reminder:
    """E-mail a reminder — friendly, firm, or formal notice with penalties — and record it on the invoice."""
    from erp.invoicing.delivery import invoice_link_url
    from erp.mail.services import send_mail
    from erp.settings.services import get_school

    if level not in REMINDER_DELAYS:
        raise ValidationFailed(_l("Unknown reminder level."))
    if invoice.balance <= 0 or not invoice.due_date or invoice.due_date >= today:
        raise IllegalTransition(_l("This invoice is not overdue."))
    if not invoice.client.email:
        raise ValidationFailed(_l("The client has no e-mail address."))
    school = get_school()
    with force_locale("fr"):
        body = render_template(f"mail/reminder_{level}.txt", invoice=invoice, school=school, today=today,
                               days=invoice.days_late(today), url=invoice_link_url(actor, invoice))
    subjects = {1: "Rappel", 2: "Deuxième relance", 3: "Mise en demeure de payer"}
    message = send_mail(invoice.client.email, f"{subjects[level]} — facture {invoice.number}", body,
                        sender_name=school.legal_name,
                        attachments=[(f"Facture-{invoice.number}.pdf", "application/pdf", invoice.pdf)], record=invoice)
    db.session.flush()
    reminder = Reminder(invoice_id=invoice.id, level=level, balance=invoice.balance, mail_message_id=message.id,
                        sent_by_id=getattr(actor, "id", None))
    db.session.add(reminder)
    record_action(actor, "invoice.reminder", invoice, {"level": level})
    return reminder


def reminders_due(today: date) -> list[tuple[Invoice, int]]:
    """For the daily command: each overdue invoice and the next level whose delay has come."""
    invoices = db.session.scalars(overdue_query(today)).all()
    sent = last_reminder_levels(i.id for i in invoices)
    due = []
    for invoice in invoices:
        level = sent.get(invoice.id, 0) + 1
        if level in REMINDER_DELAYS and invoice.due_date + timedelta(days=REMINDER_DELAYS[level]) <= today:
            due.append((invoice, level))
    return due
