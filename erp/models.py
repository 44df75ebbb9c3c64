"""Every model, imported in one place so that SQLAlchemy and Alembic see the whole schema."""
from erp.audit.models import AuditEntry
from erp.auth.models import Role, User
from erp.jobs.models import Section, Student, StudentStatus, Team, team_members
from erp.settings.models import FiscalYear, School, VatRegime

__all__ = [
    "AuditEntry", "FiscalYear", "Role", "School", "Section", "Student", "StudentStatus", "Team", "User",
    "VatRegime", "team_members",
]
