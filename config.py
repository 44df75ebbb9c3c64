"""Configuration classes; everything secret or site-specific comes from the environment."""
import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Development defaults: SQLite under instance/, French UI, outbox mail."""

    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'atelier.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("ATELIER_TIMEZONE", "Europe/Paris")
    LANGUAGES = ("fr", "en")

    BOOTSTRAP_SERVE_LOCAL = True  # no CDN: the app must work offline
    WTF_CSRF_TIME_LIMIT = 8 * 3600  # a workshop day

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    RATELIMIT_HEADERS_ENABLED = False

    # Outgoing mail: with no MAIL_SERVER, messages go to the outbox page instead (the demo works offline).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "atelier@localhost")
    MAIL_REPLY_TO = os.environ.get("MAIL_REPLY_TO", "")
    MAIL_TIMEOUT = 15
    #: the address clients' links point to, e.g. https://atelier.example.org (links are built from it)
    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000")

    #: run the EN 16931 and French CTC schematrons on every document issued (about 0.1 s; 0.7 s the first time)
    FACTURX_SCHEMATRON_ON_ISSUE = _env_bool("FACTURX_SCHEMATRON_ON_ISSUE", True)
    #: how issued documents reach clients: "email" (a Plateforme Agréée adapter can be registered later)
    INVOICE_CHANNEL = os.environ.get("INVOICE_CHANNEL", "email")

    #: where finished exports wait to be downloaded (instance/exports when empty)
    EXPORTS_DIR = os.environ.get("EXPORTS_DIR", "")

    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # logos and forms; nothing bigger is uploaded
    PAGE_SIZE = 25


class ProductionConfig(Config):
    """PostgreSQL and a real secret are mandatory; cookies only over HTTPS."""

    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE

    @classmethod
    def check(cls) -> None:
        """Refuse to start production without its secrets."""
        if not os.environ.get("SECRET_KEY"):
            raise RuntimeError("SECRET_KEY must be set in production")
        if not os.environ.get("DATABASE_URL"):
            raise RuntimeError("DATABASE_URL must be set in production")


class TestConfig(Config):
    """Used by the test suite; the database URL is given by the fixture."""

    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False  # CSRF has its own tests, which switch it back on
    RATELIMIT_ENABLED = False
    EXPORTS_DIR = tempfile.mkdtemp(prefix="atelier-exports-")
    LOGIN_RATE_LIMIT = "1000 per minute"


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}
