"""Quotes, their lines and their internal costing estimate."""
import enum
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.catalog.models import UnitPrice
from erp.columns import Money, Quantity, Rate, UTCDateTime, enum_column, utcnow
from erp.documents.lines import LineColumns
from erp.extensions import db
from erp.money import ZERO, Totals, compute_totals

if TYPE_CHECKING:
    from erp.auth.models import User
    from erp.catalog.models import Material
    from erp.clients.models import Client
    from erp.jobs.models import Section


class QuoteStatus(enum.StrEnum):
    """Where a quote stands; moves only through the transitions of erp.quotes.services."""

    DRAFT = "draft"
    SENT = "sent"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(QUOTE_STATUS_LABELS[self])

    @property
    def badge(self) -> str:
        return {"draft": "secondary", "sent": "primary", "accepted": "success", "declined": "danger",
                "expired": "warning", "cancelled": "dark"}[self.value]


QUOTE_STATUS_LABELS = {
    QuoteStatus.DRAFT: _l("Draft"), QuoteStatus.SENT: _l("Sent"), QuoteStatus.ACCEPTED: _l("Accepted"),
    QuoteStatus.DECLINED: _l("Declined"), QuoteStatus.EXPIRED: _l("Expired"), QuoteStatus.CANCELLED: _l("Cancelled"),
}


class AcceptanceChannel(enum.StrEnum):
    """How the client said yes."""

    ONLINE = "online"
    PAPER = "paper"


class Quote(db.Model):
    """A priced offer to a client (devis), frozen once sent; accepted, it becomes a job."""

    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  #: D-2026-0001
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    #: where the work is done, one line per row; empty: the client's site or billing address (DEV-04)
    site_address: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[QuoteStatus] = mapped_column(enum_column(QuoteStatus), default=QuoteStatus.DRAFT)
    issue_date: Mapped[date]  #: the date printed on the quote; set again when it is sent
    valid_until: Mapped[date]
    deposit_percent: Mapped[Decimal] = mapped_column(Rate(), default=ZERO)  #: asked at acceptance, of the TTC
    terms: Mapped[str] = mapped_column(Text, default="")  #: start date, duration, guarantee… printed (DEV-09)
    # Cached totals, kept in step with the lines by the services, so lists never load lines.
    total_net: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    total_vat: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    total_gross: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    # The internal costing estimate; never printed nor shown to the client.
    student_hours: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    craftsman_hours: Mapped[Decimal] = mapped_column(Quantity(), default=ZERO)
    labour_rate: Mapped[Decimal] = mapped_column(Money(), default=ZERO)  #: € per hour, from the section
    other_costs: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    other_costs_note: Mapped[str] = mapped_column(String(200), default="")
    estimated_cost: Mapped[Decimal] = mapped_column(Money(), default=ZERO)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Acceptance evidence (DEV-10): who typed their name, when, from where.
    acceptance_channel: Mapped[AcceptanceChannel | None] = mapped_column(enum_column(AcceptanceChannel))
    accepted_by_name: Mapped[str] = mapped_column(String(120), default="")
    accepted_ip: Mapped[str] = mapped_column(String(45), default="")
    accepted_user_agent: Mapped[str] = mapped_column(String(300), default="")
    #: the client certified the conditions of the 10 % rate for works in a home (VAT-04, DEV-12)
    vat_certified: Mapped[bool] = mapped_column(default=False)
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    duplicated_from_id: Mapped[int | None] = mapped_column(ForeignKey("quotes.id"))
    version: Mapped[int] = mapped_column(default=1)

    client: Mapped["Client"] = relationship()
    section: Mapped["Section"] = relationship()
    created_by: Mapped["User | None"] = relationship()
    lines: Mapped[list["QuoteLine"]] = relationship(
        back_populates="quote", order_by="QuoteLine.position", cascade="all, delete-orphan")
    materials: Mapped[list["QuoteMaterial"]] = relationship(
        back_populates="quote", order_by="QuoteMaterial.id", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("deposit_percent >= 0 AND deposit_percent <= 10000", name="deposit_is_percent"),
        CheckConstraint("student_hours >= 0 AND craftsman_hours >= 0", name="hours_not_negative"),
        CheckConstraint("other_costs >= 0", name="other_costs_not_negative"),
        Index("ix_quotes_status_valid_until", "status", "valid_until"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.number} {self.title}"

    def totals(self) -> Totals:
        """Totals from the lines, VAT per rate (DESIGN §5)."""
        return compute_totals((line.net, line.vat_rate) for line in self.lines)

    @property
    def uses_reduced_home_rate(self) -> bool:
        """A line at 10 % on works: the client must certify the conditions (VAT-04)."""
        return any(line.vat_rate == Decimal("10.00") for line in self.lines)

    @property
    def margin(self) -> Decimal:
        return self.total_net - self.estimated_cost

    @property
    def margin_percent(self) -> Decimal | None:
        if not self.total_net:
            return None
        return (self.margin * 100 / self.total_net).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def is_frozen(self) -> bool:
        """Only a draft may change; a sent quote is changed through a duplicate."""
        return self.status is not QuoteStatus.DRAFT


class QuoteLine(LineColumns, db.Model):
    """One line of a quote: designation, quantity, unit, unit price, discount, VAT rate, nature."""

    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)

    quote: Mapped[Quote] = relationship(back_populates="lines")

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("discount_percent >= 0 AND discount_percent <= 10000", name="discount_is_percent"),
    )


class QuoteMaterial(db.Model):
    """A material the estimate expects to use, at its cost when estimated."""

    __tablename__ = "quote_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit_cost: Mapped[Decimal] = mapped_column(UnitPrice())

    quote: Mapped[Quote] = relationship(back_populates="materials")
    material: Mapped["Material"] = relationship()

    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    @property
    def cost(self) -> Decimal:
        from erp.money import round_money

        return round_money(self.quantity * self.unit_cost)
