"""Row locks that work the same on PostgreSQL and SQLite."""
from sqlalchemy import select, update

from erp.extensions import db


def lock_for_update(model, record_id: int):
    """Lock one row until the transaction ends and return it freshly read.

    The no-op UPDATE takes the row lock on PostgreSQL and the write lock on SQLite (whose SELECT … FOR UPDATE
    does not exist), so concurrent callers wait for each other; the object is then re-read, never stale.
    """
    table = model.__table__
    db.session.execute(update(table).where(table.c.id == record_id).values(id=table.c.id))
    return db.session.execute(
        select(model).where(model.id == record_id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()
