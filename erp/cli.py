"""Command-line commands: `flask create-user`, `flask demo-data`."""
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
@with_appcontext
def demo_data_command(force):
    """Load the demo school (refuses a database that holds data, unless --force)."""
    from erp.demo import DEMO_PASSWORD, DatabaseNotEmpty, load_demo

    try:
        logins = load_demo(force=force)
    except DatabaseNotEmpty:
        raise click.ClickException("the database already holds data; use --force to replace it") from None
    db.session.commit()
    click.echo("Demo school loaded. Logins (password for all: %s):" % DEMO_PASSWORD)
    for role, email in logins:
        click.echo(f"  {role:<12} {email}")


def init_app(app: Flask) -> None:
    """Register the commands."""
    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_data_command)
