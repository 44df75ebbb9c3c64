"""Run the benchmark: `python -m bench [--backends sqlite,postgresql] [--repeat 30] [--quick] [--fresh]`.

Writes bench/results/report.md and report.json, and exits 1 if a target is missed.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import databases, floors, issuing, pages, report
from bench.timing import QueryCounter

RESULTS = Path(__file__).resolve().parent / "results"


def fiscal_periods(url: str) -> dict[str, tuple[str, str]]:
    """One year (the last one already closed) and all the years of the database."""
    engine = create_engine(url)
    with engine.connect() as connection:
        years = connection.execute(text("SELECT start_date, end_date FROM fiscal_years ORDER BY start_date")).all()
    engine.dispose()
    closed = [year for year in years if str(year[1]) < date.today().isoformat()] or years
    return {"1 an": (str(closed[-1][0]), str(closed[-1][1])), f"{len(years)} ans": (str(years[0][0]), str(years[-1][1]))}


def probe(mode: str, url: str, start: str, end: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        completed = subprocess.run([sys.executable, "-m", "bench.export_probe", mode, url, start, end,
                                    str(Path(folder) / f"{mode}.xlsx")], cwd=databases.ROOT, check=True,
                                   capture_output=True, text=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run_backend(backend: str, options, counter: QueryCounter) -> dict:
    print(f"\n== {backend}")
    small = databases.prepare(backend, 2, options.fresh)
    large = databases.prepare(backend, 10, options.fresh)
    print("  pages, 10 years:")
    result = {"pages": [f.as_dict() for f in pages.measure_pages(large, options.repeat, counter)]}
    print("  pages, 2 years (query counts):")
    result["pages_small"] = [f.as_dict() for f in pages.measure_pages(small, max(5, options.repeat // 3), counter)]
    result["bare"] = floors.bare_endpoint(large, options.repeat, counter).as_dict()
    print(f"  bare endpoint p50 {result['bare']['p50']} ms p95 {result['bare']['p95']} ms")
    issued, html = issuing.measure_issuing(large, options.repeat, counter)
    result["issuing"] = issued.as_dict()
    result["weasyprint"] = floors.weasyprint_floor(html, options.repeat).as_dict()
    print(f"  issuing p50 {issued.p50} ms, WeasyPrint floor p50 {result['weasyprint']['p50']} ms")
    result["exports"] = {}
    for label, (start, end) in fiscal_periods(large).items():
        if options.quick and label != "1 an":
            continue
        exported, floor = probe("export", large, start, end), probe("floor", large, start, end)
        result["exports"][label] = {"period": [start, end], "export": exported, "floor": floor}
        print(f"  export {label}: {exported['seconds']} s, {exported['peak_mb']} MB, {exported['rows']} rows; "
              f"openpyxl floor {floor['seconds']} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (at least 30 for the report)")
    parser.add_argument("--quick", action="store_true", help="skip the ten-year export")
    parser.add_argument("--fresh", action="store_true", help="rebuild the benchmark databases")
    options = parser.parse_args()
    counter = QueryCounter()
    results = {"run": {"at": datetime.now().isoformat(timespec="seconds"), "repeat": options.repeat,
                       "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"},
               "backends": {backend: run_backend(backend, options, counter)
                            for backend in options.backends.split(",")}}
    verdicts = report.evaluate(results)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "report.json").write_text(json.dumps(results | {"targets": verdicts}, indent=2, ensure_ascii=False))
    markdown = report.markdown(results, verdicts)
    (RESULTS / "report.md").write_text(markdown)
    print("\n" + markdown)
    return 0 if all(v["pass"] for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
