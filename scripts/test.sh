#!/usr/bin/env bash
# The whole test suite, with every check CI runs. Installs what it needs first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup-test-env.sh
ruff check src tests benchmarks scripts
mypy
lint-imports
exec python3 -m pytest "$@"
