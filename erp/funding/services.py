"""Recording the school's other resources and following its subsidy agreements."""
from datetime import date, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from erp.accounting.chart import default_resource_account
from erp.audit.services import record_action
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.funding.models import FunderKind, Instalment, Resource, ResourceKind, SubsidyAgreement
from erp.settings.services import fiscal_year_for

MAX_AMOUNT = Decimal("100000000")


def _check_amount(amount: Decimal, field: str = "amount") -> None:
    if not Decimal(0) < amount <= MAX_AMOUNT:
        raise ValidationFailed(_l("The amount must be more than 0."), field=field)


def _fiscal_year(day: date, field: str = "day"):
    fiscal_year = fiscal_year_for(day)
    if fiscal_year is None:
        raise ValidationFailed(_l("No fiscal year covers %(day)s: open it first in the settings.",
                                  day=day.strftime("%d/%m/%Y")), field=field)
    return fiscal_year


def record_resource(actor, *, kind: ResourceKind, funder: str, funder_kind: FunderKind, day: date, amount: Decimal,
                    account: str = "", reference: str = "", notes: str = "") -> Resource:
    """A donation, sponsorship, apprenticeship-tax balance or subsidy, in the fiscal year of its date."""
    _check_amount(amount)
    if not funder.strip():
        raise ValidationFailed(_l("Name who gives."), field="funder")
    account = (account or default_resource_account(kind)).strip()
    if not account[:3].isdigit():
        raise ValidationFailed(_l("An account number starts with three digits, e.g. 706000."), field="account")
    resource = Resource(kind=kind, funder=funder.strip(), funder_kind=funder_kind, day=day, amount=amount,
                        fiscal_year_id=_fiscal_year(day).id, account=account, reference=reference.strip(),
                        notes=notes.strip(), created_by_id=getattr(actor, "id", None))
    db.session.add(resource)
    db.session.flush()
    record_action(actor, "resource.record", resource, {"amount": str(amount), "kind": kind.value})
    return resource


def grant_subsidy(actor, *, funder: str, funder_kind: FunderKind, purpose: str, amount: Decimal, granted_on: date,
                  justification_due: date | None, instalments: list[tuple[date, Decimal]], reference: str = "",
                  ) -> SubsidyAgreement:
    """A subsidy agreement: the amount granted counts as a resource of its year; instalments track the cash."""
    _check_amount(amount)
    if sum((value for _day, value in instalments), Decimal(0)) > amount:
        raise ValidationFailed(_l("The instalments add up to more than the amount granted."), field="instalments")
    if justification_due and justification_due < granted_on:
        raise ValidationFailed(_l("The report cannot be due before the grant."), field="justification_due")
    agreement = SubsidyAgreement(funder=funder.strip(), funder_kind=funder_kind, purpose=purpose.strip(),
                                 amount_granted=amount, granted_on=granted_on, justification_due=justification_due,
                                 reference=reference.strip())
    agreement.instalments = [Instalment(amount=value, expected_on=day) for day, value in instalments]
    db.session.add(agreement)
    db.session.flush()
    resource = record_resource(actor, kind=ResourceKind.SUBSIDY, funder=funder, funder_kind=funder_kind,
                               day=granted_on, amount=amount, reference=reference, notes=purpose)
    resource.agreement_id = agreement.id
    record_action(actor, "subsidy.grant", agreement, {"amount": str(amount)})
    return agreement


def add_instalment(actor, agreement: SubsidyAgreement, *, expected_on: date, amount: Decimal) -> Instalment:
    """Another expected payment; all of them never exceed the amount granted."""
    _check_amount(amount)
    if sum((i.amount for i in agreement.instalments), Decimal(0)) + amount > agreement.amount_granted:
        raise ValidationFailed(_l("The instalments add up to more than the amount granted."), field="amount")
    instalment = Instalment(amount=amount, expected_on=expected_on)
    agreement.instalments.append(instalment)
    record_action(actor, "subsidy.instalment", agreement, {"amount": str(amount), "expected": str(expected_on)})
    return instalment


def receive_instalment(actor, instalment: Instalment, *, day: date) -> Instalment:
    """The public body paid."""
    if instalment.received_on is not None:
        raise ValidationFailed(_l("This instalment was already received."))
    instalment.received_on = day
    record_action(actor, "subsidy.received", instalment.agreement, {"amount": str(instalment.amount)})
    return instalment


def resources_query(*, fiscal_year_id: int | None = None, kind: ResourceKind | None = None) -> Select:
    """Resources, newest first."""
    query = select(Resource).order_by(Resource.day.desc(), Resource.id.desc())
    if fiscal_year_id:
        query = query.where(Resource.fiscal_year_id == fiscal_year_id)
    if kind:
        query = query.where(Resource.kind == kind)
    return query


def due_soon(today: date, days: int = 60) -> tuple[list[SubsidyAgreement], list[Instalment]]:
    """Reports due within `days` (not yet sent) and instalments expected by then but not received."""
    horizon = today + timedelta(days=days)
    reports = db.session.scalars(select(SubsidyAgreement).where(
        SubsidyAgreement.justified_on.is_(None), SubsidyAgreement.justification_due <= horizon)
        .order_by(SubsidyAgreement.justification_due)).all()
    instalments = db.session.scalars(select(Instalment).options(selectinload(Instalment.agreement)).where(
        Instalment.received_on.is_(None), Instalment.expected_on <= horizon).order_by(Instalment.expected_on)).all()
    return list(reports), list(instalments)
