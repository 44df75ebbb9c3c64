"""The legal wording printed on quotes and invoices (france-invoicing.md §1)."""
from collections.abc import Iterable

from erp.catalog.models import Nature
from erp.settings.models import School, VatRegime

VAT_REGIME_MENTIONS = {
    VatRegime.FRANCHISE: "TVA non applicable, art. 293 B du CGI",
    VatRegime.EXEMPT: "Exonération de TVA – art. 261-7-1°-b du CGI",
}


def vat_regime_mention(school: School) -> str:
    """INV-15: why no VAT is charged, or nothing for a school liable to VAT."""
    return VAT_REGIME_MENTIONS.get(school.vat_regime, "")


def nature_label(natures: Iterable[Nature]) -> str:
    """INV-08: goods only, services only, or both."""
    kinds = set(natures)
    if kinds == {Nature.GOODS}:
        return "livraison de biens"
    if kinds == {Nature.SERVICES}:
        return "prestation de services"
    return "livraison de biens et prestation de services"


def payment_terms_text(days: int) -> str:
    """The agreed payment period in words."""
    return "à réception" if days == 0 else f"à {days} jours à compter de la date de facture"
