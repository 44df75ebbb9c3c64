"""The benchmark's databases: a large school's records over 1 and 10 years, on SQLite and PostgreSQL.

Each is built once through the real commands (`flask db upgrade`, `flask bench-data`) and reused by later
runs; `--fresh` rebuilds them.
"""
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
SQLITE_DIR = ROOT / "instance" / "bench"
POSTGRES_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def url_for(backend: str, years: int) -> str:
    """Where the benchmark database of `years` years lives."""
    if backend == "sqlite":
        return f"sqlite:///{SQLITE_DIR / f'atelier-{years}y.sqlite'}"
    return make_url(POSTGRES_SERVER).set(database=f"atelier_bench_{years}y").render_as_string(hide_password=False)


def flask(url: str, *arguments: str, **options) -> subprocess.CompletedProcess:
    """Run a `flask` command of the app on the database at `url`."""
    environment = dict(os.environ, DATABASE_URL=url, FLASK_APP="app.py")
    return subprocess.run([sys.executable, "-m", "flask", *arguments], cwd=ROOT, env=environment, check=True,
                          capture_output=True, text=True, **options)


def _filled_years(url: str) -> int | None:
    """How many fiscal years the database holds, or None if it does not exist or has no schema."""
    if url.startswith("sqlite") and not Path(make_url(url).database).exists():
        return None
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT count(*) FROM fiscal_years")).scalar()
    except Exception:  # noqa: BLE001 — no database or no schema yet: it gets built
        return None
    finally:
        engine.dispose()


def _recreate(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return
    name = make_url(url).database
    server = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()


def prepare(backend: str, years: int, fresh: bool = False, log=print) -> str:
    """The URL of a database holding `years` years of bench data, built if needed."""
    url = url_for(backend, years)
    if not fresh and _filled_years(url) == years:
        return url
    log(f"  building {backend} with {years} year(s) of data…")
    _recreate(url)
    flask(url, "db", "upgrade")
    output = flask(url, "bench-data", "--years", str(years)).stdout.strip()
    log(f"  {output}")
    return url
