#!/usr/bin/env bash
# Makes .venv/ (gitignored), the repository's own virtual environment, so that nothing is installed
# into the system's Python (which may refuse it: PEP 668). It holds exactly requirements/test.lock,
# hash-checked (opsrepo's dependencies at the tested versions, with the test and bench tools), and
# opsrepo itself, editable: .venv/bin/opsrepo. Idempotent; .venv is made again from nothing whenever
# the lock or the interpreter changes, so nothing installed earlier can make a test pass.
#
# The interpreter is python3, or $PYTHON; it must be 3.11 or newer. Where it cannot make a venv
# (Debian's python3 comes without ensurepip) Debian's python3-venv is installed.
#
# With OPSREPO_NEWEST_DEPS=1 (the weekly newest-deps workflow) .venv is made afresh from the newest
# releases instead, `pip install -e '.[test]'` ignoring the lock, and `pip list` says which; the next
# set-up without it makes .venv from the lock again.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
if ! command -v "$python" >/dev/null 2>&1; then
  echo "opsrepo set-up: no $python: opsrepo needs Python 3.11 or newer (PYTHON names another)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "opsrepo set-up: $("$python" --version 2>&1) is too old: opsrepo needs 3.11 or newer (PYTHON names another)" >&2
  exit 1
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)
new_venv() {
  "$python" -c 'import ensurepip' 2>/dev/null || bash scripts/apt-install.sh python3-venv
  "$python" -m venv --clear .venv
}
if [ -n "${OPSREPO_NEWEST_DEPS:-}" ]; then
  echo "opsrepo set-up: making .venv from the newest releases (not the lock)" >&2
  new_venv
  "${pip[@]}" --upgrade pip
  "${pip[@]}" -e '.[test]'
  .venv/bin/python -m pip list --disable-pip-version-check
  echo newest > .venv/opsrepo-lock
  sha256sum pyproject.toml > .venv/opsrepo-project
  exit 0
fi
stamp="$("$python" -c 'import sys; print(sys.executable, sys.version)' | head -n 1) $(cat requirements/pip.lock requirements/test.lock | sha256sum)"
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/opsrepo-lock 2>/dev/null)" != "$stamp" ]; then
  echo "opsrepo set-up: making .venv from requirements/test.lock" >&2
  new_venv
  # first the pip of the lock: the one venv brings may be too old to read it (23.2 refuses extras with hashes)
  "${pip[@]}" --require-hashes -r requirements/pip.lock
  "${pip[@]}" --require-hashes -r requirements/test.lock
  rm -f .venv/opsrepo-project
  printf '%s\n' "$stamp" > .venv/opsrepo-lock
fi
# opsrepo itself, again when pyproject.toml changed; its build backend is in the lock, so no
# unlocked build environment is fetched
project="$(sha256sum pyproject.toml)"
if [ "$(cat .venv/opsrepo-project 2>/dev/null)" != "$project" ]; then
  "${pip[@]}" --no-deps --no-build-isolation -e .
  printf '%s\n' "$project" > .venv/opsrepo-project
fi
