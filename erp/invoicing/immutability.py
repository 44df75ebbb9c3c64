"""Database triggers that refuse any change to an issued invoice, its lines, payments and the journal (COR-02).

The services never edit an issued document; these triggers make the database refuse it too, whatever the route
(a script, a console, a bug). They are installed by migration 0004 (renewed by 0006) and, for the tests, when tables are created.
"""
from sqlalchemy import event, text

#: what an issued invoice may still change: its payment status and the cached sums of payments and credit notes
MUTABLE_AFTER_ISSUE = {"id", "status", "paid_amount", "credited_amount", "updated_at", "version"}
FROZEN = ("kind", "number", "client_id", "job_id", "quote_id", "credited_invoice_id", "section_id", "title",
          "issue_date", "delivery_date", "due_date", "purchase_order", "notes", "total_net", "total_vat",
          "total_gross", "deposits_net", "deposits_vat", "deposits_gross", "revenue_net", "amount_due", "snapshot",
          "pdf", "pdf_sha256", "issued_at", "issued_by_id", "created_at", "created_by_id")
MESSAGE = "issued invoices are immutable: correct them with a credit note"


def _sqlite() -> list[str]:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
    abort = f"SELECT RAISE(ABORT, '{MESSAGE}');"
    return [
        f"CREATE TRIGGER invoices_frozen_update BEFORE UPDATE ON invoices "
        f"WHEN OLD.number IS NOT NULL AND ({changed}) BEGIN {abort} END",
        f"CREATE TRIGGER invoices_frozen_delete BEFORE DELETE ON invoices WHEN OLD.number IS NOT NULL "
        f"BEGIN {abort} END",
        *[f"CREATE TRIGGER invoice_lines_frozen_{op.lower()} BEFORE {op} ON invoice_lines "
          f"WHEN (SELECT number FROM invoices WHERE id = {row}.invoice_id) IS NOT NULL BEGIN {abort} END"
          for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))],
        *[f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
          f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
          for table in ("payments", "journal_entries") for op in ("UPDATE", "DELETE")],
    ]


def _postgresql() -> list[str]:
    # json has no equality operator on PostgreSQL: compare its text
    changed = " OR ".join(f"NEW.{c}::text IS DISTINCT FROM OLD.{c}::text" if c == "snapshot"
                          else f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN)
    return [
        f"""CREATE FUNCTION invoices_frozen() RETURNS trigger AS $$
        BEGIN
          IF TG_OP = 'DELETE' THEN
            IF OLD.number IS NOT NULL THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
            RETURN OLD;
          END IF;
          IF OLD.number IS NOT NULL AND ({changed}) THEN RAISE EXCEPTION '{MESSAGE}'; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices "
        "FOR EACH ROW EXECUTE FUNCTION invoices_frozen()",
        f"""CREATE FUNCTION invoice_lines_frozen() RETURNS trigger AS $$
        DECLARE parent_id integer;
        BEGIN
          IF TG_OP = 'INSERT' THEN parent_id := NEW.invoice_id; ELSE parent_id := OLD.invoice_id; END IF;
          IF (SELECT number FROM invoices WHERE id = parent_id) IS NOT NULL THEN
            RAISE EXCEPTION '{MESSAGE}';
          END IF;
          IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
          RETURN NEW;
        END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER invoice_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines "
        "FOR EACH ROW EXECUTE FUNCTION invoice_lines_frozen()",
        """CREATE FUNCTION append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION '% are append-only', TG_TABLE_NAME; END $$ LANGUAGE plpgsql""",
        "CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments "
        "FOR EACH ROW EXECUTE FUNCTION append_only()",
        "CREATE TRIGGER journal_entries_append_only BEFORE UPDATE OR DELETE ON journal_entries "
        "FOR EACH ROW EXECUTE FUNCTION append_only()",
    ]


def _drop(dialect: str) -> list[str]:
    if dialect == "postgresql":
        return ["DROP TRIGGER IF EXISTS invoices_frozen ON invoices",
                "DROP TRIGGER IF EXISTS invoice_lines_frozen ON invoice_lines",
                "DROP TRIGGER IF EXISTS payments_append_only ON payments",
                "DROP TRIGGER IF EXISTS journal_entries_append_only ON journal_entries",
                "DROP FUNCTION IF EXISTS invoices_frozen()", "DROP FUNCTION IF EXISTS invoice_lines_frozen()",
                "DROP FUNCTION IF EXISTS append_only()"]
    names = ["invoices_frozen_update", "invoices_frozen_delete", "invoice_lines_frozen_insert",
             "invoice_lines_frozen_update", "invoice_lines_frozen_delete"]
    names += [f"{t}_append_only_{op}" for t in ("payments", "journal_entries") for op in ("update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in names]


def install(connection) -> None:
    """Create the triggers on this connection's database."""
    dialect = connection.dialect.name
    for statement in _drop(dialect) + (_postgresql() if dialect == "postgresql" else _sqlite()):
        connection.execute(text(statement))


def uninstall(connection) -> None:
    """Remove the triggers (downgrade)."""
    for statement in _drop(connection.dialect.name):
        connection.execute(text(statement))


def install_with_tables(metadata) -> None:
    """When the tables are created with create_all (tests), create the triggers too."""
    event.listen(metadata, "after_create", lambda _target, connection, **_kw: install(connection))
