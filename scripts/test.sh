#!/usr/bin/env bash
# Set up, check the code habits, and run the whole test suite (LibreOffice tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff format --check pipeline tests bench
.venv/bin/ruff check pipeline tests bench
.venv/bin/mypy pipeline
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 "$@"
