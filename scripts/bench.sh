#!/usr/bin/env bash
# The benchmark of issue 9: ten years of a large school on SQLite and PostgreSQL, every main page, issuing and the
# Excel export, each beside its floor; writes bench/results/report.md and report.json (exit 1 if a target is missed).
#   scripts/bench.sh                       both databases (PostgreSQL at BENCH_POSTGRES_URL, default local postgres)
#   scripts/bench.sh --backends sqlite     SQLite only;  --quick skips the ten-year export;  --fresh rebuilds the data
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m bench "$@"
