"""Stock pages: a material's stock and movements, receipts, counted corrections, the low-stock list."""
from datetime import date

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from erp.auth.models import Role
from erp.auth.policy import roles, staff
from erp.catalog import stock
from erp.catalog.models import Material
from erp.catalog.views import bp
from erp.errors import check_version
from erp.extensions import db
from erp.jobs.work_forms import AdjustForm, ReceiptForm, ReorderForm
from erp.web import run_form

EDITORS = (Role.DIRECTOR, Role.CRAFTSMAN)


def _page(material: Material, status: int = 200, **forms):
    movements = db.session.scalars(stock.movements_query(material_id=material.id).limit(100)).all()
    context = {"receipt_form": ReceiptForm(formdata=None, unit_cost=material.unit_cost),
               "adjust_form": AdjustForm(formdata=None, counted=material.quantity_on_hand),
               "reorder_form": ReorderForm(formdata=None, obj=material)} | forms
    return render_template("catalog/stock.html", material=material, movements=movements, **context), status


@bp.route("/materials/<int:material_id>/stock")
@staff
def stock_page(material_id: int):
    """A material's stock, average cost and movements."""
    return _page(db.get_or_404(Material, material_id))


def _act(material: Material, form, action, success: str, name: str):
    """Run a stock form's service and come back to the material, or show it again with the errors."""
    return run_form(form, action, success=success, done_url=url_for("catalog.stock_page", material_id=material.id),
                    reshow=lambda status, failed: _page(material, status, **{name: failed}))


@bp.route("/materials/<int:material_id>/receipts", methods=["POST"])
@roles(*EDITORS)
def receive(material_id: int):
    """A delivery received: stock up, average cost recomputed."""
    material = db.get_or_404(Material, material_id)
    return _act(material, ReceiptForm(), lambda f: stock.receive(
        current_user, material, quantity=f.quantity.data, unit_cost=f.unit_cost.data, day=f.day.data,
        supplier=f.supplier.data or material.supplier), _("Receipt recorded."), "receipt_form")


@bp.route("/materials/<int:material_id>/adjust", methods=["POST"])
@roles(*EDITORS)
def adjust(material_id: int):
    """Correct the stock after a count, with the reason."""
    material = db.get_or_404(Material, material_id)
    return _act(material, AdjustForm(), lambda f: stock.adjust(current_user, material, counted=f.counted.data,
                                                               day=f.day.data, reason=f.reason.data),
                _("Stock corrected."), "adjust_form")


@bp.route("/materials/<int:material_id>/reorder", methods=["POST"])
@roles(*EDITORS)
def reorder_level(material_id: int):
    """Set the level under which the material shows in the low-stock list."""
    material = db.get_or_404(Material, material_id)

    def save(form):
        check_version(material, form.version.data)
        material.reorder_level = form.reorder_level.data

    return _act(material, ReorderForm(), save, _("Reorder level saved."), "reorder_form")


@bp.route("/stock")
@staff
def low_stock():
    """Materials at or under their reorder level."""
    materials = db.session.scalars(stock.low_stock_query()).all()
    return render_template("catalog/low_stock.html", materials=materials, today=date.today())
