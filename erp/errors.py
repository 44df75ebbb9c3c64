"""Domain errors: raised by services, turned into French messages by views."""
from flask_babel import lazy_gettext as _l


class DomainError(Exception):
    """A broken business rule; its message is shown to the user as it is."""

    default_message = _l("This action is not allowed.")
    status_code = 409

    def __init__(self, message=None, field: str | None = None):
        self.message = message or self.default_message
        self.field = field  #: the form field the message belongs beside, if any
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    """Input that passes the form but breaks a rule of the domain."""

    status_code = 422


class IllegalTransition(DomainError):
    """A status change that the document's state machine does not allow."""

    default_message = _l("This change of status is not allowed.")


class StaleEdit(DomainError):
    """The record changed since the form was opened; saving would overwrite someone's work."""

    default_message = _l(
        "Someone else saved this record after you opened it. "
        "Reload the page to see their changes, then make yours again."
    )


def check_version(record, submitted_version) -> None:
    """Refuse an edit made on an older version of the record (optimistic locking)."""
    try:
        submitted = int(submitted_version)
    except (TypeError, ValueError):
        raise StaleEdit() from None
    if submitted != record.version:
        raise StaleEdit()
