"""The log of outgoing messages."""
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from erp.columns import UTCDateTime, utcnow
from erp.extensions import db


class MailMessage(db.Model):
    """One e-mail the school sent (or put in the outbox), kept as it left."""

    __tablename__ = "mail_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body: Mapped[str] = mapped_column(Text)
    attachment_names: Mapped[str] = mapped_column(String(500), default="")
    #: "smtp" when handed to the mail server, "outbox" when only stored (no SMTP configured)
    transport: Mapped[str] = mapped_column(String(10))
    raw: Mapped[bytes] = deferred(mapped_column(LargeBinary))  #: the whole message (.eml), attachments included
    record_type: Mapped[str] = mapped_column(String(40), default="")  #: what it is about, e.g. "quotes"
    record_id: Mapped[int | None]

    __table_args__ = (Index("ix_mail_messages_record", "record_type", "record_id"),)
