"""Run in its own process so its peak memory is the export's: the accountant's workbook of a period, or the
openpyxl floor for the very same rows and styles.

    python -m bench.export_probe export|floor DATABASE_URL START END OUTPUT   → one line of JSON
"""
import json
import resource
import sys
import time
from datetime import date
from io import BytesIO
from pathlib import Path


def _peak_mb() -> float:
    """This process's own peak resident memory. Not getrusage's ru_maxrss: Linux carries it over from the parent
    through fork and exec, so the benchmark's own memory would be reported."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _capture(start: date, end: date) -> list[dict]:
    """The rows each sheet of the workbook receives, with the kind of every cell, recorded on a first run."""
    from erp.accounting import sheets, workbook

    captured = []
    original_init, original_row = sheets.Sheet.__init__, sheets.Sheet.row

    def init(self, book, title, columns):
        original_init(self, book, title, columns)
        captured.append({"title": title, "columns": columns, "rows": []})

    def row(self, values, kinds=None):
        captured[-1]["rows"].append((list(values), kinds or [column.kind for column in self.columns]))
        original_row(self, values, kinds)

    sheets.Sheet.__init__, sheets.Sheet.row = init, row
    try:
        workbook.write_workbook(BytesIO(), start, end, date.today())
    finally:
        sheets.Sheet.__init__, sheets.Sheet.row = original_init, original_row
    return captured


def write_floor(captured: list[dict], output: str) -> None:
    """openpyxl write-only and nothing else: the same cells, number formats, header style, widths, frozen
    header, autofilter and totals row — values already computed, no database, no formatting."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    from erp.accounting.sheets import HEADER_FILL, HEADER_FONT, NUMBER_FORMATS as formats, TOTAL_BORDER, TOTAL_FONT

    book = Workbook(write_only=True)
    for sheet in captured:
        ws = book.create_sheet(sheet["title"])
        for index, column in enumerate(sheet["columns"], start=1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet["columns"]:
            cell = WriteOnlyCell(ws, column.header)
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        ws.append(header)
        for values, kinds in sheet["rows"]:
            cells = []
            for value, kind in zip(values, kinds):
                if value is None or value == "" or kind == "text":
                    cells.append(value)
                    continue
                cell = WriteOnlyCell(ws, value)
                if kind in formats:
                    cell.number_format = formats[kind]
                cells.append(cell)
            ws.append(cells)
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet['columns']))}{len(sheet['rows']) + 1}"
        totals = []
        for index, column in enumerate(sheet["columns"]):
            if not column.summed:
                totals.append(None)
                continue
            cell = WriteOnlyCell(ws, sum(values[index] or 0 for values, _ in sheet["rows"]))
            cell.number_format, cell.font, cell.border = formats[column.kind], TOTAL_FONT, TOTAL_BORDER
            totals.append(cell)
        if any(total is not None for total in totals):
            first = WriteOnlyCell(ws, "Total")
            first.font, first.border = TOTAL_FONT, TOTAL_BORDER
            totals[0] = first
            ws.append(totals)
    book.save(output)


def main(mode: str, url: str, start: str, end: str, output: str) -> dict:
    from bench.pages import bench_config
    from erp import create_app
    from erp.accounting.workbook import write_workbook

    start_day, end_day = date.fromisoformat(start), date.fromisoformat(end)
    app = create_app(bench_config(url))
    with app.app_context():
        if mode == "export":
            began = time.perf_counter()
            summary = write_workbook(output, start_day, end_day, date.today())
            return {"seconds": round(time.perf_counter() - began, 2), "peak_mb": _peak_mb(),
                    "rows": sum(summary.rows.values())}
        captured = _capture(start_day, end_day)
    began = time.perf_counter()
    write_floor(captured, output)
    return {"seconds": round(time.perf_counter() - began, 2), "rows": sum(len(s["rows"]) for s in captured)}


if __name__ == "__main__":
    print(json.dumps(main(*sys.argv[1:6])))
