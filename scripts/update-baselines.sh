#!/usr/bin/env bash
# Writes the browser tests' screenshot baselines (tests/browser/baselines/) again, from this checkout:
# every page template of the example site at 390 and 1280 px, light and dark, as
# tests/browser/test_pages.py takes them (clock pinned at the tests' instant, animations off).
# Run it once a change to how pages look is meant, and after merging branches that change pages;
# then look at the images (`git diff --stat tests/browser/baselines`, an image viewer) and commit them.
# docs/browser-tests.md says more. Arguments go to pytest (e.g. -n 2).
#
#   bash scripts/update-baselines.sh
#   OPSREPO_PYTHON=/path/to/python bash scripts/update-baselines.sh   (a Python that has the test lock)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${OPSREPO_PYTHON:-}
if [ -z "$python" ]; then
  bash scripts/setup-test-env.sh
  python=.venv/bin/python
fi
rm -rf tests/browser/baselines   # a template that is gone leaves no baseline behind
OPSREPO_UPDATE_BASELINES=1 "$python" -m pytest tests/browser/test_pages.py -q \
  -k test_page_looks_like_its_baseline "$@"
echo "baselines: $(ls tests/browser/baselines | wc -l) screenshots in tests/browser/baselines/ ($(du -sh tests/browser/baselines | cut -f1))"
