"""Writing one sheet of a write-only workbook: typed, styled cells, a frozen header, autofilter and a totals row."""
from dataclasses import dataclass
from decimal import Decimal

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

EURO = '#,##0.00\\ "€";\\-#,##0.00\\ "€"'
HOURS = "#,##0.00"
PERCENT = '0.0\\ "%"'
DAY = "DD/MM/YYYY"
#: the number format of each kind of column
NUMBER_FORMATS = {"money": EURO, "hours": HOURS, "percent": PERCENT, "date": DAY}
#: what a spreadsheet would read as the start of a formula (or of a DDE payload)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E5F")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="thin"))


@dataclass(frozen=True)
class Column:
    """A column: its header, width, and kind (text, date, money, hours or percent)."""

    header: str
    width: int = 14
    kind: str = "text"

    @property
    def summed(self) -> bool:
        return self.kind in ("money", "hours")


def clean_text(value) -> str:
    """Text as a spreadsheet may hold it: no control characters other than tab and newline."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


class Sheet:
    """One sheet, written row by row in openpyxl's write-only mode; money and hours columns are totalled."""

    def __init__(self, workbook, title: str, columns: list[Column]):
        self.ws = workbook.create_sheet(title)
        self.columns = columns
        self.totals = [Decimal(0) if column.summed else None for column in columns]
        self.rows = 0
        for index, column in enumerate(columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        self.ws.freeze_panes = "A2"  # must be set before the first row in write-only mode
        self.ws.append([self._header(column.header) for column in columns])

    def _header(self, text: str) -> Cell:
        cell = WriteOnlyCell(self.ws, text)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        return cell

    def text(self, value) -> Cell | str:
        """Text, never a formula: formula-like text is stored as a string with Excel's quote prefix."""
        value = clean_text(value)
        if not value.startswith(FORMULA_STARTS):
            return value
        cell = WriteOnlyCell(self.ws, value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell

    def _cell(self, value, kind: str, font: Font | None = None):
        if value is None or value == "":
            return None
        if kind == "text":
            return self.text(value)
        cell = WriteOnlyCell(self.ws, value)
        if kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[kind]
        if font is not None:
            cell.font, cell.border = font, TOTAL_BORDER
        return cell

    def row(self, values, kinds: list[str] | None = None) -> None:
        """Append one row; summed columns add to the totals row. `kinds` overrides the columns' kinds."""
        cells = []
        kinds = kinds or [column.kind for column in self.columns]
        for index, (column, kind, value) in enumerate(zip(self.columns, kinds, values, strict=True)):
            if column.summed and value is not None:
                self.totals[index] += value
            cells.append(self._cell(value, kind))
        self.ws.append(cells)
        self.rows += 1

    def close(self, label: str = "Total") -> None:
        """The totals row (zero totals for an empty period) and the autofilter over the data."""
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"
        if any(total is not None for total in self.totals):
            cells = [self._cell(total, column.kind, TOTAL_FONT) if total is not None else None
                     for column, total in zip(self.columns, self.totals)]
            first = WriteOnlyCell(self.ws, label)
            first.font, first.border = TOTAL_FONT, TOTAL_BORDER
            cells[0] = first
            self.ws.append(cells)

