"""Stock: receipts at weighted average cost, consumption on jobs, adjustments — each under a row lock."""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from erp.audit.services import record_action
from erp.catalog.models import Material, MovementKind, StockMovement
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.locking import lock_for_update
from erp.money import ZERO, round_money

COST_PLACES = Decimal("0.0001")
MAX_QUANTITY = Decimal("1000000")


class InsufficientStock(ValidationFailed):
    """More is asked than the stock holds; the caller may force it with a reason."""


def _check_quantity(quantity: Decimal) -> None:
    if not ZERO < quantity <= MAX_QUANTITY:
        raise ValidationFailed(_l("The quantity must be more than 0."), field="quantity")


def _movement(actor, material: Material, kind: MovementKind, day: date, quantity: Decimal, unit_cost: Decimal,
              **extra) -> StockMovement:
    movement = StockMovement(material_id=material.id, kind=kind, day=day, quantity=quantity, unit_cost=unit_cost,
                             amount=round_money(quantity * unit_cost), quantity_after=material.quantity_on_hand,
                             average_cost_after=material.average_cost, created_by_id=getattr(actor, "id", None),
                             **extra)
    db.session.add(movement)
    return movement


def receive(actor, material: Material, *, quantity: Decimal, unit_cost: Decimal, day: date,
            supplier: str = "") -> StockMovement:
    """A delivery: stock grows and the average cost becomes the weighted average of old and new."""
    _check_quantity(quantity)
    if unit_cost < 0:
        raise ValidationFailed(_l("The unit cost cannot be negative."), field="unit_cost")
    material = lock_for_update(Material, material.id)
    on_hand = max(material.quantity_on_hand, ZERO)  # stock forced below zero has no value to average
    total = on_hand + quantity
    material.average_cost = ((on_hand * material.average_cost + quantity * unit_cost) / total).quantize(
        COST_PLACES, rounding=ROUND_HALF_UP)
    material.quantity_on_hand += quantity
    material.unit_cost = unit_cost  # estimates use the latest price paid
    movement = _movement(actor, material, MovementKind.RECEIPT, day, quantity, unit_cost, supplier=supplier)
    record_action(actor, "stock.receive", material, {"quantity": str(quantity), "unit_cost": str(unit_cost)})
    return movement


def consume(actor, material: Material, *, job, quantity: Decimal, day: date, force_reason: str = "") -> StockMovement:
    """Material used on a job, costed at the current average cost; never below zero unless forced with a reason."""
    _check_quantity(quantity)
    if not job.status.is_open:
        raise ValidationFailed(_l("Nothing can be logged on a job that is “%(status)s”.", status=job.status.label))
    material = lock_for_update(Material, material.id)
    if material.quantity_on_hand < quantity and not force_reason.strip():
        raise InsufficientStock(_l("Only %(left)s %(unit)s in stock. Receive the delivery first, or give a reason "
                                   "to record it anyway.", left=_plain(material.quantity_on_hand),
                                   unit=material.unit.symbol), field="quantity")
    material.quantity_on_hand -= quantity
    movement = _movement(actor, material, MovementKind.CONSUMPTION, day, -quantity, material.average_cost,
                         job_id=job.id, reason=force_reason.strip()[:300])
    record_action(actor, "stock.consume", material, {"job": job.number, "quantity": str(quantity),
                                                     "forced": force_reason.strip()[:100]})
    return movement


def adjust(actor, material: Material, *, counted: Decimal, day: date, reason: str) -> StockMovement | None:
    """Set the stock to what was counted; the difference is recorded at the average cost, with its reason."""
    if not reason.strip():
        raise ValidationFailed(_l("Say why the stock is corrected."), field="reason")
    if counted < 0:
        raise ValidationFailed(_l("A counted stock cannot be negative."), field="counted")
    material = lock_for_update(Material, material.id)
    delta = counted - material.quantity_on_hand
    if delta == 0:
        return None
    material.quantity_on_hand = counted
    movement = _movement(actor, material, MovementKind.ADJUSTMENT, day, delta, material.average_cost,
                         reason=reason.strip()[:300])
    record_action(actor, "stock.adjust", material, {"delta": str(delta), "reason": reason.strip()[:100]})
    return movement


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def low_stock_query() -> Select:
    """Active materials at or below their reorder level."""
    return (select(Material).where(Material.active.is_(True), Material.reorder_level > 0,
                                   Material.quantity_on_hand <= Material.reorder_level).order_by(Material.code))


def movements_query(material_id: int | None = None, job_id: int | None = None) -> Select:
    """Stock movements, newest first."""
    query = select(StockMovement).order_by(StockMovement.id.desc())
    if material_id:
        query = query.where(StockMovement.material_id == material_id)
    if job_id:
        query = query.where(StockMovement.job_id == job_id)
    return query
