"""The chart of accounts: which account each flow is booked on, with the defaults of france-invoicing.md §4.4."""
import re
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from erp.accounting.models import AccountSetting
from erp.audit.services import record_action
from erp.catalog.models import VAT_RATES, Nature
from erp.errors import ValidationFailed
from erp.extensions import db
from erp.funding.models import ResourceKind
from erp.invoicing.models import PaymentMethod
from erp.settings.services import get_school


@dataclass(frozen=True)
class Account:
    """An account number and its label, as the accountant's software knows them."""

    number: str
    label: str


def _rate_key(rate: Decimal) -> str:
    return f"vat:{Decimal(rate).quantize(Decimal('0.01'))}"


#: key → (default number, default label, the class the number must belong to)
DEFAULTS: dict[str, tuple[str, str, str]] = {
    "clients": ("411000", "Clients", "411"),
    "deposits": ("419100", "Clients – avances et acomptes reçus", "419"),
    "revenue:goods": ("701000", "Ventes de produits finis", "7"),
    "revenue:services": ("706000", "Prestations de services", "7"),
    _rate_key(Decimal("20")): ("4457120", "TVA collectée 20 %", "4457"),
    _rate_key(Decimal("10")): ("4457110", "TVA collectée 10 %", "4457"),
    _rate_key(Decimal("5.5")): ("4457105", "TVA collectée 5,5 %", "4457"),
    _rate_key(Decimal("2.1")): ("4457102", "TVA collectée 2,1 %", "4457"),
    "payment:transfer": ("512000", "Banque", "5"),
    "payment:cheque": ("511200", "Chèques à encaisser", "5"),
    "payment:card": ("511500", "Cartes bancaires à encaisser", "5"),
    "payment:cash": ("530000", "Caisse", "5"),
    "resource:donation": ("754100", "Dons manuels", "7"),
    "resource:patronage": ("754200", "Mécénat", "7"),
    "resource:sponsorship": ("706300", "Parrainages", "7"),
    "resource:apprenticeship_tax": ("748000", "Solde de la taxe d’apprentissage", "7"),
    "resource:subsidy": ("741000", "Subventions d’exploitation", "7"),
}
#: labels of the usual revenue accounts, for an account typed on a catalog item
CLASS_LABELS = {"701": "Ventes de produits finis", "704": "Travaux", "706": "Prestations de services",
                "707": "Ventes de marchandises", "708": "Produits des activités annexes", "7": "Produits"}
ACCOUNT_NUMBER = re.compile(r"^[0-9]{3}[0-9A-Z]{0,7}$")


def section_key(nature: Nature, section_id: int) -> str:
    return f"revenue:{nature.value}:{section_id}"


class Chart:
    """The school's accounts, loaded once: every lookup after that is in memory."""

    def __init__(self, saved: dict[str, Account]):
        self.saved = saved
        self._by_number = {account.number: account.label for account in self._all()}

    def _all(self):
        yield from (self.account(key) for key in DEFAULTS)
        yield from self.saved.values()

    def account(self, key: str) -> Account:
        if key in self.saved:
            return self.saved[key]
        number, label, _class = DEFAULTS[key]
        return Account(number, label)

    def vat(self, rate: Decimal) -> Account:
        return self.account(_rate_key(rate))

    def payment(self, method: PaymentMethod) -> Account:
        return self.account(f"payment:{method.value}")

    def resource(self, kind: ResourceKind) -> Account:
        return self.account(f"resource:{kind.value}")

    def revenue(self, nature: Nature, section_id: int | None, item_account: str = "") -> Account:
        """A catalog item's own account first, then the section's for the nature, then the school's."""
        if item_account:
            return Account(item_account, self.label_of(item_account))
        if section_id is not None and section_key(nature, section_id) in self.saved:
            return self.saved[section_key(nature, section_id)]
        return self.account(f"revenue:{nature.value}")

    def label_of(self, number: str) -> str:
        """The label of a number the chart knows, else of its class."""
        if number in self._by_number:
            return self._by_number[number]
        return CLASS_LABELS.get(number[:3]) or CLASS_LABELS.get(number[:1], "Compte " + number)


def load_chart() -> Chart:
    """The school's chart of accounts (one query)."""
    rows = db.session.scalars(select(AccountSetting))
    return Chart({row.key: Account(row.number, row.label) for row in rows})


def default_resource_account(kind: ResourceKind) -> str:
    return load_chart().resource(kind).number


def check_number(number: str, required_class: str, field: str) -> str:
    """An account number: digits of the French chart first (FEC-10), in the class its flow belongs to."""
    number = number.strip().upper()
    if not ACCOUNT_NUMBER.match(number):
        raise ValidationFailed(_l("An account number starts with three digits, e.g. 706000 (at most 10 characters)."),
                               field=field)
    if not number.startswith(required_class):
        raise ValidationFailed(_l("This flow is booked on a %(prefix)s… account.", prefix=required_class),
                               field=field)
    return number


def chart_keys(section_ids) -> list[str]:
    """Every key the settings page edits: the school's flows, then each section's revenue per nature."""
    return [*DEFAULTS, *(section_key(nature, section_id) for section_id in section_ids for nature in Nature)]


def save_chart(actor, values: dict[str, tuple[str, str]], section_ids=()) -> None:
    """Save the accounts typed on the settings page; a blank section account falls back to the school's."""
    saved = {row.key: row for row in db.session.scalars(select(AccountSetting))}
    changes = {}
    for key in chart_keys(section_ids):
        number, label = (part.strip() for part in values.get(key, ("", "")))
        field = field_name(key)
        if key not in DEFAULTS and not number:
            if key in saved:
                db.session.delete(saved.pop(key))
                changes[key] = None
            continue
        required = DEFAULTS[key][2] if key in DEFAULTS else "7"
        number = check_number(number, required, field)
        label = label[:80] or (DEFAULTS[key][1] if key in DEFAULTS else CLASS_LABELS.get(number[:3], "Produits"))
        row = saved.get(key) or AccountSetting(key=key)
        if (row.number, row.label) != (number, label):
            row.number, row.label = number, label
            db.session.add(row)
            changes[key] = number
    db.session.flush()
    if changes:
        record_action(actor, "accounts.update", get_school(), changes, label="Plan comptable")


def field_name(key: str) -> str:
    """The form field of a key: letters, digits and underscores only."""
    return re.sub(r"[^a-z0-9]", "_", key.lower())


VAT_KEYS = [_rate_key(rate) for rate in VAT_RATES if rate]
