"""Private links given to clients."""
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from erp.columns import UTCDateTime, utcnow
from erp.extensions import db


class PortalLink(db.Model):
    """A link that opens one document (or one client's documents) without a password, until it expires."""

    __tablename__ = "portal_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_type: Mapped[str] = mapped_column(String(20))  #: "quote", later "invoice" and "client"
    document_id: Mapped[int]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    nonce: Mapped[str] = mapped_column(String(32))  #: random part of the token; unguessable
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    __table_args__ = (Index("ix_portal_links_document", "document_type", "document_id"),)

    @property
    def audit_label(self) -> str:
        return f"{self.document_type} #{self.document_id}"

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
