#!/usr/bin/env bash
# Set up, then build the demo workspace in ./demo and run the whole flow in it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/musrenbang demo "${1:-demo}"
