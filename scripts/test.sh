#!/usr/bin/env bash
# Set up and run the whole test suite: on SQLite, and on PostgreSQL too when TEST_DATABASE_URL is set
# (e.g. TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
exec .venv/bin/python -m pytest "$@"
