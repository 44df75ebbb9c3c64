"""The rules of quotes: numbering, lines and totals, the costing estimate, and every status transition."""
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from erp.audit.services import record_action
from erp.catalog.models import CatalogItem, Material, Nature, Unit
from erp.clients.models import Client
from erp.columns import utcnow
from erp.documents.lines import MAX_QUANTITY, copy_line, line_values
from erp.errors import IllegalTransition, ValidationFailed, check_version
from erp.extensions import db
from erp.jobs.models import Section
from erp.money import ZERO, round_money
from erp.numbering import format_number, next_value
from erp.quotes.models import AcceptanceChannel, Quote, QuoteLine, QuoteMaterial, QuoteStatus
from erp.settings.services import get_school

S = QuoteStatus
#: the only moves a quote can make; anything else is refused with a clear message
TRANSITIONS = {
    S.DRAFT: {S.SENT, S.CANCELLED},
    S.SENT: {S.ACCEPTED, S.DECLINED, S.EXPIRED, S.CANCELLED},
    S.ACCEPTED: set(), S.DECLINED: set(), S.EXPIRED: set(), S.CANCELLED: set(),
}


def _move(quote: Quote, target: QuoteStatus) -> None:
    """The one place where a quote's status changes."""
    if target not in TRANSITIONS[quote.status]:
        raise IllegalTransition(_l("A quote that is “%(current)s” cannot become “%(target)s”.",
                                   current=quote.status.label, target=target.label))
    quote.status = target


def _require_draft(quote: Quote) -> None:
    if quote.is_frozen:
        raise IllegalTransition(_l("Only a draft can be changed. Duplicate this quote to make a new version."))


def refresh_totals(quote: Quote) -> Quote:
    """Recompute the cached totals and the estimated cost; stamp the change so other editors' forms go stale."""
    quote.updated_at = utcnow()
    totals = quote.totals()
    quote.total_net, quote.total_vat, quote.total_gross = totals.net, totals.vat, totals.gross
    materials = sum((m.cost for m in quote.materials), ZERO)
    labour = round_money((quote.student_hours + quote.craftsman_hours) * quote.labour_rate)
    quote.estimated_cost = materials + labour + quote.other_costs
    return quote


def create_quote(actor, *, client: Client, section: Section, title: str, today: date,
                 site_address: str = "", deposit_percent: Decimal = ZERO, terms: str = "") -> Quote:
    """Open a draft quote numbered D-YYYY-NNNN, valid for the school's default period."""
    if client.archived:
        raise ValidationFailed(_l("This client is archived."), field="client_id")
    _check_deposit(deposit_percent)
    school = get_school()
    quote = Quote(
        number=format_number("D", today.year, next_value("D", today.year), 4), client=client, section=section,
        title=title, site_address=site_address, issue_date=today,
        valid_until=today + timedelta(days=school.quote_validity_days), deposit_percent=deposit_percent,
        terms=terms, labour_rate=section.hourly_rate, created_by_id=getattr(actor, "id", None))
    db.session.add(quote)
    db.session.flush()
    record_action(actor, "quote.create", quote)
    return quote


def _check_deposit(deposit_percent: Decimal) -> None:
    if not ZERO <= deposit_percent <= Decimal(100):
        raise ValidationFailed(_l("The deposit is a percentage between 0 and 100."), field="deposit_percent")


def update_quote(actor, quote: Quote, *, version, title: str, client: Client, site_address: str,
                 valid_until: date, deposit_percent: Decimal, terms: str) -> Quote:
    """Change a draft's heading: client, title, site, validity, deposit, terms."""
    check_version(quote, version)
    _require_draft(quote)
    _check_deposit(deposit_percent)
    if valid_until < quote.issue_date:
        raise ValidationFailed(_l("The validity date cannot be before the quote's date."), field="valid_until")
    if client.archived and client.id != quote.client_id:
        raise ValidationFailed(_l("This client is archived."), field="client_id")
    quote.title, quote.client, quote.site_address = title, client, site_address
    quote.valid_until, quote.deposit_percent, quote.terms = valid_until, deposit_percent, terms
    record_action(actor, "quote.update", quote)
    return quote


def add_line(actor, quote: Quote, *, version, item: CatalogItem | None = None, **values) -> QuoteLine:
    """Add a line, from a catalog item (its price, VAT rate, unit and nature by default) or free text."""
    check_version(quote, version)
    _require_draft(quote)
    if item is not None:
        defaults = dict(label=item.label, unit=item.unit, unit_price=item.unit_price, vat_rate=item.vat_rate,
                        nature=item.nature)
        values = defaults | {k: v for k, v in values.items() if v not in (None, "")}
    values.setdefault("discount_percent", ZERO)
    values.setdefault("unit", Unit.PIECE)
    values.setdefault("nature", Nature.SERVICES)
    line = QuoteLine(position=len(quote.lines) + 1, catalog_item_id=item.id if item else None,
                     **line_values(**values))
    quote.lines.append(line)
    refresh_totals(quote)
    record_action(actor, "quote.line_add", quote, {"line": line.label[:80], "net": str(line.net)})
    return line


def update_line(actor, quote: Quote, line: QuoteLine, *, version, **values) -> QuoteLine:
    """Change one line of a draft."""
    check_version(quote, version)
    _require_draft(quote)
    for name, value in line_values(**values).items():
        setattr(line, name, value)
    refresh_totals(quote)
    record_action(actor, "quote.line_update", quote, {"line": line.label[:80], "net": str(line.net)})
    return line


def remove_line(actor, quote: Quote, line: QuoteLine, *, version) -> None:
    """Remove a line of a draft and renumber the others."""
    check_version(quote, version)
    _require_draft(quote)
    quote.lines.remove(line)
    for position, other in enumerate(quote.lines, start=1):
        other.position = position
    refresh_totals(quote)
    record_action(actor, "quote.line_remove", quote, {"line": line.label[:80]})


def move_line(actor, quote: Quote, line: QuoteLine, *, version, offset: int) -> None:
    """Move a line up (-1) or down (+1)."""
    check_version(quote, version)
    _require_draft(quote)
    lines = list(quote.lines)
    index = lines.index(line)
    target = min(max(index + offset, 0), len(lines) - 1)
    lines.insert(target, lines.pop(index))
    for position, other in enumerate(lines, start=1):
        other.position = position
    refresh_totals(quote)


def set_estimate(actor, quote: Quote, *, version, student_hours: Decimal, craftsman_hours: Decimal,
                 labour_rate: Decimal, other_costs: Decimal, other_costs_note: str) -> Quote:
    """Set the internal estimate: hours, hourly rate and other costs (materials are added one by one)."""
    check_version(quote, version)
    _require_draft(quote)
    for field, value in (("student_hours", student_hours), ("craftsman_hours", craftsman_hours),
                         ("labour_rate", labour_rate), ("other_costs", other_costs)):
        if value < 0:
            raise ValidationFailed(_l("This value cannot be negative."), field=field)
    quote.student_hours, quote.craftsman_hours, quote.labour_rate = student_hours, craftsman_hours, labour_rate
    quote.other_costs, quote.other_costs_note = other_costs, other_costs_note
    refresh_totals(quote)
    record_action(actor, "quote.estimate", quote, {"estimated_cost": str(quote.estimated_cost)})
    return quote


def add_material(actor, quote: Quote, *, version, material: Material, quantity: Decimal) -> QuoteMaterial:
    """Add a material to the estimate at its current unit cost."""
    check_version(quote, version)
    _require_draft(quote)
    if not ZERO < quantity <= MAX_QUANTITY:
        raise ValidationFailed(_l("The quantity must be more than 0."), field="quantity")
    entry = QuoteMaterial(material=material, quantity=quantity, unit_cost=material.unit_cost)
    quote.materials.append(entry)
    refresh_totals(quote)
    record_action(actor, "quote.material_add", quote, {"material": material.code, "quantity": str(quantity)})
    return entry


def remove_material(actor, quote: Quote, entry: QuoteMaterial, *, version) -> None:
    """Take a material out of the estimate."""
    check_version(quote, version)
    _require_draft(quote)
    quote.materials.remove(entry)
    refresh_totals(quote)
    record_action(actor, "quote.material_remove", quote, {"material": entry.material.code})


def send_quote(actor, quote: Quote, *, today: date) -> Quote:
    """Freeze a draft and mark it sent, dated today, with the same validity period as drafted."""
    _require_lines(quote)
    validity = max(quote.valid_until - quote.issue_date, timedelta(days=1))
    _move(quote, QuoteStatus.SENT)
    quote.issue_date, quote.valid_until, quote.sent_at = today, today + validity, utcnow()
    record_action(actor, "quote.send", quote)
    return quote


def _require_lines(quote: Quote) -> None:
    if not quote.lines:
        raise ValidationFailed(_l("A quote needs at least one line before it is sent."))
    if quote.total_gross <= 0:
        raise ValidationFailed(_l("A quote must have a total above zero before it is sent."))


def accept_quote(actor, quote: Quote, *, today: date, name: str, channel: AcceptanceChannel, ip: str = "",
                 user_agent: str = "", vat_certified: bool = False) -> Quote:
    """Record the client's "bon pour accord": who, when, from where; refuses an expired quote."""
    if quote.status is QuoteStatus.SENT and quote.valid_until < today:
        expire_quote(quote)
        raise IllegalTransition(_l("This quote expired on %(day)s and can no longer be accepted.",
                                   day=quote.valid_until.strftime("%d/%m/%Y")))
    if not name.strip():
        raise ValidationFailed(_l("Type the name of the person who accepts."), field="name")
    if quote.uses_reduced_home_rate and not vat_certified:
        raise ValidationFailed(_l("The reduced 10 percent rate requires the client's certification."), field="vat_certified")
    _move(quote, QuoteStatus.ACCEPTED)
    quote.acceptance_channel, quote.accepted_by_name = channel, name.strip()[:120]
    quote.accepted_ip, quote.accepted_user_agent = ip[:45], user_agent[:300]
    quote.vat_certified, quote.decided_at = vat_certified, utcnow()
    record_action(actor, "quote.accept", quote, {"by": quote.accepted_by_name, "channel": channel.value, "ip": ip})
    return quote


def decline_quote(actor, quote: Quote, *, reason: str = "") -> Quote:
    """The client declines; the reason, if given, is kept."""
    _move(quote, QuoteStatus.DECLINED)
    quote.decline_reason, quote.decided_at = reason.strip()[:2000], utcnow()
    record_action(actor, "quote.decline", quote, {"reason": quote.decline_reason[:200]})
    return quote


def cancel_quote(actor, quote: Quote) -> Quote:
    """Withdraw a draft or a sent quote."""
    _move(quote, QuoteStatus.CANCELLED)
    record_action(actor, "quote.cancel", quote)
    return quote


def expire_quote(quote: Quote) -> Quote:
    """A sent quote past its validity date."""
    _move(quote, QuoteStatus.EXPIRED)
    record_action(None, "quote.expire", quote)
    return quote


def expire_overdue_quotes(today: date) -> int:
    """Mark every sent quote whose validity date has passed as expired; returns how many."""
    overdue = list(db.session.scalars(select(Quote).where(Quote.status == QuoteStatus.SENT,
                                                          Quote.valid_until < today)))
    for quote in overdue:
        expire_quote(quote)
    return len(overdue)


def duplicate_quote(actor, quote: Quote, *, today: date) -> Quote:
    """A new draft with the same client, lines and estimate: how a sent quote is changed."""
    copy = create_quote(actor, client=quote.client, section=quote.section, title=quote.title, today=today,
                        site_address=quote.site_address, deposit_percent=quote.deposit_percent, terms=quote.terms)
    copy.duplicated_from_id = quote.id
    for line in quote.lines:
        copy.lines.append(copy_line(line, QuoteLine))
    for entry in quote.materials:
        copy.materials.append(QuoteMaterial(material_id=entry.material_id, quantity=entry.quantity,
                                            unit_cost=entry.unit_cost))
    copy.student_hours, copy.craftsman_hours = quote.student_hours, quote.craftsman_hours
    copy.labour_rate, copy.other_costs, copy.other_costs_note = (quote.labour_rate, quote.other_costs,
                                                                 quote.other_costs_note)
    db.session.flush()
    refresh_totals(copy)
    record_action(actor, "quote.duplicate", copy, {"from": quote.number})
    return copy


def quotes_query(*, client_id: int | None = None, section_id: int | None = None, status: QuoteStatus | None = None,
                 search: str = "") -> Select:
    """Quotes, newest first, with client and section loaded (no query per row)."""
    query = (select(Quote).options(selectinload(Quote.client), selectinload(Quote.section))
             .order_by(Quote.id.desc()))
    if client_id:
        query = query.where(Quote.client_id == client_id)
    if section_id:
        query = query.where(Quote.section_id == section_id)
    if status:
        query = query.where(Quote.status == status)
    if search:
        pattern = f"%{search.lower()}%"
        query = query.join(Quote.client).where(or_(Quote.number.ilike(pattern), Quote.title.ilike(pattern),
                                                   Client.name.ilike(pattern)))
    return query

