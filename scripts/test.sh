#!/usr/bin/env bash
# Set up, check the code habits, check the built wheel (scripts/check_wheel.sh), and run the
# whole test suite (LibreOffice, browser and PostgreSQL tests included).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# a PostgreSQL server for the ledger tests; when none can be started (no root, no package)
# those tests skip, giving the reason postgres.sh printed (MUSRENBANG_TEST_PG_WHY)
if [ -z "${MUSRENBANG_TEST_PG:-}" ]; then
  pg_why=$(mktemp)
  MUSRENBANG_TEST_PG=$(bash scripts/postgres.sh 2>"$pg_why" | tail -n 1)
  MUSRENBANG_TEST_PG_WHY=$(tail -n 1 "$pg_why")
  cat "$pg_why" >&2
  rm -f "$pg_why"
  export MUSRENBANG_TEST_PG MUSRENBANG_TEST_PG_WHY
fi
.venv/bin/ruff format --check pipeline tests bench
.venv/bin/ruff check pipeline tests bench
.venv/bin/mypy pipeline
# the wheel, installed outside the checkout, runs the demo and writes every document
bash scripts/check_wheel.sh
.venv/bin/python -m pytest -q -p no:cacheprovider --timeout=600 "$@"
