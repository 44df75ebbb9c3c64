"""Checking a document line (quote or invoice): the same rules wherever a line is typed."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column

from erp.catalog.models import VAT_RATES, Nature, Unit, UnitPrice
from erp.columns import Money, Quantity, Rate, enum_column
from erp.errors import ValidationFailed
from erp.money import ZERO, line_net
from erp.settings.models import VatRegime
from erp.settings.services import get_school

MAX_QUANTITY = Decimal("1000000")


class LineColumns:
    """The columns every document line carries (quote, job, invoice), so a line copies field for field."""

    position: Mapped[int]
    catalog_item_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_items.id"))
    label: Mapped[str] = mapped_column(Text)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    unit: Mapped[Unit] = mapped_column(enum_column(Unit))
    unit_price: Mapped[Decimal] = mapped_column(UnitPrice())
    discount_percent: Mapped[Decimal] = mapped_column(Rate(), default=ZERO)
    vat_rate: Mapped[Decimal] = mapped_column(Rate())
    nature: Mapped[Nature] = mapped_column(enum_column(Nature))
    net: Mapped[Decimal] = mapped_column(Money())  #: quantity × unit price less discount, to the cent


def line_values(*, label: str, quantity: Decimal, unit: Unit, unit_price: Decimal, discount_percent: Decimal,
                vat_rate: Decimal, nature: Nature) -> dict:
    """The checked values of a line and its net; a school not liable to VAT charges none (INV-15)."""
    if not label.strip():
        raise ValidationFailed(_l("Describe the line."), field="label")
    if not ZERO < quantity <= MAX_QUANTITY:
        raise ValidationFailed(_l("The quantity must be more than 0."), field="quantity")
    if unit_price < 0:
        raise ValidationFailed(_l("The unit price cannot be negative."), field="unit_price")
    if not ZERO <= discount_percent <= Decimal(100):
        raise ValidationFailed(_l("The discount is a percentage between 0 and 100."), field="discount_percent")
    if get_school().vat_regime is not VatRegime.LIABLE:
        vat_rate = ZERO
    elif vat_rate not in VAT_RATES:
        raise ValidationFailed(_l("Choose a French VAT rate: 20, 10, 5.5, 2.1 or 0 %."), field="vat_rate")
    return dict(label=label.strip(), quantity=quantity, unit=unit, unit_price=unit_price,
                discount_percent=discount_percent, vat_rate=vat_rate, nature=nature,
                net=line_net(quantity, unit_price, discount_percent))


def copy_line(source, line_class, **extra):
    """A copy of a line (quote → job → invoice), keeping its figures exactly."""
    return line_class(position=source.position, catalog_item_id=source.catalog_item_id, label=source.label,
                      quantity=source.quantity, unit=source.unit, unit_price=source.unit_price,
                      discount_percent=source.discount_percent, vat_rate=source.vat_rate, nature=source.nature,
                      net=source.net, **extra)
