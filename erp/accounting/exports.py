"""Export runs: asked for on the page, written by a background thread that reports its progress, then downloaded."""
import logging
import secrets
import threading
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from erp.accounting import fec
from erp.accounting.models import ExportKind, ExportRun, ExportStatus
from erp.accounting.workbook import write_workbook
from erp.audit.services import record_action
from erp.columns import utcnow
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.settings.models import FiscalYear

log = logging.getLogger(__name__)
EARLIEST = date(2000, 1, 1)
#: a run still "in progress" after this long was cut off (its worker restarted)
STALE_AFTER = timedelta(hours=2)
KEEP_FOR = timedelta(days=30)


def check_period(start: date | None, end: date | None) -> None:
    """A period the exports accept: both dates, in order, in this century."""
    if start is None:
        raise ValidationFailed(_l("Give the first day of the period."), field="start_date")
    if end is None:
        raise ValidationFailed(_l("Give the last day of the period."), field="end_date")
    if start > end:
        raise ValidationFailed(_l("The period must start before it ends."), field="end_date")
    if start < EARLIEST or end > date(2100, 12, 31):
        raise ValidationFailed(_l("Choose dates between 2000 and 2100."), field="start_date")


def folder() -> Path:
    path = Path(current_app.config["EXPORTS_DIR"] or Path(current_app.instance_path) / "exports")
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def written_atomically(target: Path):
    """A `.part` path to write to, renamed to `target` only when the block succeeds: never half a file."""
    partial = target.with_name(target.name + ".part")
    try:
        yield partial
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def workbook_name(start: date, end: date) -> str:
    return f"atelier-comptabilite-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"


def request_workbook(actor, start: date | None, end: date | None) -> ExportRun:
    """Record the run of a workbook for a period (the caller commits, then launches it)."""
    check_period(start, end)
    return _new_run(actor, ExportKind.WORKBOOK, start, end, workbook_name(start, end))


def request_fec(actor, fiscal_year: FiscalYear | None) -> ExportRun:
    """Record the run of the FEC-layout journals of a fiscal year."""
    if fiscal_year is None:
        raise ValidationFailed(_l("Choose a fiscal year."), field="fiscal_year")
    siren = fec.school_siren(field="fiscal_year")
    return _new_run(actor, ExportKind.FEC, fiscal_year.start_date, fiscal_year.end_date,
                    fec.file_name(siren, fiscal_year.end_date))


def _new_run(actor, kind: ExportKind, start: date, end: date, file_name: str) -> ExportRun:
    run = ExportRun(kind=kind, start_date=start, end_date=end, file_name=file_name,
                    stored_as=f"{secrets.token_hex(12)}{Path(file_name).suffix}",
                    requested_by_id=getattr(actor, "id", None))
    db.session.add(run)
    db.session.flush()
    record_action(actor, f"export.{kind.value}", run, {"from": start.isoformat(), "to": end.isoformat()},
                  label=file_name)
    return run


def _set(run_id: int, **values) -> None:
    db.session.execute(update(ExportRun).where(ExportRun.id == run_id).values(**values))
    db.session.commit()


def run_export(run_id: int, today: date) -> None:
    """Write the file of a run, reporting progress as the batches go; a failure is recorded, never half a file."""
    run = db.session.get(ExportRun, run_id)
    shown = {"percent": 0}

    def report(done: int, total: int) -> None:
        percent = min(99, done * 100 // max(total, 1))
        if percent > shown["percent"]:
            shown["percent"] = percent
            _set(run_id, progress=percent)

    try:
        with written_atomically(folder() / run.stored_as) as partial, partial.open("wb") as stream:
            if run.kind is ExportKind.WORKBOOK:
                write_workbook(stream, run.start_date, run.end_date, today, report)
            else:
                fec.write_fec(stream, run.start_date, run.end_date)
    except Exception as error:  # noqa: BLE001 - whatever went wrong is shown on the page, and logged
        log.exception("export %s failed", run_id)
        db.session.rollback()
        _set(run_id, status=ExportStatus.FAILED, error=str(error)[:500], finished_at=utcnow())
        return
    _set(run_id, status=ExportStatus.DONE, progress=100, finished_at=utcnow())


def launch(app: Flask, run_id: int, today: date) -> threading.Thread:
    """Run the export in a background thread with its own application context and session."""
    def work():
        with app.app_context():
            try:
                run_export(run_id, today)
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, name=f"export-{run_id}", daemon=True)
    thread.start()
    return thread


def recent_runs(limit: int = 15) -> list[ExportRun]:
    """The latest runs, a cut-off run shown as failed; runs older than a month are forgotten with their files."""
    now = datetime.now(timezone.utc)
    db.session.execute(update(ExportRun).where(ExportRun.status == ExportStatus.RUNNING,
                                               ExportRun.requested_at < now - STALE_AFTER)
                       .values(status=ExportStatus.FAILED, error="interrompu"))
    old = db.session.scalars(select(ExportRun).where(ExportRun.requested_at < now - KEEP_FOR)).all()
    for run in old:
        (folder() / run.stored_as).unlink(missing_ok=True)
    if old:
        db.session.execute(delete(ExportRun).where(ExportRun.id.in_([run.id for run in old])))
    db.session.commit()
    return list(db.session.scalars(select(ExportRun).order_by(ExportRun.id.desc()).limit(limit)))


def stored_file(run: ExportRun) -> Path | None:
    """The file of a finished run, if it is still kept."""
    path = folder() / run.stored_as
    return path if run.status is ExportStatus.DONE and path.is_file() else None
