"""The search index: Pagefind (the PyPI package carries its binary) over the written pages.

Pagefind reads the HTML files, indexes what is inside ``data-pagefind-body``
and writes ``pagefind/`` into the site; the browser fetches only the index
chunks a query needs, so search works from GitHub Pages and from any folder
served over HTTP, at any sub-path.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from opsrepo.errors import OpsrepoError

#: the index's folder in the site
FOLDER = "pagefind"
#: Pagefind must finish within this (it takes about a second for thousands of pages)
TIMEOUT_SECONDS = 600
#: files of Pagefind's bundle the site never loads (it has its own search page)
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js", "pagefind-component-ui.css",
           "pagefind-modular-ui.js", "pagefind-modular-ui.css", "pagefind-highlight.js")
_HINT = "reinstall opsrepo (pip install 'pagefind[bin]'), or build with --no-search"


@dataclass(frozen=True)
class SearchIndex:
    """What indexing reported."""

    pages: int
    words: int


def index_site(out: Path) -> SearchIndex:
    """Index every page of the site at ``out``, replacing ``out/pagefind`` as a whole.

    Pagefind writes into a new folder that then takes the old one's place:
    it never deletes the files of an earlier index (their names are content
    hashes), so writing over the old folder would leave them piling up.
    """
    new = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=out))
    try:
        command = [_executable(), "--site", str(out), "--output-path", str(new), "--keep-index-url",
                   "--force-language", "en"]
        try:
            finished = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
                                      check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise OpsrepoError(f"the search indexer (Pagefind) did not run: {exc}", _HINT) from None
        if finished.returncode != 0:
            detail = (finished.stderr or finished.stdout).strip().splitlines()[-3:]
            raise OpsrepoError("the search indexer (Pagefind) failed: " + " / ".join(detail), _HINT)
        for name in _UNUSED:
            (new / name).unlink(missing_ok=True)
        _swap(new, out / FOLDER)
    finally:
        shutil.rmtree(new, ignore_errors=True)
    return SearchIndex(_count(finished.stdout, "pages"), _count(finished.stdout, "words"))


def _swap(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is; the old one is removed."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _executable() -> str:
    """Pagefind's binary: the package's own, or one named by ``$PAGEFIND_BINARY_PATH`` or found on PATH.

    Run directly rather than through ``python -m pagefind``, which would
    start a second interpreter only to hand over to it.
    """
    from pagefind.service import get_executable

    found = get_executable()
    if found is None:
        raise OpsrepoError("the search indexer (Pagefind) is not installed", _HINT)
    return str(found)


def _count(output: str, what: str) -> int:
    """The number in Pagefind's ``Indexed 12 pages`` summary line (0 when absent)."""
    for line in output.splitlines():
        words = line.split()
        if len(words) == 3 and words[0] == "Indexed" and words[2] == what and words[1].isdigit():
            return int(words[1])
    return 0
