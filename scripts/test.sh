#!/usr/bin/env bash
# The whole test suite, with every check CI runs, from the repository's own virtual environment
# (.venv/, which scripts/setup-test-env.sh makes from requirements/test.lock and installs the rest
# the tests need). Arguments go to pytest; its closing line is its own, the wall time comes after.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup-test-env.sh
export VIRTUAL_ENV="$PWD/.venv"
export PATH="$VIRTUAL_ENV/bin:$PATH"   # the tests run `opsrepo` and workflow steps by name
ruff check src tests benchmarks scripts
mypy
lint-imports
status=0
# one worker per CPU (each worker that runs browser tests makes their sites and starts Chromium once);
# a test that must not share a worker's session with another names a group: @pytest.mark.xdist_group
python -m pytest -n auto --dist loadgroup "$@" || status=$?
echo "wall time: $(( $(date +%s) - start )) s (set-up, ruff, mypy, lint-imports and pytest)"
exit "$status"
