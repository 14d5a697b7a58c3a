#!/usr/bin/env bash
# Run Sayso's whole test suite. pytest's "no tests collected" (exit 5) counts as a failure.
set -uo pipefail
cd "$(dirname "$0")/.."
export RASA_TELEMETRY_ENABLED=false

echo "Checking code style with ruff."
.venv/bin/ruff check . || exit 1
.venv/bin/ruff format --check . || exit 1

.venv/bin/python -m pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "No tests were collected. That is a failure, not a pass." >&2
  exit 1
fi
exit "$status"
