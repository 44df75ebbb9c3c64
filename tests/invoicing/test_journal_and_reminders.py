"""The unalterable journal detects tampering; reminders go out at three levels through real SMTP."""
from datetime import date
from decimal import Decimal
from email.header import decode_header, make_header

from sqlalchemy import select, text

from erp.invoicing import immutability, payments
from erp.invoicing.journal import document_matches_journal, verify
from erp.invoicing.models import Invoice, PaymentMethod, Reminder
from tests.conftest import plain_text

D = Decimal
TODAY = date(2026, 11, 20)


def _history(make_invoice):
    first, second = make_invoice(), make_invoice()
    payments.record_payment(None, first, day=TODAY, amount=D("200"), method=PaymentMethod.CASH, today=TODAY)
    return first, second


def test_the_chain_verifies(app, db, make_invoice):
    """Two invoices and a payment: three linked entries; `flask verify-journal` says intact."""
    _history(make_invoice)
    db.session.commit()
    result = verify()
    assert result.ok and result.checked == 3
    output = app.test_cli_runner().invoke(args=["verify-journal"])
    assert output.exit_code == 0 and "3 entries" in output.output


def test_editing_a_row_directly_in_the_database_is_detected(app, db, make_invoice):
    """Someone lifts the triggers and edits a payment amount in the journal: verification names that entry."""
    _history(make_invoice)
    db.session.commit()
    db.session.close()  # end this session's transaction: lifting the triggers locks the tables
    with db.engine.begin() as connection:
        immutability.uninstall(connection)
        connection.execute(text("UPDATE journal_entries SET payload = REPLACE(payload, '200.00', '20.00') "
                                "WHERE sequence = 3"))
        immutability.install(connection)
    result = verify()
    assert (result.ok, result.broken_sequence, result.reason) == (False, 3, "content altered")
    output = app.test_cli_runner().invoke(args=["verify-journal"])
    assert output.exit_code == 1 and "BROKEN at entry 3" in output.output


def test_a_deleted_entry_or_an_altered_invoice_is_detected(db, make_invoice):
    """Removing a link breaks the sequence; changing an invoice row no longer matches what was journaled."""
    first, _second = _history(make_invoice)
    db.session.commit()
    first_id = first.id
    db.session.close()  # end this session's transaction: lifting the triggers locks the tables
    with db.engine.begin() as connection:
        immutability.uninstall(connection)
        connection.execute(text("DELETE FROM journal_entries WHERE sequence = 2"))
        connection.execute(text("UPDATE invoices SET total_gross = total_gross + 1 WHERE id = :id"), {"id": first_id})
        immutability.install(connection)
    assert verify().broken_sequence == 3
    db.session.expire_all()
    assert not document_matches_journal(db.session.get(Invoice, first_id))


def test_reminders_at_three_levels_through_smtp(app, db, make_invoice, smtp_server):
    """Friendly, firm, formal notice with penalties and the 40 € indemnity: each e-mailed and recorded."""
    invoice = make_invoice()
    invoice.client.email = "compta@client.example"
    db.session.commit()
    for level in (1, 2, 3):
        payments.send_reminder(None, invoice, level=level, today=date(2027, 1, 20))
    db.session.commit()
    bodies = [plain_text(m) for m in smtp_server]
    assert "Sauf erreur de notre part" in bodies[0]
    assert "Deuxième relance" in str(make_header(decode_header(smtp_server[1]["Subject"])))
    assert "pénalités" in bodies[1]
    text = bodies[2].replace("\u202f", " ").replace("\xa0", " ")
    assert "MISE EN DEMEURE" in text and "40 €" in text and "1 200,00 €" in text
    assert [r.level for r in db.session.scalars(select(Reminder).order_by(Reminder.id))] == [1, 2, 3]


def test_the_daily_command_sends_the_level_that_is_due(app, db, make_invoice, smtp_server):
    """`flask send-reminders`: level 1 a week after the due date, nothing twice, level 2 two weeks later."""
    invoice = make_invoice()  # due 02/12/2026
    invoice.client.email = "compta@client.example"
    db.session.commit()
    runner = app.test_cli_runner()
    assert "0 reminder(s) sent" in runner.invoke(args=["send-reminders", "--on", "2026-12-08"]).output
    assert "1 reminder(s) sent" in runner.invoke(args=["send-reminders", "--on", "2026-12-09"]).output
    assert "0 reminder(s) sent" in runner.invoke(args=["send-reminders", "--on", "2026-12-20"]).output
    assert "1 reminder(s) sent" in runner.invoke(args=["send-reminders", "--on", "2026-12-23"]).output
    db.session.expire_all()
    assert [r.level for r in db.session.scalars(select(Reminder).order_by(Reminder.id))] == [1, 2]
    assert len(smtp_server) == 2
