"""indexes for ten years of records: invoice list, receivables, revenue, pipeline, jobs opened in a period, student records

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 12:30:00

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_invoices_status_issue_date", "invoices", ["status", "issue_date", "id"])
    op.create_index("ix_invoices_kind_issue_date", "invoices", ["kind", "issue_date", "id"])
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"])
    op.create_index("ix_invoices_receivable", "invoices",
                    ["status", "due_date", "kind", "amount_due", "paid_amount", "credited_amount"])
    op.create_index("ix_invoices_revenue", "invoices",
                    ["issue_date", "number", "revenue_net", "section_id", "job_id", "quote_id"])
    op.create_index("ix_jobs_pipeline", "jobs", ["status", "quote_id", "client_id", "revenue_quoted"])
    op.create_index("ix_time_entries_student_record", "time_entries", ["student_id", "job_id", "day", "hours"])


def downgrade():
    op.drop_index("ix_time_entries_student_record", table_name="time_entries")
    op.drop_index("ix_jobs_pipeline", table_name="jobs")
    op.drop_index("ix_invoices_revenue", table_name="invoices")
    op.drop_index("ix_invoices_receivable", table_name="invoices")
    op.drop_index("ix_jobs_created_at", table_name="jobs")
    op.drop_index("ix_invoices_kind_issue_date", table_name="invoices")
    op.drop_index("ix_invoices_status_issue_date", table_name="invoices")
