"""Build the same ops repos with two opsrepo sources and check every written file is byte-identical.

    python scripts/compare_sites.py BASE_SRC REPO [REPO ...] [--search]

``BASE_SRC`` is the ``src`` folder of the opsrepo to compare against (e.g.
``git archive main src | tar -x -C /tmp/base``); the other side is this
checkout's ``src``. Each repo's site is built by both, each as a whole
``python -m opsrepo site build`` process with one job (and ``--no-search``
unless ``--search``), at the same ``OPSREPO_NOW``, into fresh folders.

Every file must be equal, except what differs by design: in the build's
manifest (``.opsrepo-site.json``) the design hash and each page's input hash
are left out (both hash opsrepo's own code: a changed renderer re-renders
every page), as is the design hash each kept part's key starts with
(``.opsrepo-site-parts.json``), and the search index's part folders are compared by number, not
by their random names (``pagefind/0-3f5887d2/`` is ``pagefind/0-*/``, the
recent part's ``pagefind/recent-*/``, in ``pagefind/parts.json`` and the word
counts ``.opsrepo-site-tokens.json`` too, whose words are compared in any
order); a part's filter, meta and entry files are left
out (two builds of the same site by the same opsrepo differ there: Pagefind
writes something of its own run into them), its fragments (each page's
indexed text) and word index are compared. Exits 1 and names the files
that differ.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE_SRC = Path(__file__).resolve().parent.parent / "src"
NOW = "2026-12-07T09:00:00+00:00"
MANIFEST = ".opsrepo-site.json"
#: the parts of pages made from parts (the Reliability page), kept for the next build
PARTS = ".opsrepo-site-parts.json"
#: the search index's count of each word, which names its parts
COUNTS = ".opsrepo-site-tokens.json"
#: a part of the search index: its number (or ``recent``: the recent part), then a name made at random by
#: each build
PART = re.compile(r"\b(\d+|recent)-[0-9a-f]{8}\b")
#: the files of a search part that differ between two builds of the same site
PAGEFIND_RUN = re.compile(
    r"pagefind/(?:\d+|recent)-\*/(?:filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)\Z")


def build(src: Path, repo: Path, out: Path, search: bool) -> None:
    """The site of ``repo`` built by the opsrepo in ``src``."""
    env = {**os.environ, "OPSREPO_SRC": str(src), "PYTHONPATH": str(src), "OPSREPO_NOW": NOW}
    command = [sys.executable, "-m", "opsrepo", "site", "build", "--repo", str(repo), "--out", str(out),
               "--jobs", "1", "--search" if search else "--no-search"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def files(folder: Path) -> dict[str, Path]:
    """Every file below ``folder``, by its relative path (a search part's folder by its number)."""
    named = {_part_numbered(p.relative_to(folder).as_posix()): p for p in folder.rglob("*") if p.is_file()}
    return {path: file for path, file in named.items() if not PAGEFIND_RUN.match(path)}


def _part_numbered(path: str) -> str:
    return PART.sub(r"\1-*", path) if path.startswith("pagefind/") else path


def comparable(path: str, data: bytes) -> Any:
    """What must be equal: the bytes, the manifest without the hashes of opsrepo's code, the search
    index's list of parts and its word counts without the parts' random names."""
    if path == "pagefind/parts.json":
        return PART.sub(r"\1-*", data.decode())
    if path == COUNTS:  # a word's count, whatever order the build's set of words gave
        return json.loads(PART.sub(r"\1-*", data.decode()))
    if path == PARTS:  # each part's key starts with the design hash
        kept = json.loads(data)
        for parts in kept["pages"].values():
            for part in parts.values():
                part["key"] = part["key"].split(":", 1)[1]
        return kept
    if path != MANIFEST:
        return data
    manifest = json.loads(data)
    manifest.pop("design")
    for record in manifest["pages"].values():
        record.pop("print")
    return manifest


def differences(base: Path, branch: Path) -> list[str]:
    """The paths that differ between two built sites (or exist in one only)."""
    left, right = files(base), files(branch)
    found = sorted(set(left) ^ set(right))
    for path in sorted(set(left) & set(right)):
        if comparable(path, left[path].read_bytes()) != comparable(path, right[path].read_bytes()):
            found.append(path)
    return found


def main() -> int:
    """Compare the sites of each repo; 1 when any file differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_src", type=Path)
    parser.add_argument("repos", type=Path, nargs="+")
    parser.add_argument("--search", action="store_true", help="build the search index too")
    args = parser.parse_args()
    failed = False
    for repo in args.repos:
        with tempfile.TemporaryDirectory() as tmp:
            base, branch = Path(tmp, "base"), Path(tmp, "branch")
            build(args.base_src.resolve(), repo.resolve(), base, args.search)
            build(HERE_SRC, repo.resolve(), branch, args.search)
            found = differences(base, branch)
            print(f"{repo}: {len(files(branch))} files, {len(found)} differ{': ' if found else ''}"
                  + ", ".join(found[:20]))
            failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
