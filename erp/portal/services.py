"""Issuing, checking and revoking client links (DESIGN §5: signed, expiring, revocable, scoped)."""
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from erp.audit.services import record_action
from erp.columns import utcnow
from erp.extensions import db
from erp.portal.models import PortalLink
from erp.settings.services import get_school

SALT = "atelier-portal-link"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def token_for(link: PortalLink) -> str:
    """The signed token that goes into the link's URL."""
    return _serializer().dumps([link.id, link.nonce])


def issue_link(actor, *, document_type: str, document_id: int, client_id: int,
               now: datetime | None = None) -> PortalLink:
    """A new link to one document, valid for the school's link lifetime."""
    now = now or utcnow()
    link = PortalLink(document_type=document_type, document_id=document_id, client_id=client_id,
                      nonce=secrets.token_hex(16), created_at=now,
                      expires_at=now + timedelta(days=get_school().portal_link_days),
                      created_by_id=getattr(actor, "id", None))
    db.session.add(link)
    db.session.flush()
    record_action(actor, "portal.link", link, {"expires": link.expires_at.date().isoformat()})
    return link


def current_link(document_type: str, document_id: int, now: datetime | None = None) -> PortalLink | None:
    """The newest usable link to a document, if any."""
    now = now or utcnow()
    links = db.session.scalars(select(PortalLink).where(
        PortalLink.document_type == document_type, PortalLink.document_id == document_id,
        PortalLink.revoked_at.is_(None)).order_by(PortalLink.id.desc()))
    return next((link for link in links if link.is_usable(now)), None)


def resolve_token(token: str, document_type: str, now: datetime | None = None) -> PortalLink | None:
    """The link behind a token, if the signature holds, the nonce matches, and it is neither revoked nor expired."""
    try:
        link_id, nonce = _serializer().loads(token)
    except (BadSignature, ValueError, TypeError):
        return None
    link = db.session.get(PortalLink, link_id) if isinstance(link_id, int) else None
    if link is None or link.document_type != document_type or not isinstance(nonce, str):
        return None
    if not hmac.compare_digest(link.nonce, nonce) or not link.is_usable(now or utcnow()):
        return None
    return link


def mark_opened(link: PortalLink) -> None:
    """Remember when the client last opened the link."""
    db.session.execute(update(PortalLink).where(PortalLink.id == link.id).values(last_opened_at=utcnow()))


def revoke_links(actor, document_type: str, document_id: int) -> int:
    """Revoke every link to a document; returns how many were live."""
    links = list(db.session.scalars(select(PortalLink).where(
        PortalLink.document_type == document_type, PortalLink.document_id == document_id,
        PortalLink.revoked_at.is_(None))))
    for link in links:
        link.revoked_at = utcnow()
        record_action(actor, "portal.revoke", link)
    return len(links)
