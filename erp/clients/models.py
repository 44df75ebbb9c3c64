"""Clients."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from erp.columns import UTCDateTime, enum_column, utcnow
from erp.extensions import db


class ClientKind(enum.StrEnum):
    """What kind of buyer a client is; businesses and public bodies must give their SIREN."""

    COMPANY = "company"
    PUBLIC_BODY = "public_body"
    ASSOCIATION = "association"
    INDIVIDUAL = "individual"

    @property
    def label(self) -> str:
        return str(CLIENT_KIND_LABELS[self])

    @property
    def is_business(self) -> bool:
        """B2B or B2G: the SIREN, the 40 € indemnity and the penalty mentions apply (INV-06, INV-19)."""
        return self in (ClientKind.COMPANY, ClientKind.PUBLIC_BODY, ClientKind.ASSOCIATION)

    @property
    def requires_siren(self) -> bool:
        return self in (ClientKind.COMPANY, ClientKind.PUBLIC_BODY)


CLIENT_KIND_LABELS = {
    ClientKind.COMPANY: _l("Company"),
    ClientKind.PUBLIC_BODY: _l("Public body"),
    ClientKind.ASSOCIATION: _l("Association"),
    ClientKind.INDIVIDUAL: _l("Individual"),
}


class Client(db.Model):
    """Someone the school quotes and invoices; archived, never deleted, once it has documents."""

    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ClientKind] = mapped_column(enum_column(ClientKind))
    name: Mapped[str] = mapped_column(String(160))
    siren: Mapped[str] = mapped_column(String(9), default="")
    siret: Mapped[str] = mapped_column(String(14), default="")
    vat_number: Mapped[str] = mapped_column(String(16), default="")  #: intra-EU VAT number
    email: Mapped[str] = mapped_column(String(254), default="")  #: stored lower-case
    phone: Mapped[str] = mapped_column(String(30), default="")
    address_line1: Mapped[str] = mapped_column(String(120))
    address_line2: Mapped[str] = mapped_column(String(120), default="")
    postcode: Mapped[str] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(80))
    country_code: Mapped[str] = mapped_column(String(2), default="FR")
    #: delivery or work-site address when it differs from the billing address (INV-07, DEV-04)
    site_line1: Mapped[str] = mapped_column(String(120), default="")
    site_line2: Mapped[str] = mapped_column(String(120), default="")
    site_postcode: Mapped[str] = mapped_column(String(10), default="")
    site_city: Mapped[str] = mapped_column(String(80), default="")
    #: days to pay; empty means the school's default terms
    payment_terms_days: Mapped[int | None]
    notes: Mapped[str] = mapped_column(Text, default="")
    #: public bodies invoiced through Chorus Pro: the payer's service code and the engagement number (FX-04)
    chorus_service_code: Mapped[str] = mapped_column(String(100), default="")
    chorus_engagement: Mapped[str] = mapped_column(String(50), default="")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_clients_name", "name"),
        Index("ix_clients_siret", "siret"),
        Index("ix_clients_email", "email"),
    )

    @property
    def audit_label(self) -> str:
        return self.name

    @property
    def billing_address(self) -> list[str]:
        return [line for line in (self.address_line1, self.address_line2, f"{self.postcode} {self.city}") if line]

    @property
    def site_address(self) -> list[str]:
        """The work-site lines, or an empty list when the work is at the billing address."""
        lines = [self.site_line1, self.site_line2, f"{self.site_postcode} {self.site_city}".strip()]
        return [line for line in lines if line] if self.site_line1 else []

    def __str__(self) -> str:
        return self.name
