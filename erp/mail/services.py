"""Sending e-mail: through SMTP when MAIL_SERVER is set, else into the outbox; the log keeps both."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app
from flask_babel import lazy_gettext as _l

from erp.errors import DomainError
from erp.extensions import db
from erp.mail.models import MailMessage


class MailNotSent(DomainError):
    """The mail server refused or could not be reached; nothing was changed."""

    default_message = _l("The e-mail could not be sent (mail server unreachable). Nothing was changed; try again.")
    status_code = 502


def _build(recipient: str, subject: str, body: str, attachments, sender_name: str) -> EmailMessage:
    config = current_app.config
    message = EmailMessage()
    message["From"] = formataddr((sender_name, config["MAIL_SENDER"]))
    message["To"] = recipient
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    if config.get("MAIL_REPLY_TO"):
        message["Reply-To"] = config["MAIL_REPLY_TO"]
    message.set_content(body)
    for filename, mimetype, content in attachments:
        maintype, _, subtype = mimetype.partition("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    return message


def _deliver(message: EmailMessage) -> None:
    config = current_app.config
    timeout = config["MAIL_TIMEOUT"]
    try:
        if config["MAIL_USE_SSL"]:
            smtp = smtplib.SMTP_SSL(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout,
                                    context=ssl.create_default_context())
        else:
            smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=timeout)
        with smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning("mail to %s not sent: %s", message["To"], error)
        raise MailNotSent() from error


def send_mail(recipient: str, subject: str, body: str, *, attachments=(), sender_name: str = "",
              record=None) -> MailMessage:
    """Send one plain-text e-mail with attachments [(filename, mimetype, bytes)] and log it."""
    message = _build(recipient, subject, body, list(attachments), sender_name)
    transport = "smtp" if current_app.config.get("MAIL_SERVER") else "outbox"
    if transport == "smtp":
        _deliver(message)
    entry = MailMessage(
        recipient=recipient, subject=subject[:250], body=body, transport=transport, raw=message.as_bytes(),
        attachment_names=", ".join(name for name, _mime, _content in attachments)[:500],
        record_type=record.__tablename__ if record is not None else "", record_id=getattr(record, "id", None))
    db.session.add(entry)
    return entry
