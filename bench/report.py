"""The targets of issue 9, checked against the measures; the report in markdown."""
PAGE_P95_MS = 100  # on SQLite with ten years of data
PAGE_BARE_RATIO = 3
EXPORT_FLOOR_RATIO = 1.25
EXPORT_PEAK_MB = 150  # for ten years
ISSUE_FLOOR_RATIO = 1.5


def _verdict(target: str, backend: str, measured: str, ok: bool) -> dict:
    return {"target": target, "backend": backend, "measured": measured, "pass": ok}


def evaluate(results: dict) -> list[dict]:
    """One verdict per target and backend."""
    verdicts = []
    for backend, r in results["backends"].items():
        bare = r["bare"]["p95"]
        worst = max(r["pages"], key=lambda page: page["p95"])
        if backend == "sqlite":
            verdicts.append(_verdict(f"every page p95 < {PAGE_P95_MS} ms (10 years)", backend,
                                     f"slowest: {worst['name']} {worst['p95']} ms", worst["p95"] < PAGE_P95_MS))
        verdicts.append(_verdict(f"every page p95 < {PAGE_BARE_RATIO}× the bare endpoint ({bare} ms)", backend,
                                 f"slowest: {worst['name']} {worst['p95'] / bare:.1f}×",
                                 worst["p95"] < PAGE_BARE_RATIO * bare))
        changed = [large["name"] for large, small in zip(r["pages"], r["pages_small"]) if large["queries"] != small["queries"]]
        verdicts.append(_verdict("query count independent of data size (2 years = 10 years)", backend,
                                 ", ".join(changed) or "equal on every page", not changed))
        for label, e in r["exports"].items():
            ratio = e["export"]["seconds"] / e["floor"]["seconds"]
            verdicts.append(_verdict(f"Excel export {label} ≤ {EXPORT_FLOOR_RATIO}× the openpyxl floor", backend,
                                     f"{e['export']['seconds']} s / {e['floor']['seconds']} s = {ratio:.2f}×",
                                     ratio <= EXPORT_FLOOR_RATIO))
            if label != "1 an":
                verdicts.append(_verdict(f"Excel export {label}: peak memory < {EXPORT_PEAK_MB} MB", backend,
                                         f"{e['export']['peak_mb']} MB", e["export"]["peak_mb"] < EXPORT_PEAK_MB))
        ratio = r["issuing"]["p50"] / r["weasyprint"]["p50"]
        verdicts.append(_verdict(f"issuing ≤ {ISSUE_FLOOR_RATIO}× the WeasyPrint floor (p50, no schematron)", backend,
                                 f"{r['issuing']['p50']} ms / {r['weasyprint']['p50']} ms = {ratio:.2f}×",
                                 ratio <= ISSUE_FLOOR_RATIO))
    return verdicts


def markdown(results: dict, verdicts: list[dict]) -> str:
    """The report: targets first, then every figure with its ratio to its floor."""
    run = results["run"]
    lines = ["# Atelier benchmark", "",
             f"{run['at']} — {run['machine']} — {run['repeat']} timed requests per figure after a warm-up; "
             "server time (WSGI call in process, no network), milliseconds.", "",
             "## Targets", "", "| Target | Base | Measured | |", "|---|---|---|---|"]
    lines += [f"| {v['target']} | {v['backend']} | {v['measured']} | {'PASS' if v['pass'] else 'FAIL'} |"
              for v in verdicts]
    for backend, r in results["backends"].items():
        bare = r["bare"]
        lines += ["", f"## {backend}", "",
                  f"Floor: {bare['name']} — p50 {bare['p50']} ms, p95 {bare['p95']} ms, {bare['queries']} query.", "",
                  "| Page (10 years) | p50 ms | p95 ms | p95 / bare | queries | queries (2 years) |",
                  "|---|---:|---:|---:|---:|---:|"]
        for large, small in zip(r["pages"], r["pages_small"]):
            lines.append(f"| {large['name']} | {large['p50']} | {large['p95']} | {large['p95'] / bare['p95']:.1f}× "
                         f"| {large['queries']} | {small['queries']} |")
        issued, floor = r["issuing"], r["weasyprint"]
        lines += ["", "| Operation | Measured | Floor | Ratio |", "|---|---:|---:|---:|",
                  f"| {issued['name']} (p50 / p95) | {issued['p50']} / {issued['p95']} ms, {issued['queries']} queries "
                  f"| {floor['p50']} / {floor['p95']} ms | {issued['p50'] / floor['p50']:.2f}× |"]
        for label, e in r["exports"].items():
            lines.append(f"| Excel export {label} ({e['export']['rows']} rows, {e['period'][0]} → {e['period'][1]}) "
                         f"| {e['export']['seconds']} s, peak {e['export']['peak_mb']} MB | {e['floor']['seconds']} s "
                         f"| {e['export']['seconds'] / e['floor']['seconds']:.2f}× |")
    return "\n".join(lines) + "\n"
