"""Writing to and reading from the audit trail."""
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import selectinload

from erp.audit.models import AuditEntry
from erp.errors import check_version
from erp.extensions import db


def _plain(value):
    """A JSON-friendly form of a column value."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (Decimal, date, datetime)):
        return str(value)
    return value


def snapshot(record, fields: tuple[str, ...]) -> dict:
    """The current values of some fields, to compare with after a change."""
    return {name: _plain(getattr(record, name)) for name in fields}


def diff(before: dict, after: dict) -> dict:
    """{field: [before, after]} for the fields that changed."""
    return {k: [before.get(k), after.get(k)] for k in after if before.get(k) != after.get(k)}


def record_action(actor, action: str, record, changes: dict | None = None, label: str | None = None) -> AuditEntry:
    """Append one entry to the audit trail; the caller's transaction carries it."""
    db.session.flush()  # the record needs its id
    entry = AuditEntry(
        user_id=actor.id if actor is not None else None,
        action=action,
        record_type=inspect(record).mapper.local_table.name,
        record_id=getattr(record, "id", None),
        record_label=(label if label is not None else str(getattr(record, "audit_label", record)))[:200],
        changes=changes or {},
    )
    db.session.add(entry)
    return entry


@contextmanager
def audited_save(actor, model: type, record, *, version, fields: tuple[str, ...], name: str) -> Iterator:
    """Yield a new record, or the given one if the form's version is current; then audit what changed.

        with audited_save(actor, Section, section, version=v, fields=SECTION_FIELDS, name="section") as section:
            section.name = ...
    """
    creating = record is None
    if creating:
        record = model()
        db.session.add(record)
        before = {}
    else:
        check_version(record, version)
        before = snapshot(record, fields)
    yield record
    db.session.flush()
    record_action(actor, f"{name}.{'create' if creating else 'update'}", record,
                  diff(before, snapshot(record, fields)))


def audit_query(
    *, user_id: int | None = None, action: str | None = None, record_type: str | None = None,
    record_id: int | None = None, day_from: date | None = None, day_to: date | None = None,
) -> Select:
    """The audit entries matching the filters, newest first."""
    query = select(AuditEntry).options(selectinload(AuditEntry.user)).order_by(AuditEntry.id.desc())
    if user_id:
        query = query.where(AuditEntry.user_id == user_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    if record_type:
        query = query.where(AuditEntry.record_type == record_type)
    if record_id:
        query = query.where(AuditEntry.record_id == record_id)
    if day_from:
        query = query.where(AuditEntry.at >= datetime.combine(day_from, time.min, timezone.utc))
    if day_to:
        query = query.where(AuditEntry.at < datetime.combine(day_to + timedelta(days=1), time.min, timezone.utc))
    return query
