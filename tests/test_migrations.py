"""The schema is built by migrations only, and the migrations match the models exactly."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from erp import create_app
from erp.extensions import db
from tests.conftest import BACKENDS, make_config

MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path):
    """A brand-new empty database: a SQLite file, or a PostgreSQL database made for the test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    server = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"atelier_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_builds_a_schema_identical_to_the_models(empty_database_url):
    """`flask db upgrade` on an empty database gives exactly the models' schema (autogenerate finds nothing)."""
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == []
        db.engine.dispose()


def test_downgrade_to_base_and_upgrade_again(empty_database_url):
    """Every revision can be undone and replayed."""
    app = create_app(make_config(empty_database_url))
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade(directory=MIGRATIONS)
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
