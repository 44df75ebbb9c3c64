"""Audit entries."""
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import UTCDateTime, utcnow
from erp.extensions import db

if TYPE_CHECKING:
    from erp.auth.models import User


class AuditEntry(db.Model):
    """One change that matters: who, when, what action, on which record, what changed."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    #: empty for actions of the system or of a client through the portal
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))  #: "domain.verb", e.g. "user.create"
    record_type: Mapped[str] = mapped_column(String(40))  #: table name of the record
    record_id: Mapped[int | None]
    record_label: Mapped[str] = mapped_column(String(200), default="")  #: readable name at the time
    #: {"field": [before, after], ...} or free details
    changes: Mapped[dict] = mapped_column(JSON, default=dict)

    user: Mapped["User | None"] = relationship()

    __table_args__ = (
        Index("ix_audit_entries_record", "record_type", "record_id"),
        Index("ix_audit_entries_at", "at"),
    )
