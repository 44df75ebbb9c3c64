"""Staff accounts and their roles."""
import enum
import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import UTCDateTime, enum_column, utcnow
from erp.extensions import db

if TYPE_CHECKING:
    from erp.jobs.models import Section


class Role(enum.StrEnum):
    """What a staff member does in the school; it decides what they may reach."""

    DIRECTOR = "director"
    CRAFTSMAN = "craftsman"
    ACCOUNTANT = "accountant"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.DIRECTOR: _l("Director"),
    Role.CRAFTSMAN: _l("Master craftsman"),
    Role.ACCOUNTANT: _l("Accountant"),
}


def new_session_token() -> str:
    """A random token; changing it logs the user out everywhere."""
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A staff member who logs in: director, master craftsman or accountant."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  #: stored lower-case
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    #: the trade a master craftsman belongs to; empty for other roles
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="fr")
    #: identifies the login session; renewed on password change or deactivation
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(default=1)

    section: Mapped["Section | None"] = relationship(foreign_keys=[section_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return self.session_token

    @property
    def audit_label(self) -> str:
        return f"{self.full_name} <{self.email}>"

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
