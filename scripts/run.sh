#!/usr/bin/env bash
# Set up, migrate a SQLite database under instance/, load the demo school if it is empty,
# print the demo logins and serve Atelier on http://127.0.0.1:5000
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export FLASK_APP=app.py
.venv/bin/flask db upgrade
.venv/bin/flask demo-data --if-empty
echo
echo "Atelier runs on http://127.0.0.1:5000 (Ctrl+C to stop)"
exec .venv/bin/flask run --host 127.0.0.1 --port "${PORT:-5000}"
