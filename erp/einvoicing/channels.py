"""How an issued document reaches its client: by e-mail today; through a Plateforme Agréée when the school
must issue e-invoices (September 2027), by registering an adapter with the same two methods."""
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from erp.errors import ValidationFailed
from erp.invoicing.models import Invoice


class Channel(Protocol):
    """A way of sending the issued Factur-X file (`invoice.pdf`) to the client."""

    code: str

    def send(self, actor, invoice: Invoice) -> None:
        """Send the document; raise a DomainError with a French message when it cannot be sent."""

    def describe(self, invoice: Invoice) -> str:
        """Where the document goes, for the page ("par e-mail à …", "via la plateforme …")."""


class EmailChannel:
    """The Factur-X PDF attached to an e-mail with the client's private link."""

    code = "email"

    def send(self, actor, invoice: Invoice) -> None:
        from erp.invoicing.delivery import send_invoice

        if not invoice.client.email:
            raise ValidationFailed(_l("This client has no e-mail address."))
        send_invoice(actor, invoice)

    def describe(self, invoice: Invoice) -> str:
        return f"par e-mail à {invoice.client.email}"


_channels: dict[str, Channel] = {}


def register(channel: Channel) -> None:
    """Make a channel available under its code (INVOICE_CHANNEL chooses it)."""
    _channels[channel.code] = channel


def current() -> Channel:
    """The channel configured for this school."""
    code = current_app.config["INVOICE_CHANNEL"]
    if code not in _channels:
        raise RuntimeError(f"no invoice channel registered as {code!r}")
    return _channels[code]


register(EmailChannel())
