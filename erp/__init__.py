"""Atelier: the production and order-management ERP of an école de production."""
import os

from flask import Flask

from config import CONFIGS, ProductionConfig


def create_app(config_class=None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI, error pages."""
    app = Flask(__name__, instance_relative_config=True, template_folder="../templates")
    if config_class is None:
        config_class = CONFIGS[os.environ.get("ATELIER_CONFIG", "development")]
    if config_class is ProductionConfig:
        ProductionConfig.check()
    app.config.from_object(config_class)
    os.makedirs(app.instance_path, exist_ok=True)

    from erp import cli, errorpages, security, templating

    register_extensions(app)
    register_blueprints(app)
    security.init_app(app)
    templating.init_app(app)
    errorpages.init_app(app)
    cli.init_app(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to the app."""
    from erp import models  # noqa: F401 - every model must be known to SQLAlchemy and Alembic
    from erp.extensions import babel, bootstrap, csrf, db, limiter, login_manager, migrate
    from erp.i18n import select_locale, select_timezone

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    bootstrap.init_app(app)
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount each domain's pages."""
    from erp.accounting.views import bp as accounting_bp
    from erp.audit.views import bp as audit_bp
    from erp.auth.views import bp as auth_bp
    from erp.catalog import stock_views  # noqa: F401 - its routes join the catalog blueprint
    from erp.catalog.views import bp as catalog_bp
    from erp.clients.views import bp as clients_bp
    from erp.funding.views import bp as funding_bp
    from erp.home.views import bp as home_bp
    from erp.invoicing import counter_views  # noqa: F401 - its routes join the invoicing blueprint
    from erp.invoicing.views import bp as invoicing_bp
    from erp.jobs import job_views, time_views, views  # noqa: F401 - their routes join the jobs blueprint
    from erp.jobs.blueprint import bp as jobs_bp
    from erp.mail.views import bp as mail_bp
    from erp.portal.views import bp as portal_bp
    from erp.quotes.views import bp as quotes_bp
    from erp.settings.views import bp as settings_bp

    for blueprint in (home_bp, auth_bp, settings_bp, jobs_bp, audit_bp, clients_bp, catalog_bp, quotes_bp,
                      invoicing_bp, funding_bp, accounting_bp, mail_bp, portal_bp):
        app.register_blueprint(blueprint)


def shell_context() -> dict:
    """Names available in `flask shell`."""
    from erp import models
    from erp.extensions import db

    return {"db": db, "models": models}
