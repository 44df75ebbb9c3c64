"""Column types that store Decimals as scaled integers, exact on SQLite and PostgreSQL."""
import enum
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import BigInteger, DateTime
from sqlalchemy import Enum as SAEnum
from sqlalchemy.types import TypeDecorator


class ScaledDecimal(TypeDecorator):
    """A Decimal with a fixed number of places, stored as an integer (e.g. cents).

    SQLite has no exact decimal type, so SUM() over NUMERIC may drift; integers never do.
    A value with more places than the column holds is refused rather than rounded silently.
    """

    impl = BigInteger
    cache_ok = True

    def __init__(self, places: int):
        super().__init__()
        self.places = places

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, (float, bool)) or not isinstance(value, (Decimal, int)):
            raise TypeError(f"{type(value).__name__} cannot be stored as an exact amount: {value!r}")
        scaled = Decimal(value).scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValueError(f"{value} has more than {self.places} decimal places")
        return int(scaled)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return Decimal(int(value)).scaleb(-self.places).quantize(Decimal(1).scaleb(-self.places))

    @property
    def python_type(self):
        return Decimal


def Money() -> ScaledDecimal:  # noqa: N802 - reads like a type in model declarations
    """An amount in euros, stored in cents."""
    return ScaledDecimal(2)


def Quantity() -> ScaledDecimal:  # noqa: N802
    """A quantity (pieces, hours, metres), stored in thousandths."""
    return ScaledDecimal(3)


def Rate() -> ScaledDecimal:  # noqa: N802
    """A percentage such as a VAT rate (5.5) or a target (60), stored in hundredths."""
    return ScaledDecimal(2)


class UTCDateTime(TypeDecorator):
    """A moment in time, stored as naive UTC and read back as an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware datetime")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=timezone.utc)


def utcnow() -> datetime:
    """The current moment, timezone-aware."""
    return datetime.now(timezone.utc)


def enum_column(enum_cls: type[enum.Enum]) -> SAEnum:
    """A portable enum column storing the members' values as short strings."""
    return SAEnum(
        enum_cls,
        native_enum=False,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
    )
