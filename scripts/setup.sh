#!/usr/bin/env bash
# Set up a fresh Debian/Ubuntu machine: LibreOffice + metric-compatible fonts and PostgreSQL
# (apt), then a virtual environment in .venv with the project and its test tools. Safe to run
# again.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2
  fonts-crosextra-carlito fonts-crosextra-caladea poppler-utils python3-uno
  chromium chromium-driver  # chromium: the Pemantauan page tested in a real browser
  postgresql postgresql-client)  # PostgreSQL: the ledger tests run on it too (scripts/postgres.sh)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  echo "setup: memasang ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".[dev]"
echo "setup: selesai ($(.venv/bin/python --version), $(command -v soffice || echo 'soffice TIDAK ada'))"
