"""The chart-of-accounts mapping and the record of each export run."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from erp.columns import UTCDateTime, enum_column, utcnow
from erp.extensions import db


class AccountSetting(db.Model):
    """The account the school books one flow on (clients, VAT 20 %, a section's services…); unset keys keep
    the defaults of france-invoicing.md §4.4."""

    __tablename__ = "account_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)  #: e.g. "clients", "vat:20.00", "revenue:services:3"
    number: Mapped[str] = mapped_column(String(10))
    label: Mapped[str] = mapped_column(String(80))


class ExportKind(enum.StrEnum):
    """What an export run produces."""

    WORKBOOK = "workbook"
    FEC = "fec"

    @property
    def label(self):
        return {"workbook": _l("Excel workbook"), "fec": _l("Sales journal in FEC layout")}[self.value]


class ExportStatus(enum.StrEnum):
    """Where an export run stands."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self):
        return {"running": _l("In progress"), "done": _l("Ready"), "failed": _l("Failed")}[self.value]


class ExportRun(db.Model):
    """One export asked for on the Exports page: written in the background, its progress shown, then downloaded."""

    __tablename__ = "export_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ExportKind] = mapped_column(enum_column(ExportKind))
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[ExportStatus] = mapped_column(enum_column(ExportStatus), default=ExportStatus.RUNNING)
    progress: Mapped[int] = mapped_column(default=0)  #: percent of the rows written
    file_name: Mapped[str] = mapped_column(String(80), default="")  #: the name the file is downloaded under
    stored_as: Mapped[str] = mapped_column(String(80), default="")  #: its name in the exports folder
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (CheckConstraint("end_date >= start_date", name="period_valid"),
                      CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"))
