"""The search index: Pagefind (the PyPI package carries its binary) over the written pages.

Pagefind reads the HTML files, indexes what is inside ``data-pagefind-body``
and writes ``pagefind/`` into the site; the browser fetches only the index
chunks a query needs, so search works from GitHub Pages and from any folder
served over HTTP, at any sub-path.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from opsrepo.errors import OpsrepoError

#: Pagefind must finish within this (it takes about a second for thousands of pages)
TIMEOUT_SECONDS = 600
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"


@dataclass(frozen=True)
class SearchIndex:
    """What indexing reported."""

    pages: int
    words: int


def index_site(out: Path) -> SearchIndex:
    """Index every page of the site at ``out`` (replacing ``out/pagefind``)."""
    command = [sys.executable, "-m", "pagefind", "--site", str(out), "--keep-index-url",
               "--force-language", "en"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                  check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise OpsrepoError(f"the search indexer (Pagefind) did not run: {exc}", _HINT) from None
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
        raise OpsrepoError("the search indexer (Pagefind) failed: " + " / ".join(detail), _HINT)
    return SearchIndex(_count(finished.stdout, "pages"), _count(finished.stdout, "words"))


def _count(output: str, what: str) -> int:
    """The number in Pagefind's ``Indexed 12 pages`` summary line (0 when absent)."""
    for line in output.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "Indexed" and words[2] == what and words[1].isdigit():
            return int(words[1])
    return 0
