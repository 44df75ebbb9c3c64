"""`flask backup` and `flask restore`: the demo school round-trips whole, on SQLite and on PostgreSQL (issue 9)."""
from sqlalchemy import func, select

from erp.clients.models import Client, ClientKind
from erp.invoicing.journal import verify
from erp.invoicing.models import Invoice, JournalEntry, Payment


def _snapshot(db):
    """What must come back: counts, every stored PDF's digest, the journal's head."""
    return {
        "invoices": db.session.scalar(select(func.count(Invoice.id))),
        "payments": db.session.scalar(select(func.count(Payment.id))),
        "clients": db.session.scalar(select(func.count(Client.id))),
        "pdfs": dict(db.session.execute(select(Invoice.number, func.length(Invoice.pdf))
                                        .where(Invoice.number.is_not(None))).all()),
        "head": db.session.scalar(select(JournalEntry.hash).order_by(JournalEntry.sequence.desc()).limit(1)),
    }


def test_backup_and_restore_round_trip_the_demo_school(app, db, tmp_path):
    """A snapshot taken, the database changed, the snapshot restored: everything as it was, journal intact."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo-data"]).exit_code == 0
    before = _snapshot(db)
    assert before["invoices"] > 20 and before["head"]
    db.session.remove()

    target = tmp_path / "atelier.backup"
    result = runner.invoke(args=["backup", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 100_000 and not (tmp_path / "atelier.backup.part").exists()

    db.session.add(Client(kind=ClientKind.INDIVIDUAL, name="Écrit après la sauvegarde",
                          email="apres@example.org", address_line1="1 rue de la Paix",
                          postcode="39100", city="Dole", payment_terms_days=30))
    db.session.commit()
    assert _snapshot(db)["clients"] == before["clients"] + 1
    db.session.remove()

    result = runner.invoke(args=["restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Journal intact" in result.output
    assert _snapshot(db) == before
    assert db.session.scalar(select(Client.id).where(Client.name == "Écrit après la sauvegarde")) is None
    assert verify().ok


def test_restore_refuses_a_file_that_is_not_a_backup(app, db, make_client, tmp_path):
    """A stray file or another database is refused with a message, and nothing is touched."""
    runner = app.test_cli_runner()
    make_client()
    clients = db.session.scalar(select(func.count(Client.id)))
    db.session.remove()

    stray = tmp_path / "notes.txt"
    stray.write_text("pas une sauvegarde")
    result = runner.invoke(args=["restore", str(stray), "--yes"])
    assert result.exit_code == 1 and "nothing was restored" in result.output

    import sqlite3
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    connection.close()
    result = runner.invoke(args=["restore", str(other), "--yes"])
    assert result.exit_code == 1
    assert db.session.scalar(select(func.count(Client.id))) == clients


def test_restore_asks_for_confirmation(app, tmp_path):
    """Without --yes, answering no leaves the database alone."""
    target = tmp_path / "atelier.backup"
    runner = app.test_cli_runner()
    assert runner.invoke(args=["backup", "-o", str(target)]).exit_code == 0
    result = runner.invoke(args=["restore", str(target)], input="n\n")
    assert result.exit_code == 1 and "Aborted" in result.output
