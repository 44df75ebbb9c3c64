"""Rules for catalog items and materials."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from erp.audit.services import audited_save
from erp.catalog.models import VAT_RATES, CatalogItem, Material
from erp.errors import ValidationFailed
from erp.extensions import db

ITEM_FIELDS = ("code", "label", "description", "unit", "unit_price", "vat_rate", "nature", "section_id",
               "revenue_account", "active")
MATERIAL_FIELDS = ("code", "label", "unit", "unit_cost", "supplier", "active")


def _unique_code(model, record, code: str) -> None:
    clash = db.session.scalar(select(model).where(func.upper(model.code) == code.upper()))
    if clash is not None and clash is not record:
        raise ValidationFailed(_l("This code is already used."), field="code")


def check_vat_rate(rate: Decimal, field: str = "vat_rate") -> None:
    """Only the French rates are accepted (20, 10, 5.5, 2.1 or 0 %)."""
    if rate not in VAT_RATES:
        raise ValidationFailed(_l("Choose a French VAT rate: 20, 10, 5.5, 2.1 or 0 %."), field=field)


def save_item(actor, item: CatalogItem | None, *, version=None, **values) -> CatalogItem:
    """Create or update a catalog item."""
    values["code"] = values["code"].upper()
    _unique_code(CatalogItem, item, values["code"])
    check_vat_rate(values["vat_rate"])
    if values.get("revenue_account") and not (values["revenue_account"][:3].isdigit()):
        raise ValidationFailed(_l("An account number starts with three digits, e.g. 706000."),
                               field="revenue_account")
    with audited_save(actor, CatalogItem, item, version=version, fields=ITEM_FIELDS, name="catalog_item") as item:
        for name in ITEM_FIELDS:
            setattr(item, name, values.get(name))
    return item


def save_material(actor, material: Material | None, *, version=None, **values) -> Material:
    """Create or update a material."""
    values["code"] = values["code"].upper()
    _unique_code(Material, material, values["code"])
    with audited_save(actor, Material, material, version=version, fields=MATERIAL_FIELDS, name="material") as material:
        for name in MATERIAL_FIELDS:
            setattr(material, name, values.get(name))
    return material


def items_query(search: str = "", section_id: int | None = None, include_inactive: bool = False) -> Select:
    """Catalog items by code, filtered by a search and a section."""
    query = select(CatalogItem).options(selectinload(CatalogItem.section)).order_by(CatalogItem.code)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(CatalogItem.code).like(pattern), func.lower(CatalogItem.label).like(pattern)))
    if section_id:
        query = query.where(CatalogItem.section_id == section_id)
    if not include_inactive:
        query = query.where(CatalogItem.active.is_(True))
    return query


def materials_query(search: str = "", include_inactive: bool = False) -> Select:
    """Materials by code, filtered by a search."""
    query = select(Material).order_by(Material.code)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Material.code).like(pattern), func.lower(Material.label).like(pattern),
                                func.lower(Material.supplier).like(pattern)))
    if not include_inactive:
        query = query.where(Material.active.is_(True))
    return query


def item_choices(section_id: int | None = None) -> list[tuple[int, str]]:
    """(id, "code — label") of the active items, the section's first."""
    query = select(CatalogItem.id, CatalogItem.code, CatalogItem.label).where(CatalogItem.active.is_(True))
    if section_id:
        query = query.where(or_(CatalogItem.section_id == section_id, CatalogItem.section_id.is_(None)))
    return [(row.id, f"{row.code} — {row.label}") for row in db.session.execute(query.order_by(CatalogItem.code))]


def material_choices() -> list[tuple[int, str]]:
    """(id, "code — label") of the active materials."""
    rows = db.session.execute(select(Material.id, Material.code, Material.label)
                              .where(Material.active.is_(True)).order_by(Material.code))
    return [(row.id, f"{row.code} — {row.label}") for row in rows]
