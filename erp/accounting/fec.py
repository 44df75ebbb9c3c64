"""The sales and payment journals of a fiscal year in the FEC layout (LPF A47 A-1; france-invoicing.md §4).

The school's books are kept by its accountant: this is the sales side for import (journals VE, BQ, CA), not
the whole FEC of the association (§4.1 scope note)."""
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from erp.accounting.chart import load_chart
from erp.accounting.entries import entries
from erp.accounting.ledger import last_sequence
from erp.errors import ValidationFailed
from erp.settings.services import get_school

#: the 18 fields, in the order of the decree (FEC-01, §4.2)
FIELDS = ("JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum",
          "CompAuxLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet",
          "ValidDate", "Montantdevise", "Idevise")
SEPARATOR = "\t"  # FEC-02
NEWLINE = "\r\n"
_UNSAFE = re.compile(r"[\t\r\n|\x00-\x1f\x7f]+")


def file_name(siren: str, closing: date) -> str:
    """<SIREN>FEC<closing date>.txt (FEC-06)."""
    return f"{siren}FEC{closing:%Y%m%d}.txt"


def amount(value: Decimal) -> str:
    """Decimal comma, no thousands separator, sign first (FEC-04)."""
    return f"{value:.2f}".replace(".", ",")


def day(value: date | None) -> str:
    """AAAAMMJJ (FEC-05)."""
    return value.strftime("%Y%m%d") if value else ""


def text(value: str) -> str:
    """A value that can never break a record: separators, newlines and control characters become spaces."""
    return _UNSAFE.sub(" ", value).strip()


@dataclass(frozen=True)
class FecResult:
    """The file's name and what it holds."""

    name: str
    entries: int
    lines: int
    debit: Decimal
    credit: Decimal


def school_siren(field: str | None = None) -> str:
    """The school's SIREN, which names the file; refused, beside `field`, when the settings lack it."""
    siren = get_school().siren
    if not siren:
        raise ValidationFailed(_l("Enter the school's SIREN in the settings: it names the FEC file."), field=field)
    return siren


def write_fec(stream, start: date, end: date) -> FecResult:
    """Write the journals of the fiscal year from `start` to `end` to a binary stream, UTF-8 without BOM (FEC-03),
    in the order entries were validated (FEC-07), each balanced (FEC-09)."""
    siren = school_siren()
    chart = load_chart()
    upto = last_sequence()
    stream.write((SEPARATOR.join(FIELDS) + NEWLINE).encode())
    count = lines = 0
    debit = credit = Decimal("0.00")
    for batch in entries(chart, start, end, upto):
        records = []
        for entry in batch:
            if entry.debit != entry.credit:  # never hand over an unbalanced entry
                raise RuntimeError(f"entry {entry.number} ({entry.piece}) does not balance")
            for line in entry.lines:
                records.append(SEPARATOR.join((
                    entry.journal.code, entry.journal.label, entry.number, day(entry.day), line.account.number,
                    text(line.account.label), line.aux_number, text(line.aux_label), text(entry.piece),
                    day(entry.piece_date), text(entry.label), amount(line.debit), amount(line.credit), "", "",
                    day(entry.validated_on), "", "")))
                debit += line.debit
                credit += line.credit
            count += 1
        lines += len(records)
        stream.write("".join(record + NEWLINE for record in records).encode())
    return FecResult(file_name(siren, end), count, lines, debit, credit)
