#!/usr/bin/env bash
# Prepare this machine for Atelier: system libraries, a virtualenv with the pinned dependencies,
# compiled translations. Safe to run again: it only does what is missing.
#   scripts/setup.sh          what the app needs
#   scripts/setup.sh --test   plus what the test suite needs (Chromium, Poppler, test packages)
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=false
[ "${1:-}" = "--test" ] && with_tests=true
PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}

# Debian packages: Pango and fonts for WeasyPrint's PDFs, venv support, and for tests a real browser.
packages=(libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core)
$PYTHON -c "import ensurepip, venv" 2>/dev/null || packages+=(python3-venv)
$with_tests && packages+=(chromium poppler-utils)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The virtualenv, reinstalled only when the pinned requirements change.
requirements=requirements.txt
$with_tests && requirements=requirements-dev.txt
[ -x .venv/bin/python ] || $PYTHON -m venv .venv
stamp=".venv/.installed-$(cat requirements.txt "$requirements" | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Translations are compiled from the committed .po catalogs.
.venv/bin/pybabel compile --statistics -d erp/translations 2>&1 | grep -v "^compiling" || true
mkdir -p instance
