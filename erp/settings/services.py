"""Rules for the school's settings and its fiscal years."""
import io
import re
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from stdnum import bic as std_bic
from stdnum import iban as std_iban
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret
from stdnum.fr import tva as std_tva

from erp.audit.services import audited_save, diff, record_action, snapshot
from erp.errors import ValidationFailed, check_version
from erp.extensions import db
from erp.settings.models import MAX_PAYMENT_TERMS_DAYS, FiscalYear, School, VatRegime

SCHOOL_ID = 1
SCHOOL_FIELDS = (
    "legal_name", "address_line1", "address_line2", "postcode", "city", "email", "phone", "website",
    "siren", "siret", "rna", "vat_number", "vat_regime", "vat_on_debits", "iban", "bic",
    "payment_terms_days", "late_penalty_rate", "quote_validity_days", "insurance_mention",
    "fiscal_year_start_month", "portal_link_days",
)
FISCAL_YEAR_FIELDS = ("label", "start_date", "end_date", "budget", "target_percent")
LOGO_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}
MAX_LOGO_BYTES = 1024 * 1024
RNA_PATTERN = re.compile(r"^W\d{9}$")


def get_school() -> School:
    """The school's settings row, created with defaults the first time it is needed."""
    school = db.session.get(School, SCHOOL_ID)
    if school is None:
        school = School(id=SCHOOL_ID, legal_name="École de production")
        db.session.add(school)
        db.session.flush()
    return school


def compact_identifier(value: str) -> str:
    """An identifier as typed ("732 829 320") without spaces, upper-cased."""
    return "".join((value or "").split()).upper()


def normalise_legal_ids(*, siren="", siret="", vat_number="", iban="", bic="", rna="") -> dict[str, str]:
    """Check SIREN, SIRET, VAT number, IBAN, BIC and RNA; return them compact, or raise beside the field."""
    checks = {
        "siren": (siren, std_siren, _l("This SIREN is not valid (9 digits with a correct check digit).")),
        "siret": (siret, std_siret, _l("This SIRET is not valid (14 digits with a correct check digit).")),
        "vat_number": (vat_number, std_tva, _l("This French VAT number is not valid (FR + 2 characters + SIREN).")),
        "iban": (iban, std_iban, _l("This IBAN is not valid.")),
        "bic": (bic, std_bic, _l("This BIC is not valid.")),
    }
    clean = {}
    for field, (value, module, message) in checks.items():
        value = compact_identifier(value)
        if value:
            try:
                value = module.validate(value)
            except StdnumError:
                raise ValidationFailed(message, field=field) from None
        clean[field] = "FR" + value if field == "vat_number" and value and not value.startswith("FR") else value
    rna = compact_identifier(rna)
    if rna and not RNA_PATTERN.match(rna):
        raise ValidationFailed(_l("An RNA number is W followed by 9 digits."), field="rna")
    clean["rna"] = rna
    siren = clean["siren"]
    if clean["siret"] and siren and not clean["siret"].startswith(siren):
        raise ValidationFailed(_l("The SIRET must start with the SIREN."), field="siret")
    if clean["vat_number"] and siren and clean["vat_number"][4:] != siren:
        raise ValidationFailed(_l("The VAT number must end with the SIREN."), field="vat_number")
    return clean


def update_school(actor, school: School, *, version, **values) -> School:
    """Save the school's settings after checking its legal identifiers and the legal caps."""
    check_version(school, version)
    ids = normalise_legal_ids(**{k: values.pop(k, "") for k in ("siren", "siret", "vat_number", "iban", "bic", "rna")})
    if not 0 <= values["payment_terms_days"] <= MAX_PAYMENT_TERMS_DAYS:
        raise ValidationFailed(_l("Payment terms cannot exceed %(n)d days (art. L441-10 of the Commercial Code).",
                                  n=MAX_PAYMENT_TERMS_DAYS), field="payment_terms_days")
    if values["vat_regime"] is not VatRegime.LIABLE and values.get("vat_on_debits"):
        raise ValidationFailed(_l("The VAT-on-debits option only exists for a school liable to VAT."),
                               field="vat_on_debits")
    before = snapshot(school, SCHOOL_FIELDS)
    for name, value in (values | ids).items():
        if name not in SCHOOL_FIELDS:
            raise TypeError(f"unknown school setting {name}")
        setattr(school, name, value)
    record_action(actor, "settings.update", school, diff(before, snapshot(school, SCHOOL_FIELDS)))
    return school


def set_logo(actor, school: School, data: bytes | None) -> School:
    """Replace (or remove, with None) the logo; only real PNG or JPEG images are kept."""
    if data is None:
        school.logo, school.logo_mimetype = None, ""
    else:
        if len(data) > MAX_LOGO_BYTES:
            raise ValidationFailed(_l("The logo must be smaller than 1 MB."), field="logo")
        try:
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
                kind = image.format
        except (UnidentifiedImageError, OSError, SyntaxError):
            kind = None
        if kind not in LOGO_FORMATS:
            raise ValidationFailed(_l("The logo must be a PNG or JPEG image."), field="logo")
        school.logo, school.logo_mimetype = data, LOGO_FORMATS[kind]
    record_action(actor, "settings.logo", school, {"logo": "removed" if data is None else "replaced"})
    return school


def default_fiscal_year_dates(start_month: int, day: date) -> tuple[date, date]:
    """The fiscal year that contains `day` when years start on the first of `start_month`."""
    year = day.year if day.month >= start_month else day.year - 1
    start = date(year, start_month, 1)
    end = date(year + 1, start_month, 1) - timedelta(days=1) if start_month > 1 else date(year, 12, 31)
    return start, end


def fiscal_year_label(start: date, end: date) -> str:
    """'2026' for a calendar year, '2026-2027' for a school year."""
    return str(start.year) if start.year == end.year else f"{start.year}-{end.year}"


def fiscal_year_for(day: date) -> FiscalYear | None:
    """The fiscal year containing `day`, if one is defined."""
    return db.session.scalar(select(FiscalYear).where(FiscalYear.start_date <= day, FiscalYear.end_date >= day))


def fiscal_years() -> list[FiscalYear]:
    """Every fiscal year, the latest first."""
    return list(db.session.scalars(select(FiscalYear).order_by(FiscalYear.start_date.desc())))


def save_fiscal_year(actor, fiscal_year: FiscalYear | None, *, version=None, label: str, start_date: date,
                     end_date: date, budget: Decimal, target_percent: Decimal) -> FiscalYear:
    """Create or update a fiscal year; fiscal years never overlap and last at most 18 months."""
    if end_date <= start_date:
        raise ValidationFailed(_l("The end date must come after the start date."), field="end_date")
    if (end_date - start_date).days > 549:
        raise ValidationFailed(_l("A fiscal year lasts at most 18 months."), field="end_date")
    if budget < 0:
        raise ValidationFailed(_l("The budget cannot be negative."), field="budget")
    if not Decimal(0) < target_percent <= Decimal(100):
        raise ValidationFailed(_l("The target is a percentage between 0 and 100."), field="target_percent")
    overlap = db.session.scalar(select(FiscalYear).where(
        FiscalYear.start_date <= end_date, FiscalYear.end_date >= start_date,
        FiscalYear.id != (fiscal_year.id if fiscal_year else -1)))
    if overlap is not None:
        raise ValidationFailed(_l("These dates overlap the fiscal year %(label)s.", label=overlap.label),
                               field="start_date")
    clash = db.session.scalar(select(FiscalYear).where(FiscalYear.label == label))
    if clash is not None and clash is not fiscal_year:
        raise ValidationFailed(_l("Another fiscal year already has this label."), field="label")
    with audited_save(actor, FiscalYear, fiscal_year, version=version, fields=FISCAL_YEAR_FIELDS,
                      name="fiscal_year") as fiscal_year:
        fiscal_year.label, fiscal_year.start_date, fiscal_year.end_date = label, start_date, end_date
        fiscal_year.budget, fiscal_year.target_percent = budget, target_percent
    return fiscal_year
