"""Catalog and materials pages."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from erp.auth.policy import staff
from erp.catalog import services
from erp.catalog.forms import CatalogItemForm, MaterialForm
from erp.catalog.models import CatalogItem, Material
from erp.extensions import db
from erp.forms import as_choices
from erp.jobs.services import section_choices
from erp.web import form_values, handle_form, paginate

bp = Blueprint("catalog", __name__, url_prefix="/catalog")


@bp.route("/")
@staff
def items():
    """What the school sells, by code."""
    search = request.args.get("q", "").strip()[:60]
    section_id = request.args.get("section", type=int)
    page = paginate(services.items_query(search, section_id, include_inactive=request.args.get("all") == "1"))
    return render_template("catalog/items.html", page=page, q=search, section_id=section_id,
                           sections=section_choices(active_only=False))


def _save_item(item: CatalogItem | None):
    form = CatalogItemForm(obj=item)
    form.section_id.choices = as_choices([(0, _("All sections")), *section_choices()])
    if item is not None and not form.is_submitted():
        form.section_id.data = item.section_id or 0
        form.vat_rate.data = item.vat_rate

    def save():
        values = form_values(form, services.ITEM_FIELDS) | {"section_id": form.section_id.data or None}
        return services.save_item(current_user, item, version=form.version.data, **values)

    return handle_form(form, save, success=_("Catalog item saved."), next_url=url_for("catalog.items"),
                       template="catalog/item_form.html", item=item)


@bp.route("/new", methods=["GET", "POST"])
@staff
def item_new():
    """Add a service or product to the catalog."""
    return _save_item(None)


@bp.route("/<int:item_id>", methods=["GET", "POST"])
@staff
def item_edit(item_id: int):
    """Change a catalog item (quotes already made keep their own prices)."""
    return _save_item(db.get_or_404(CatalogItem, item_id))


@bp.route("/materials")
@staff
def materials():
    """Materials used in the workshop."""
    search = request.args.get("q", "").strip()[:60]
    page = paginate(services.materials_query(search, include_inactive=request.args.get("all") == "1"))
    return render_template("catalog/materials.html", page=page, q=search)


def _save_material(material: Material | None):
    form = MaterialForm(obj=material)
    return handle_form(
        form, lambda: services.save_material(current_user, material, version=form.version.data,
                                             **form_values(form, services.MATERIAL_FIELDS)),
        success=_("Material saved."), next_url=url_for("catalog.materials"), template="catalog/material_form.html",
        material=material)


@bp.route("/materials/new", methods=["GET", "POST"])
@staff
def material_new():
    """Add a material."""
    return _save_material(None)


@bp.route("/materials/<int:material_id>", methods=["GET", "POST"])
@staff
def material_edit(material_id: int):
    """Change a material's cost or supplier."""
    return _save_material(db.get_or_404(Material, material_id))
