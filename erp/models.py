"""Every model, imported in one place so that SQLAlchemy and Alembic see the whole schema."""
from erp.accounting.models import AccountSetting, ExportRun
from erp.audit.models import AuditEntry
from erp.auth.models import Role, User
from erp.catalog.models import CatalogItem, Material, StockMovement
from erp.clients.models import Client, ClientKind
from erp.funding.models import Instalment, Resource, SubsidyAgreement
from erp.invoicing.models import Invoice, InvoiceLine, JournalEntry, Payment, Reminder, invoice_deposits
from erp.jobs.models import Section, Student, StudentStatus, Team, team_members
from erp.jobs.work_models import Job, JobCost, JobLine, JobStatus, TimeEntry, job_students
from erp.mail.models import MailMessage
from erp.numbering import Counter
from erp.portal.models import PortalLink
from erp.quotes.models import Quote, QuoteLine, QuoteMaterial, QuoteStatus
from erp.settings.models import FiscalYear, School, VatRegime

__all__ = [
    "AccountSetting", "ExportRun",
    "Instalment", "Resource", "SubsidyAgreement",
    "Invoice", "InvoiceLine", "JournalEntry", "Payment", "Reminder", "invoice_deposits",
    "AuditEntry", "CatalogItem", "Job", "JobCost", "JobLine", "JobStatus", "StockMovement", "TimeEntry",
    "job_students", "Client", "ClientKind", "Counter", "FiscalYear", "MailMessage", "Material",
    "PortalLink", "Quote", "QuoteLine", "QuoteMaterial", "QuoteStatus", "Role", "School", "Section", "Student",
    "StudentStatus", "Team", "User", "VatRegime", "team_members",
]
