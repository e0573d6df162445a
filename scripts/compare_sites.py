"""Build the same ops repos with two opsrepo sources and check every written file is byte-identical.

    python scripts/compare_sites.py BASE_SRC REPO [REPO ...] [--search] [--edit]

``BASE_SRC`` is the ``src`` folder of the opsrepo to compare against (e.g.
``git archive main src | tar -x -C /tmp/base``); the other side is this
checkout's ``src``. Each repo's site is built by both, each as a whole
``python -m opsrepo site build`` process with one job (and ``--no-search``
unless ``--search``), at the same ``OPSREPO_NOW``, into fresh folders.

Every file must be equal, except what differs by design: in the build's
manifest (``.opsrepo-site.json``) the design hash, each page's input hash and
the digest of each kind of input are left out (all hash opsrepo's own code or
follow its way of hashing: a changed renderer re-renders every page), as are
its format and each page's links (a record lists those a kept page checks,
which opsrepo may choose); the shifts kept for the next build are compared as
rows, whichever file and format keep them (``.opsrepo-site-shifts.json``, or
``.pickle`` by column), without the key of their inputs (a digest too); as
is each kept part's key (``.opsrepo-site-parts.json``: the design hash and
a digest of the input digests the part reads), and the search index's part
folders are compared by number, not by their random names (``pagefind/0-3f5887d2/`` is ``pagefind/0-*/``, the
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
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path
from typing import Any

HERE_SRC = Path(__file__).resolve().parent.parent / "src"
NOW = "2026-12-07T09:00:00+00:00"
#: the instants of the builds after an edit (``--edit``)
LATER, LATEST = "2026-12-07T09:01:00+00:00", "2026-12-07T09:02:00+00:00"
MANIFEST = ".opsrepo-site.json"
#: the parts of pages made from parts (the Reliability page), kept for the next build
PARTS = ".opsrepo-site-parts.json"
#: the search index's count of each word, which names its parts
COUNTS = ".opsrepo-site-tokens.json"
#: the shifts kept for the next build, in either of their files (compared as rows, by this name)
SHIFTS, SHIFTS_FILES = "<kept shifts>", (".opsrepo-site-shifts.json", ".opsrepo-site-shifts.pickle")
#: a part of the search index: its number (or ``recent``: the recent part), then a name made at random by
#: each build
PART = re.compile(r"\b(\d+|recent)-[0-9a-f]{8}\b")
#: the files of a search part that differ between two builds of the same site
PAGEFIND_RUN = re.compile(
    r"pagefind/(?:\d+|recent)-\*/(?:filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)\Z")


def build(src: Path, repo: Path, out: Path, search: bool, now: str = NOW) -> None:
    """The site of ``repo`` built by the opsrepo in ``src`` (its caches in a folder beside ``out``)."""
    env = {**os.environ, "OPSREPO_SRC": str(src), "PYTHONPATH": str(src), "OPSREPO_NOW": now,
           "XDG_CACHE_HOME": str(out.parent / f"{out.name}-cache")}
    command = [sys.executable, "-m", "opsrepo", "site", "build", "--repo", str(repo), "--out", str(out),
               "--jobs", "1", "--search" if search else "--no-search"]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)


def files(folder: Path) -> dict[str, Path]:
    """Every file below ``folder``, by its relative path (a search part's folder by its number)."""
    named = {_part_numbered(p.relative_to(folder).as_posix()): p for p in folder.rglob("*") if p.is_file()}
    named = {SHIFTS if path in SHIFTS_FILES else path: file for path, file in named.items()}
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
    if path == PARTS:  # each part's key: the design hash, then a digest of the input digests it reads
        kept = json.loads(data)
        for parts in kept["pages"].values():
            for part in parts.values():
                part.pop("key")
        return kept
    if path == SHIFTS:
        return kept_shifts(data)
    if path != MANIFEST:
        return data
    manifest = json.loads(data)
    for key in ("design", "format", "inputs"):
        manifest.pop(key)
    for page, record in manifest["pages"].items():
        if isinstance(record, dict):  # format 5
            record = [record[field] for field in ("print", "searched", "source", "images", "links")]
        manifest["pages"][page] = record[1:4]  # searched, source, images
    return manifest


def kept_shifts(data: bytes) -> dict[str, list[list[Any]]]:
    """Each schedule's kept rows ``[start, end, person, kind, source, covering_for]``, from either format."""
    if data.startswith(b"{"):
        return dict(json.loads(data)["schedules"])
    columns = pickle.loads(data[data.index(b"\n") + 1:])  # a file this check's own builds wrote
    return {schedule: [list(row) for row in zip(array("q", starts), array("q", ends), *rest, strict=True)]
            for schedule, (starts, ends, *rest) in columns.items()}


def differences(base: Path, branch: Path) -> list[str]:
    """The paths that differ between two built sites (or exist in one only)."""
    left, right = files(base), files(branch)
    found = sorted(set(left) ^ set(right))
    for path in sorted(set(left) & set(right)):
        if comparable(path, left[path].read_bytes()) != comparable(path, right[path].read_bytes()):
            found.append(path)
    return found


def edit_a_runbook(repo: Path, now: str) -> None:
    """A line added to the middle runbook of ``repo``."""
    runbooks = sorted((repo / "runbooks").rglob("*.md"))
    runbook = runbooks[len(runbooks) // 2]
    runbook.write_text(runbook.read_text(encoding="utf-8") + f"\nDrain the node ({now}).\n", encoding="utf-8")


def main() -> int:
    """Compare the sites of each repo; 1 when any file differs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_src", type=Path)
    parser.add_argument("repos", type=Path, nargs="+")
    parser.add_argument("--search", action="store_true", help="build the search index too")
    parser.add_argument("--edit", action="store_true",
                        help="then edit a runbook of a copy of each repo and build both sites again a minute "
                             "later; then again with the caches deleted (opsrepo's parsed files, templates)")
    args = parser.parse_args()
    failed = False
    for given in args.repos:
        with tempfile.TemporaryDirectory() as tmp:
            base, branch = Path(tmp, "base"), Path(tmp, "branch")
            repo = given
            if args.edit:
                repo = Path(shutil.copytree(given, Path(tmp, "repo"), symlinks=True))
                time.sleep(2.5)  # the copies' change times safely older than the builds' (a parsed-file cache
                # does not keep a file changed within 2 s of its load)
            builds = [("clean build", NOW), ("a runbook edited", LATER), ("edited again, no caches", LATEST)]
            for what, now in builds if args.edit else builds[:1]:
                if now != NOW:
                    edit_a_runbook(repo, now)
                if now == LATEST:
                    for side in (base, branch):
                        shutil.rmtree(Path(tmp, f"{side.name}-cache"), ignore_errors=True)
                build(args.base_src.resolve(), repo.resolve(), base, args.search, now)
                build(HERE_SRC, repo.resolve(), branch, args.search, now)
                found = differences(base, branch)
                print(f"{given} ({what}): {len(files(branch))} files, {len(found)} differ"
                      f"{': ' if found else ''}" + ", ".join(found[:20]))
                failed = failed or bool(found)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
