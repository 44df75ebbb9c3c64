"""The outbox: every e-mail the school sent or stored, readable and downloadable."""
from flask import Blueprint, Response, render_template
from sqlalchemy import select

from erp.auth.policy import staff
from erp.extensions import db
from erp.mail.models import MailMessage
from erp.web import paginate

bp = Blueprint("mail", __name__, url_prefix="/outbox")


@bp.route("/")
@staff
def index():
    """Messages sent or waiting in the outbox, newest first."""
    page = paginate(select(MailMessage).order_by(MailMessage.id.desc()))
    return render_template("mail/index.html", page=page)


@bp.route("/<int:message_id>")
@staff
def show(message_id: int):
    """One message as it was sent."""
    return render_template("mail/show.html", message=db.get_or_404(MailMessage, message_id))


@bp.route("/<int:message_id>.eml")
@staff
def raw(message_id: int):
    """The message file, attachments included, to open in a mail program."""
    message = db.get_or_404(MailMessage, message_id)
    return Response(message.raw, mimetype="message/rfc822",
                    headers={"Content-Disposition": f'attachment; filename="message-{message.id}.eml"'})
