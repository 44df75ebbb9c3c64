"""The school (one row) and its fiscal years."""
import enum
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from erp.columns import Money, Rate, enum_column
from erp.extensions import db


class VatRegime(enum.StrEnum):
    """How the school stands for VAT; it decides the mentions on every document (§1.3)."""

    LIABLE = "liable"
    FRANCHISE = "franchise"  #: franchise en base, art. 293 B du CGI
    EXEMPT = "exempt"  #: non-lucrative exemption, art. 261-7-1°-b du CGI

    @property
    def label(self) -> str:
        return str(VAT_REGIME_LABELS[self])


VAT_REGIME_LABELS = {
    VatRegime.LIABLE: _l("Liable to VAT"),
    VatRegime.FRANCHISE: _l("VAT franchise (art. 293 B of the CGI)"),
    VatRegime.EXEMPT: _l("Exempt from VAT (art. 261-7-1°-b of the CGI)"),
}

MAX_PAYMENT_TERMS_DAYS = 60  # art. L441-10 C. com. (INV-20)


class School(db.Model):
    """The school's identity and legal settings, printed on every quote and invoice."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    legal_name: Mapped[str] = mapped_column(String(120))
    address_line1: Mapped[str] = mapped_column(String(120), default="")
    address_line2: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(30), default="")
    website: Mapped[str] = mapped_column(String(120), default="")
    siren: Mapped[str] = mapped_column(String(9), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    rna: Mapped[str] = mapped_column(String(10), default="")  #: prefecture registration, W + 9 digits
    vat_number: Mapped[str] = mapped_column(String(13), default="")  #: intra-EU VAT number
    vat_regime: Mapped[VatRegime] = mapped_column(enum_column(VatRegime), default=VatRegime.LIABLE)
    #: prints "Option pour le paiement de la taxe d'après les débits" (INV-09) — only if really opted
    vat_on_debits: Mapped[bool] = mapped_column(default=False)
    iban: Mapped[str] = mapped_column(String(34), default="")
    bic: Mapped[str] = mapped_column(String(11), default="")
    payment_terms_days: Mapped[int] = mapped_column(default=30)
    #: yearly rate of late-payment penalties, in % (ECB rate + 10 points by default)
    late_penalty_rate: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("12.15"))
    quote_validity_days: Mapped[int] = mapped_column(default=30)
    insurance_mention: Mapped[str] = mapped_column(Text, default="")  #: décennale insurer and coverage
    #: first month of the fiscal year (9 = September for a school year)
    fiscal_year_start_month: Mapped[int] = mapped_column(default=9)
    #: how long a link sent to a client stays valid
    portal_link_days: Mapped[int] = mapped_column(default=90)
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_mimetype: Mapped[str] = mapped_column(String(20), default="")
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint(f"payment_terms_days BETWEEN 0 AND {MAX_PAYMENT_TERMS_DAYS}", name="payment_terms_capped"),
        CheckConstraint("fiscal_year_start_month BETWEEN 1 AND 12", name="start_month_valid"),
        CheckConstraint("quote_validity_days BETWEEN 1 AND 365", name="quote_validity_valid"),
        CheckConstraint("portal_link_days BETWEEN 1 AND 730", name="portal_link_days_valid"),
    )

    @property
    def audit_label(self) -> str:
        return self.legal_name


class FiscalYear(db.Model):
    """An accounting year (exercice) with its budget and self-financing target."""

    __tablename__ = "fiscal_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(30), unique=True)  #: e.g. "2026-2027"
    start_date: Mapped[date]
    end_date: Mapped[date]  #: last day included
    budget: Mapped[Decimal] = mapped_column(Money())  #: the school's whole budget for the year (€)
    #: share of the budget to be earned by production, in % (60 by default)
    target_percent: Mapped[Decimal] = mapped_column(Rate(), default=Decimal("60.00"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        CheckConstraint("end_date > start_date", name="ends_after_start"),
        CheckConstraint("budget >= 0", name="budget_not_negative"),
        CheckConstraint("target_percent > 0 AND target_percent <= 10000", name="target_is_percent"),
    )

    @property
    def audit_label(self) -> str:
        return self.label

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date
