"""freeze who drafted an issued invoice and when

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22

"""
from alembic import op

from erp.invoicing import immutability

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    # The triggers of 0004 left created_at and created_by_id of an issued invoice changeable: renew them.
    immutability.install(op.get_bind())


def downgrade():
    # The earlier, looser triggers are not restored: freezing two more columns is never wrong.
    immutability.install(op.get_bind())
