"""Catalog items, materials, units and natures."""
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import Money, Quantity, Rate, ScaledDecimal, UTCDateTime, enum_column, utcnow
from erp.extensions import db

if TYPE_CHECKING:
    from erp.jobs.models import Section


def UnitPrice() -> ScaledDecimal:  # noqa: N802
    """A unit price or cost in euros, to the hundredth of a cent (Factur-X allows more, BT-146)."""
    return ScaledDecimal(4)


class Unit(enum.StrEnum):
    """Units of sale and of stock, each with its UN/ECE Rec. 20 code for e-invoices (BT-130)."""

    PIECE = "piece"
    HOUR = "hour"
    METRE = "metre"
    SQUARE_METRE = "m2"
    KILOGRAM = "kg"
    FLAT_RATE = "flat"

    @property
    def label(self) -> str:
        return str(UNIT_LABELS[self])

    @property
    def symbol(self) -> str:
        return str(UNIT_SYMBOLS[self])

    @property
    def uncefact_code(self) -> str:
        return {"piece": "C62", "hour": "HUR", "metre": "MTR", "m2": "MTK", "kg": "KGM", "flat": "LS"}[self.value]


UNIT_LABELS = {Unit.PIECE: _l("piece"), Unit.HOUR: _l("hour"), Unit.METRE: _l("metre"),
               Unit.SQUARE_METRE: _l("square metre"), Unit.KILOGRAM: _l("kilogram"), Unit.FLAT_RATE: _l("flat rate")}
UNIT_SYMBOLS = {Unit.PIECE: _l("pc"), Unit.HOUR: _l("h"), Unit.METRE: _l("m"), Unit.SQUARE_METRE: "m²",
                Unit.KILOGRAM: "kg", Unit.FLAT_RATE: _l("flat")}


class Nature(enum.StrEnum):
    """Goods or services, per line: the invoice's nature is goods, services or both (INV-08)."""

    GOODS = "goods"
    SERVICES = "services"

    @property
    def label(self) -> str:
        return str(_l("Goods") if self is Nature.GOODS else _l("Services"))


#: VAT rates a line may carry (the French CTC schematron accepts these, BR-FR-15/16)
VAT_RATES = (Decimal("20.00"), Decimal("10.00"), Decimal("5.50"), Decimal("2.10"), Decimal("0.00"))


class CatalogItem(db.Model):
    """A service or product the school sells: tyre fitting, balancing, guardrail per metre…"""

    __tablename__ = "catalog_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[Unit] = mapped_column(enum_column(Unit))
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice())  #: € excluding VAT
    vat_rate: Mapped[Decimal] = mapped_column(Rate())  #: in %
    nature: Mapped[Nature] = mapped_column(enum_column(Nature))
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    revenue_account: Mapped[str] = mapped_column(String(10), default="")  #: e.g. 706000; empty: section default
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(default=1)

    section: Mapped["Section | None"] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),)

    @property
    def audit_label(self) -> str:
        return f"{self.code} {self.label}"


class Material(db.Model):
    """Something the workshop consumes and costs: steel tube 40×40, sheet 3 mm, a tyre size…"""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    unit: Mapped[Unit] = mapped_column(enum_column(Unit))
    unit_cost: Mapped[Decimal] = mapped_column(UnitPrice())  #: € excluding VAT, for estimates
    supplier: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(default=True)
    # Stock, changed only by erp.catalog.stock under a row lock.
    quantity_on_hand: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    #: weighted average cost of what is on hand (€ per unit, excluding VAT)
    average_cost: Mapped[Decimal] = mapped_column(UnitPrice(), default=Decimal("0"))
    reorder_level: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))  #: low-stock threshold
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
        CheckConstraint("average_cost >= 0", name="average_cost_not_negative"),
        CheckConstraint("reorder_level >= 0", name="reorder_level_not_negative"),
    )

    @property
    def audit_label(self) -> str:
        return f"{self.code} {self.label}"

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"


class MovementKind(enum.StrEnum):
    """Why stock moved."""

    RECEIPT = "receipt"
    CONSUMPTION = "consumption"
    ADJUSTMENT = "adjustment"

    @property
    def label(self) -> str:
        return str({"receipt": _l("Receipt"), "consumption": _l("Used on a job"),
                    "adjustment": _l("Adjustment")}[self.value])


class StockMovement(db.Model):
    """One change of stock: a delivery received, material used on a job, or a counted correction."""

    __tablename__ = "stock_movements"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), index=True)
    kind: Mapped[MovementKind] = mapped_column(enum_column(MovementKind))
    day: Mapped[date]
    quantity: Mapped[Decimal] = mapped_column(Quantity())  #: positive in, negative out
    unit_cost: Mapped[Decimal] = mapped_column(UnitPrice())  #: receipt: price paid; out: average cost then
    amount: Mapped[Decimal] = mapped_column(Money())  #: value of the movement, signed like the quantity
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"), index=True)
    supplier: Mapped[str] = mapped_column(String(120), default="")
    reason: Mapped[str] = mapped_column(String(300), default="")  #: adjustments and forced consumption
    quantity_after: Mapped[Decimal] = mapped_column(Quantity())
    average_cost_after: Mapped[Decimal] = mapped_column(UnitPrice())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    material: Mapped[Material] = relationship()

    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
        Index("ix_stock_movements_day", "day"),
    )
