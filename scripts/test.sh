#!/usr/bin/env bash
# Set up, check the code habits, check the built wheel (scripts/check_wheel.sh), and run the
# whole test suite (LibreOffice and browser tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff format --check pipeline tests bench
.venv/bin/ruff check pipeline tests bench
.venv/bin/mypy pipeline
# the wheel, installed outside the checkout, runs the demo and writes every document
bash scripts/check_wheel.sh
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 "$@"
