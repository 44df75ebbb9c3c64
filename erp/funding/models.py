"""Other resources of the school (donations, sponsorship, apprenticeship tax, subsidies) and subsidy agreements."""
import enum
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from erp.columns import Money, UTCDateTime, enum_column, utcnow
from erp.extensions import db

if TYPE_CHECKING:
    from erp.settings.models import FiscalYear


class ResourceKind(enum.StrEnum):
    """What the money is, which decides its account (france-invoicing.md §4.4)."""

    DONATION = "donation"
    PATRONAGE = "patronage"  #: mécénat: a gift from a company, no counterpart
    SPONSORSHIP = "sponsorship"  #: parrainage: with a counterpart (the sponsor's name shown…)
    APPRENTICESHIP_TAX = "apprenticeship_tax"
    SUBSIDY = "subsidy"

    @property
    def label(self):
        return RESOURCE_LABELS[self]


RESOURCE_LABELS = {
    ResourceKind.DONATION: _l("Donation"), ResourceKind.PATRONAGE: _l("Patronage (mécénat)"),
    ResourceKind.SPONSORSHIP: _l("Sponsorship with counterpart"),
    ResourceKind.APPRENTICESHIP_TAX: _l("Apprenticeship tax"), ResourceKind.SUBSIDY: _l("Subsidy"),
}


class FunderKind(enum.StrEnum):
    """Who gives: for subsidies, which public body."""

    INDIVIDUAL = "individual"
    COMPANY = "company"
    REGION = "region"
    DEPARTMENT = "department"
    STATE = "state"
    TOWN = "town"
    OTHER = "other"

    @property
    def label(self):
        return {"individual": _l("Individual"), "company": _l("Company"), "region": _l("Région"),
                "department": _l("Département"), "state": _l("State"), "town": _l("Town"),
                "other": _l("Other")}[self.value]


class Resource(db.Model):
    """Money received or granted for the school other than sales: it is the denominator's other part (DESIGN §6)."""

    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind))
    funder: Mapped[str] = mapped_column(String(160))
    funder_kind: Mapped[FunderKind] = mapped_column(enum_column(FunderKind))
    day: Mapped[date] = mapped_column(index=True)  #: date received, or granted for a subsidy agreement
    amount: Mapped[Decimal] = mapped_column(Money())
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    account: Mapped[str] = mapped_column(String(10))  #: e.g. 754100
    reference: Mapped[str] = mapped_column(String(100), default="")  #: receipt, decision or agreement number
    notes: Mapped[str] = mapped_column(Text, default="")
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_agreements.id"), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    fiscal_year: Mapped["FiscalYear"] = relationship()

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),
                      Index("ix_resources_kind_day", "kind", "day"))

    @property
    def audit_label(self) -> str:
        return f"{self.kind.value} {self.funder}"


class SubsidyAgreement(db.Model):
    """A subsidy granted by a public body: its purpose, instalments and the report it must be justified by."""

    __tablename__ = "subsidy_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    funder: Mapped[str] = mapped_column(String(160))
    funder_kind: Mapped[FunderKind] = mapped_column(enum_column(FunderKind))
    purpose: Mapped[str] = mapped_column(String(300))  #: what the money is earmarked for
    amount_granted: Mapped[Decimal] = mapped_column(Money())
    granted_on: Mapped[date]
    justification_due: Mapped[date | None]  #: when the report on its use is due
    justified_on: Mapped[date | None]
    reference: Mapped[str] = mapped_column(String(100), default="")
    version: Mapped[int] = mapped_column(default=1)

    instalments: Mapped[list["Instalment"]] = relationship(back_populates="agreement", order_by="Instalment.expected_on",
                                                           cascade="all, delete-orphan")
    resource: Mapped["Resource | None"] = relationship(foreign_keys=[Resource.agreement_id], uselist=False)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (CheckConstraint("amount_granted > 0", name="amount_positive"),)

    @property
    def audit_label(self) -> str:
        return f"{self.funder} — {self.purpose}"

    @property
    def received(self) -> Decimal:
        return sum((i.amount for i in self.instalments if i.received_on), Decimal("0.00"))


class Instalment(db.Model):
    """A payment of a subsidy, expected then received."""

    __tablename__ = "subsidy_instalments"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("subsidy_agreements.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())
    expected_on: Mapped[date]
    received_on: Mapped[date | None]

    agreement: Mapped[SubsidyAgreement] = relationship(back_populates="instalments")

    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)
