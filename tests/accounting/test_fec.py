"""The sales and payment journals in FEC layout (france-invoicing.md §4, FEC-01..10)."""
import io
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from erp.accounting.fec import FIELDS, write_fec
from erp.errors import ValidationFailed
from erp.invoicing.models import Invoice, Payment
from tests.accounting.conftest import END, START

D = Decimal
AMOUNT = re.compile(r"^-?\d+,\d{2}$")  # FEC-04: decimal comma, no thousands separator
DAY = re.compile(r"^20\d{6}$")  # FEC-05: AAAAMMJJ


def _records(raw: bytes) -> list[list[str]]:
    text = raw.decode("utf-8")  # FEC-03: UTF-8, and no byte-order mark
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = text.split("\r\n")
    assert lines[-1] == ""
    return [line.split("\t") for line in lines[:-1]]


def test_fec_columns_formats_and_balance(db, books):
    stream = io.BytesIO()
    result = write_fec(stream, START, END)
    assert result.name == "732829320FEC20270831.txt"  # FEC-06: SIREN, FEC, closing date
    records = _records(stream.getvalue())
    assert records[0] == list(FIELDS) and len(FIELDS) == 18  # FEC-01: the field names first, in order
    body = records[1:]
    assert len(body) == result.lines and all(len(record) == 18 for record in body)  # FEC-02: one separator
    entries = defaultdict(lambda: [D(0), D(0)])
    numbers = defaultdict(list)
    for (journal, _lib, number, day, account, _alib, aux, _auxlib, piece, piece_day, label, debit, credit,
         letter, letter_day, valid_day, currency_amount, currency) in body:
        assert DAY.match(day) and DAY.match(piece_day) and DAY.match(valid_day)
        assert AMOUNT.match(debit) and AMOUNT.match(credit)
        assert account[:3].isdigit()  # FEC-10
        assert (letter, letter_day, currency_amount, currency) == ("", "", "", "")
        assert piece and label and "\n" not in label
        assert aux == "" or account.startswith("411")
        entries[number][0] += D(debit.replace(",", "."))
        entries[number][1] += D(credit.replace(",", "."))
        if number not in numbers[journal]:
            numbers[journal].append(number)
    assert all(debit == credit for debit, credit in entries.values())  # FEC-09
    assert result.debit == result.credit == sum(d for d, _c in entries.values())
    for journal, seen in numbers.items():  # FEC-08: continuous per journal
        assert seen == [f"{journal}2026-{n:06d}" for n in range(1, len(seen) + 1)]
    issued = db.session.scalar(select(func.count(Invoice.id)).where(Invoice.issue_date.between(START, END)))
    paid = db.session.scalar(select(func.count(Payment.id)).where(Payment.day.between(START, END)))
    assert result.entries == len(entries) == issued + paid


def test_labels_cannot_break_a_record(db, books):
    """The client's name holds a tab and a newline (FEC-02): they become spaces."""
    stream = io.BytesIO()
    write_fec(stream, START, END)
    names = {record[7] for record in _records(stream.getvalue())[1:] if record[7]}
    assert any(name.startswith('=HYPERLINK("http://evil.example","clic") SARL Dole') for name in names)


def test_the_fec_command_names_the_file_and_refuses_an_unknown_year(app, books, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app.cli, ["export-fec", "--year", "2026-2027", "-o", str(tmp_path)],
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    written = tmp_path / "732829320FEC20270831.txt"
    assert written.is_file() and not list(tmp_path.glob("*.part"))
    assert _records(written.read_bytes())[0] == list(FIELDS)
    refused = runner.invoke(app.cli, ["export-fec", "--year", "1999", "-o", str(tmp_path)])
    assert refused.exit_code != 0 and "no fiscal year" in refused.output


def test_no_siren_no_fec(db, school, books):
    school.siren = ""
    db.session.commit()
    with pytest.raises(ValidationFailed) as refused:
        write_fec(io.BytesIO(), START, END)
    assert "SIREN" in str(refused.value.message)
