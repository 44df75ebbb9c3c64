"""Command-line commands: users, demo data, reminders, the journal check, the exports and backups."""
import click
from flask import Flask
from flask.cli import with_appcontext

from erp.auth.models import Role
from erp.errors import DomainError
from erp.extensions import db


@click.command("create-user")
@click.option("--email", required=True, help="Login e-mail.")
@click.option("--name", "full_name", required=True, help="Full name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.DIRECTOR.value, show_default=True)
@click.option("--section", "section_code", help="Section code (required for a craftsman).")
@click.password_option(help="At least 10 characters; asked for when not given.")
@with_appcontext
def create_user_command(email, full_name, role, section_code, password):
    """Create a staff account, e.g. the first director."""
    from sqlalchemy import select

    from erp.auth.services import create_user
    from erp.jobs.models import Section

    section_id = None
    if section_code:
        section_id = db.session.scalar(select(Section.id).where(Section.code == section_code.upper()))
        if section_id is None:
            raise click.BadParameter(f"no section with code {section_code}", param_hint="--section")
    try:
        user = create_user(None, email=email, full_name=full_name, role=Role(role), password=password,
                           section_id=section_id)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email}")


@click.command("demo-data")
@click.option("--force", is_flag=True, help="Erase every record first, then load the demo school.")
@click.option("--if-empty", is_flag=True, help="Load only into an empty database; otherwise just print the logins.")
@with_appcontext
def demo_data_command(force, if_empty):
    """Load the demo school (refuses a database that holds data, unless --force)."""
    from erp.demo import DEMO_PASSWORD, DatabaseNotEmpty, database_is_empty, demo_logins, load_demo

    if if_empty and not force and not database_is_empty():
        click.echo("The database already holds data: the demo school was not loaded again.")
    else:
        try:
            load_demo(force=force)
        except DatabaseNotEmpty:
            raise click.ClickException("the database already holds data; use --force to replace it") from None
        db.session.commit()
        click.echo("Demo school loaded.")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for who, email in demo_logins():
        click.echo(f"  {who:<40} {email}")


@click.command("expire-quotes")
@with_appcontext
def expire_quotes_command():
    """Mark sent quotes past their validity date as expired (run daily from cron)."""
    from datetime import date

    from erp.quotes.services import expire_overdue_quotes

    count = expire_overdue_quotes(date.today())
    db.session.commit()
    click.echo(f"{count} quote(s) expired")


@click.command("verify-journal")
@with_appcontext
def verify_journal_command():
    """Check the chain of issued invoices and payments; exit 1 at the first broken link."""
    from erp.invoicing.journal import verify

    result = verify()
    if result.ok:
        click.echo(f"Journal intact: {result.checked} entries checked.")
        return
    click.echo(f"Journal BROKEN at entry {result.broken_sequence}: {result.reason} "
               f"({result.checked} entries intact before it).", err=True)
    raise SystemExit(1)


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="List what would be sent, send nothing.")
@click.option("--on", "day", type=click.DateTime(["%Y-%m-%d"]), help="Act as on this day (default: today).")
@with_appcontext
def send_reminders_command(dry_run, day):
    """E-mail the payment reminders that are due today (run daily from cron)."""
    from datetime import date

    from erp.errors import DomainError
    from erp.invoicing.payments import reminders_due, send_reminder

    today = day.date() if day else date.today()
    sent = 0
    for invoice, level in reminders_due(today):
        if dry_run:
            click.echo(f"{invoice.number}: level {level} to {invoice.client.email or '(no e-mail)'}")
            continue
        try:
            send_reminder(None, invoice, level=level, today=today)
            db.session.commit()
            sent += 1
        except DomainError as error:
            db.session.rollback()
            click.echo(f"{invoice.number}: not sent — {error.message}", err=True)
    if not dry_run:
        click.echo(f"{sent} reminder(s) sent")


def _progress(done: int, total: int) -> None:
    click.echo(f"\r  {min(done, total)}/{total} rows", nl=False, err=True)


@click.command("export-excel")
@click.option("--from", "start", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--to", "end", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="The .xlsx file.")
@with_appcontext
def export_excel_command(start, end, output):
    """Write the accountant's workbook of a period (six sheets)."""
    import time
    from datetime import date
    from pathlib import Path

    from erp.accounting.exports import check_period, written_atomically
    from erp.accounting.workbook import write_workbook

    start, end = start.date(), end.date()
    try:
        check_period(start, end)
    except DomainError as error:
        raise click.BadParameter(str(error.message), param_hint="--from/--to") from None
    began = time.perf_counter()
    target = Path(output)
    with written_atomically(target) as partial:
        summary = write_workbook(partial, start, end, date.today(), _progress)
    click.echo("", err=True)
    rows = ", ".join(f"{title}: {count}" for title, count in summary.rows.items())
    click.echo(f"Wrote {target} in {time.perf_counter() - began:.1f} s ({rows})")


@click.command("export-fec")
@click.option("--year", "label", required=True, help="The fiscal year's label, e.g. 2026-2027.")
@click.option("-o", "--output-dir", default=".", type=click.Path(file_okay=False), show_default=True)
@with_appcontext
def export_fec_command(label, output_dir):
    """Write the sales, bank and cash journals of a fiscal year in the FEC layout (<SIREN>FEC<closing>.txt)."""
    from pathlib import Path

    from sqlalchemy import select

    from erp.accounting.exports import written_atomically
    from erp.accounting.fec import file_name, school_siren, write_fec
    from erp.settings.models import FiscalYear

    fiscal_year = db.session.scalar(select(FiscalYear).where(FiscalYear.label == label))
    if fiscal_year is None:
        raise click.BadParameter(f"no fiscal year labelled {label}", param_hint="--year")
    try:
        siren = school_siren()
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    target = Path(output_dir) / file_name(siren, fiscal_year.end_date)
    with written_atomically(target) as partial, partial.open("wb") as stream:
        result = write_fec(stream, fiscal_year.start_date, fiscal_year.end_date)
    click.echo(f"Wrote {target}: {result.entries} entries, {result.lines} lines, "
               f"debit {result.debit} = credit {result.credit}")


@click.command("bench-data")
@click.option("--years", default=10, show_default=True, type=click.IntRange(1, 30), help="Fiscal years to fill.")
@with_appcontext
def bench_data_command(years):
    """Fill an empty database with a large school's records over several years (benchmark data)."""
    import time

    from erp.benchdata import load_bench, row_counts
    from erp.demo import DatabaseNotEmpty

    began = time.perf_counter()
    try:
        load_bench(years)
    except DatabaseNotEmpty:
        raise click.ClickException("the database already holds data: use an empty one") from None
    db.session.commit()
    counts = ", ".join(f"{table}: {count}" for table, count in row_counts().items())
    click.echo(f"Loaded {years} year(s) in {time.perf_counter() - began:.0f} s ({counts})")


@click.command("check-facturx")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--no-schematron", is_flag=True, help="Only the XSD, round-trip and PDF/A-3 checks.")
def check_facturx_command(file, no_schematron):
    """Check a Factur-X PDF offline: XSD, EN 16931 and French CTC schematrons, XML round trip, PDF/A-3 structure."""
    from pathlib import Path

    from erp.einvoicing.validation import check_facturx

    report = check_facturx(Path(file).read_bytes(), schematron=not no_schematron)
    if not report.ok:
        for line in report.lines():
            click.echo(line, err=True)
        raise SystemExit(1)
    checks = "FX-V1, FX-V4, FX-V5" if no_schematron else "FX-V1 to FX-V5"
    click.echo(f"{file}: Factur-X EN 16931, passes {checks}")


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The backup file (a SQLite file, or a pg_dump archive on PostgreSQL).")
@with_appcontext
def backup_command(output):
    """Take a consistent snapshot of the whole database while the app runs."""
    from pathlib import Path

    from erp.backup import BackupError, backup

    try:
        size = backup(Path(output))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Backed up to {output} ({size / 1_048_576:.1f} MB)")


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.confirmation_option(prompt="Replace EVERY record of this database with the backup?")
@with_appcontext
def restore_command(file):
    """Replace the whole database with a backup made by `flask backup`, then check the journal."""
    from pathlib import Path

    from erp.backup import BackupError, restore
    from erp.invoicing.journal import verify

    try:
        restored = restore(Path(file))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Restored {restored.tables} tables from {file} (schema revision {restored.revision or 'unknown'}).")
    click.echo("If this backup is older than the code, run `flask db upgrade` now.")
    result = verify()
    if not result.ok:
        click.echo(f"Journal BROKEN at entry {result.broken_sequence}: {result.reason}", err=True)
        raise SystemExit(1)
    click.echo(f"Journal intact: {result.checked} entries checked.")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_data_command)
    app.cli.add_command(expire_quotes_command)
    app.cli.add_command(verify_journal_command)
    app.cli.add_command(send_reminders_command)
    app.cli.add_command(export_excel_command)
    app.cli.add_command(export_fec_command)
    app.cli.add_command(bench_data_command)
    app.cli.add_command(check_facturx_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
