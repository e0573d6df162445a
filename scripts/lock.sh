#!/usr/bin/env bash
# Regenerates requirements/test.lock: opsrepo's runtime dependencies, its `test` and `bench`
# extras and its build backend (requirements/build.in), within requirements/constraints.txt, resolved to exact versions with the hashes of every file
# PyPI serves for them, for every Python opsrepo supports (>= 3.11) and every platform; and
# requirements/pip.lock, the pip that scripts/setup-test-env.sh installs first to read it.
#
#   bash scripts/lock.sh                    keep the locked versions that still fit, add what is new
#   bash scripts/lock.sh --upgrade          the newest versions of everything
#   bash scripts/lock.sh --upgrade-package pyyaml
#
# The resolver is uv (`uv pip compile`), from PyPI at the version below, in a venv of its own
# (.venv-lock/, gitignored), so that it works where the system Python refuses `pip install`.
set -euo pipefail
cd "$(dirname "$0")/.."
UV_VERSION=0.13.9
python=${PYTHON:-python3}
if [ ! -x .venv-lock/bin/uv ] || [ "$(.venv-lock/bin/uv --version | cut -d' ' -f2)" != "$UV_VERSION" ]; then
  "$python" -m venv --clear .venv-lock
  .venv-lock/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
.venv-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "bash scripts/lock.sh" \
  --extra test --extra bench pyproject.toml requirements/build.in \
  --constraint requirements/constraints.txt \
  --output-file requirements/test.lock "$@"
.venv-lock/bin/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "bash scripts/lock.sh" \
  requirements/pip.in --output-file requirements/pip.lock "$@"
