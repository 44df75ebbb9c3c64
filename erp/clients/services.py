"""Rules for clients: legal identifiers, likely duplicates, archiving."""
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from erp.audit.services import audited_save, record_action
from erp.clients.models import Client, ClientKind
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.settings.models import MAX_PAYMENT_TERMS_DAYS
from erp.settings.services import compact_identifier, normalise_legal_ids

CLIENT_FIELDS = (
    "kind", "name", "siren", "siret", "vat_number", "email", "phone", "address_line1", "address_line2", "postcode",
    "city", "site_line1", "site_line2", "site_postcode", "site_city", "payment_terms_days", "notes",
    "chorus_service_code", "chorus_engagement",
)
SORTS = {"name": Client.name, "city": Client.city, "created": Client.created_at.desc(), "kind": Client.kind}


def clean_identifiers(kind: ClientKind, siren: str, siret: str, vat_number: str) -> tuple[str, str, str]:
    """Check SIREN and SIRET (required for companies and public bodies — INV-06); derive SIREN from SIRET."""
    ids = normalise_legal_ids(siren=siren, siret=siret)
    siren = ids["siren"] or normalise_legal_ids(siren=ids["siret"][:9])["siren"]
    if kind.requires_siren and not siren:
        raise ValidationFailed(_l("A company or public body must give its SIREN or SIRET (required on invoices)."),
                               field="siren")
    return siren, ids["siret"], compact_identifier(vat_number)  # foreign EU numbers too: not checked as French


def likely_duplicates(*, siret: str = "", siren: str = "", email: str = "", exclude_id: int | None = None) -> list:
    """Clients that share this SIRET (or SIREN without SIRET) or e-mail: probably the same client."""
    conditions = []
    if siret:
        conditions.append(Client.siret == siret)
    elif siren:
        conditions.append(Client.siren == siren)
    if email:
        conditions.append(Client.email == email.lower())
    if not conditions:
        return []
    query = select(Client).where(or_(*conditions)).order_by(Client.name).limit(5)
    if exclude_id:
        query = query.where(Client.id != exclude_id)
    return list(db.session.scalars(query))


def duplicates_of(values: dict, exclude_id: int | None = None) -> list:
    """Likely duplicates of the client these form values describe (identifiers are checked first)."""
    siren, siret, _vat = clean_identifiers(values["kind"], values.get("siren", ""), values.get("siret", ""),
                                           values.get("vat_number", ""))
    return likely_duplicates(siret=siret, siren=siren, email=values.get("email") or "", exclude_id=exclude_id)


def save_client(actor, client: Client | None, *, version=None, **values) -> Client:
    """Create or update a client after checking identifiers, address and payment terms."""
    kind = values["kind"]
    values["siren"], values["siret"], values["vat_number"] = clean_identifiers(
        kind, values.get("siren", ""), values.get("siret", ""), values.get("vat_number", ""))
    values["email"] = (values.get("email") or "").strip().lower()
    terms = values.get("payment_terms_days")
    if terms is not None and not 0 <= terms <= MAX_PAYMENT_TERMS_DAYS:
        raise ValidationFailed(_l("Payment terms cannot exceed %(n)d days (art. L441-10 of the Commercial Code).",
                                  n=MAX_PAYMENT_TERMS_DAYS), field="payment_terms_days")
    if values.get("site_line1") and not (values.get("site_postcode") and values.get("site_city")):
        raise ValidationFailed(_l("Give the postcode and city of the work site."), field="site_city")
    with audited_save(actor, Client, client, version=version, fields=CLIENT_FIELDS, name="client") as client:
        for name in CLIENT_FIELDS:
            value = values.get(name)
            setattr(client, name, "" if value is None and name != "payment_terms_days" else value)
    return client


def set_archived(actor, client: Client, archived: bool) -> Client:
    """Archive a client (hidden from choices, documents kept) or bring it back."""
    if client.archived != archived:
        client.archived = archived
        record_action(actor, "client.archive" if archived else "client.unarchive", client)
    return client


def clients_query(*, search: str = "", kind: ClientKind | None = None, archived: bool = False,
                  sort: str = "name") -> Select:
    """Clients matching a search on name, city, e-mail or SIRET, with a sort among SORTS."""
    query = select(Client).where(Client.archived.is_(archived))
    if search:
        pattern = f"%{search.lower()}%"
        query = query.where(or_(func.lower(Client.name).like(pattern), func.lower(Client.city).like(pattern),
                                Client.email.like(pattern), Client.siret.like(f"{compact_identifier(search)}%")))
    if kind:
        query = query.where(Client.kind == kind)
    return query.order_by(SORTS.get(sort, Client.name), Client.id)


def client_choices() -> list[tuple[int, str]]:
    """(id, name · city) of the active clients, for select fields."""
    rows = db.session.execute(select(Client.id, Client.name, Client.city)
                              .where(Client.archived.is_(False)).order_by(Client.name))
    return [(row.id, f"{row.name} · {row.city}") for row in rows]
