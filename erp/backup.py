"""Backups: a consistent snapshot of the whole database while the app runs, and its restoration.

Everything Atelier keeps lives in the database — issued PDFs, logos and sent mail included — so one file
is the whole school. SQLite is copied with its online backup API (a reader's snapshot: writers wait a
moment, nobody is stopped); PostgreSQL with `pg_dump`, whose single repeatable-read snapshot is just as
consistent, in its compressed custom format.
"""
import os
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from erp.extensions import db

POSTGRES_MAGIC = b"PGDMP"  # the first bytes of a pg_dump custom-format archive
SQLITE_MAGIC = b"SQLite format 3\x00"
#: a table every Atelier database has; a file without it is not one of ours
MARKER_TABLE = "journal_entries"


class BackupError(Exception):
    """A backup or a restoration that cannot be done (a command-line message); nothing was changed."""


@dataclass(frozen=True)
class Restored:
    """What a restoration brought back."""

    revision: str | None  #: the schema revision of the backup (None for a schema made without migrations)
    tables: int


def _url() -> URL:
    return make_url(db.engine.url)


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory database cannot be backed up.")
    return Path(url.database)


def _pg_environment(url: URL) -> dict[str, str]:
    """libpq's own variables, so the password never shows in a process list."""
    environment = dict(os.environ)
    for variable, value in (("PGHOST", url.host), ("PGPORT", url.port), ("PGUSER", url.username),
                            ("PGPASSWORD", url.password), ("PGDATABASE", url.database)):
        if value is not None:
            environment[variable] = str(value)
    return environment


def _run(command: list[str], environment: dict[str, str], **options) -> bytes:
    """Run a PostgreSQL client program; its output, or a BackupError with what it said."""
    try:
        return subprocess.run(command, env=environment, check=True, capture_output=True, **options).stdout
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed (Debian package postgresql-client).") from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} failed: {error.stderr.decode(errors='replace').strip()}") from None


def backup(target: Path) -> int:
    """Write a consistent snapshot of the database to `target` (via a temporary file); return its size."""
    url = _url()
    partial = target.with_name(target.name + ".part")
    try:
        if url.get_backend_name() == "sqlite":
            source = sqlite3.connect(_sqlite_path(url))
            copy = sqlite3.connect(partial)
            try:
                with copy:
                    source.backup(copy)
            finally:
                copy.close()
                source.close()
        else:
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
                 _pg_environment(url))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _check_sqlite_backup(source: Path) -> None:
    connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        if connection.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError("This backup is damaged (SQLite integrity check failed).")
        found = connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                   (MARKER_TABLE,)).fetchone()
    finally:
        connection.close()
    if not found:
        raise BackupError("This file is a SQLite database but not an Atelier backup.")


def _check_postgres_backup(source: Path, environment: dict[str, str]) -> None:
    listing = subprocess.run(["pg_restore", "--list", str(source)], env=environment, capture_output=True)
    if listing.returncode != 0 or f" TABLE public {MARKER_TABLE} ".encode() not in listing.stdout:
        raise BackupError("This file is a PostgreSQL archive but not an Atelier backup.")


def restore(source: Path) -> Restored:
    """Replace the whole database with a backup made by `backup`, in one transaction."""
    url = _url()
    with source.open("rb") as stream:
        head = stream.read(16)
    sqlite = url.get_backend_name() == "sqlite"
    if sqlite and not head.startswith(SQLITE_MAGIC) or not sqlite and not head.startswith(POSTGRES_MAGIC):
        expected = "a SQLite backup" if sqlite else "a pg_dump archive (made by flask backup on PostgreSQL)"
        raise BackupError(f"This file is not {expected}; nothing was restored.")
    db.session.remove()
    db.engine.dispose()  # our own pooled connections would hold locks the restoration waits for
    if sqlite:
        _check_sqlite_backup(source)
        backup_connection = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        live = sqlite3.connect(_sqlite_path(url), timeout=30)
        try:
            backup_connection.backup(live)  # page by page inside one write transaction of the live file
        finally:
            live.close()
            backup_connection.close()
    else:
        environment = _pg_environment(url)
        _check_postgres_backup(source, environment)
        # The archive as SQL, run after emptying the schema, all in one transaction: a failure restores nothing.
        script = _run(["pg_restore", "--no-owner", "--no-privileges", "--file=-", str(source)], environment)
        _run(["psql", "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", "--single-transaction",
              "--command=DROP SCHEMA public CASCADE", "--command=CREATE SCHEMA public", "--file=-"],
             environment, input=script)
    return Restored(revision=_revision(), tables=len(inspect(db.engine).get_table_names()))


def _revision() -> str | None:
    if not inspect(db.engine).has_table("alembic_version"):
        return None
    return db.session.execute(db.text("SELECT version_num FROM alembic_version")).scalar()
