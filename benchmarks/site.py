"""Benchmark: ``opsrepo site build`` (with its Pagefind index) vs ``mkdocs build`` of the same runbooks.

    python benchmarks/site.py [--runbooks 2000] [--schedules 300]

Generates a large org (benchmarks/genorg.py: runbooks of about 4 KB, teams,
people, schedules, policies, services) as a git repository, then, in this one
run:

1. full builds (a fresh output folder, search index included) of the org at
   half size and at full size, as whole ``opsrepo site build`` processes:
   ms per page and bytes per page at both sizes (output growing linearly
   with pages means bytes per page stays flat);
2. ``mkdocs build`` (its default theme and lunr search) of the same runbook
   Markdown files, and the ratio;
3. rebuilds of the full-size site after changing one runbook (not
   committed, then committed), in this process: the site step with the
   search index kept and made again (the runbook's shard of the index, see
   benchmarks/search.py), and the time to load the repo first.

Wall times are printed next to CPU seconds (user + system of the build and
its children); a full build counts its fastest of ``--repeat`` runs, since
on a shared machine the same build was seen to take 6.6 s and 9.1 s.
Budgets (issue 5): at most 2 ms per page including search indexing; output
linear in pages; a rebuild after changing one runbook under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from opsrepo.site.search import SearchIndex

sys.path.insert(0, str(Path(__file__).parent))
from genorg import generate

SUMMARY = re.compile(r"site: (\d+) pages")


@dataclass(frozen=True)
class Timed:
    wall: float
    cpu: float


def run(command: list[str], cwd: Path) -> tuple[Timed, str]:
    """Run a process; its wall time, its CPU time (user + system, with its children) and its stdout."""
    before, start = os.times(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall, after = time.perf_counter() - start, os.times()
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return Timed(wall, cpu), done.stdout


def size_of(folder: Path) -> int:
    """Bytes of the published files (not what a build keeps for the next one: dot files and folders)."""
    return sum(p.stat().st_size for p in folder.rglob("*")
               if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def kept_size(folder: Path) -> int:
    """Bytes a build keeps beside the site for the next one (manifest, shifts, search state)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) - size_of(folder)


def make_org(root: Path, schedules: int, runbooks: int) -> None:
    """The generated org, committed (the site reads each runbook's history from git)."""
    generate(root, schedules, runbooks)
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated org"]):
        subprocess.run([*git, *command], cwd=root, check=True)


def full_build(opsrepo: str, root: Path, out: Path, repeat: int) -> tuple[Timed, int, int, int]:
    """The fastest of ``repeat`` builds into a fresh folder: its time, pages, bytes of the published
    pages (without the search index) and bytes of the search index."""
    best: Timed | None = None
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        timed, stdout = run([opsrepo, "site", "build", "--repo", str(root), "--out", str(out)], root)
        best = timed if best is None or timed.wall < best.wall else best
    assert best is not None
    timed = best
    found = SUMMARY.search(stdout)
    assert found, stdout
    index = size_of(out / "pagefind")
    return timed, int(found.group(1)), size_of(out) - index, index


def mkdocs_build(mkdocs: str, root: Path, work: Path) -> tuple[Timed, int]:
    """``mkdocs build`` of the org's runbooks (front matter is read as page metadata, as mkdocs does)."""
    project = work / "mkdocs"
    shutil.copytree(root / "runbooks", project / "docs")
    (project / "docs" / "index.md").write_text("# Runbooks\n", encoding="utf-8")
    config = "site_name: Generated runbooks\nplugins: [search]\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    timed, _ = run([mkdocs, "build", "--quiet", "--site-dir", str(project / "site")], project)
    return timed, sum(1 for _ in (project / "docs").rglob("*.md"))


def rebuilds(root: Path, out: Path) -> None:
    """Change one runbook and rebuild in this process, as ``opsrepo site build`` does after loading the repo.

    First with nothing changed; then an edit not yet committed (writing a
    runbook locally), then the same edit committed (its last change moves
    too); each without and with the search index made again. A rebuild
    leaves the whole index as it is and indexes the pages written since
    apart, unless a word comes or goes anywhere on the site (the last edit):
    then the whole index is made again.
    """
    from opsrepo.load.repo import load_repo
    from opsrepo.site import build_site

    runbook = sorted((root / "runbooks").rglob("*.md"))[0]
    name = runbook.relative_to(root).as_posix()
    start = time.perf_counter()
    result = build_site(load_repo(root), out, datetime.now(UTC))
    print(f"  rebuild with nothing changed (search on): {(time.perf_counter() - start) * 1000:.0f} ms wall "
          f"including loading the repo; {result.rendered} page(s) rewritten, search index "
          f"{_index(result.search)}")
    known = "Check the service and escalate."  # words every generated runbook has
    new_word = "A zyzzogeton word no page had."
    edits = [(commit, search, known) for commit in (False, True) for search in (False, True)]
    edits += [(True, True, known), (True, True, known), (True, True, new_word)]
    for commit, search, line in edits:
        runbook.write_text(runbook.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
        if commit:
            git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
            subprocess.run([*git, "commit", "-q", "-m", "edit", name], cwd=root, check=True)
        start = time.perf_counter()
        loaded = load_repo(root)
        loaded_at, cpu_before = time.perf_counter(), os.times()
        result = build_site(loaded, out, datetime.now(UTC), search=search)
        built, cpu_after = time.perf_counter(), os.times()
        cpu = sum(cpu_after[:4]) - sum(cpu_before[:4])
        assert result.ok and result.rendered >= 1, result
        what = (("committed" if commit else "not committed") + (", new word" if line == new_word else "")
                + f", search index {_index(result.search) if search else 'kept'}")
        print(f"  rebuild after editing {name} ({what}): {(built - loaded_at) * 1000:.0f} ms wall, "
              f"{cpu * 1000:.0f} ms CPU; {result.made} page(s) made, {result.rendered} rewritten of "
              f"{result.pages}; stages {result.seconds}; loading the repo before it "
              f"{(loaded_at - start) * 1000:.0f} ms")


def _index(search: SearchIndex | None) -> str:
    """What a build did to the search index."""
    if search is None:
        return "kept"
    if search.whole:
        return f"made again, all {search.shards} shards"
    return f"{search.indexed} of its {search.shards} shards made again"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runbooks", type=int, default=2000)
    parser.add_argument("--schedules", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3, help="full builds of each size; the fastest counts")
    args = parser.parse_args()
    opsrepo, mkdocs = shutil.which("opsrepo"), shutil.which("mkdocs")
    if not opsrepo or not mkdocs:
        print("needs opsrepo and mkdocs on PATH (pip install -e '.[bench]')")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        per_page = {}
        for scale in (2, 1):
            runbooks, schedules = args.runbooks // scale, args.schedules // scale
            root, out = work / f"org-{runbooks}", work / f"site-{runbooks}"
            make_org(root, schedules, runbooks)
            timed, pages, html, index = full_build(opsrepo, root, out, args.repeat)
            per_page[scale] = (html + index) / pages
            print(f"org of {runbooks} runbooks, {schedules} schedules: {pages} pages; full build with search "
                  f"index (fastest of {args.repeat}): {timed.wall:.1f} s wall "
                  f"({timed.wall * 1000 / pages:.2f} ms/page), "
                  f"{timed.cpu:.1f} s CPU ({timed.cpu * 1000 / pages:.2f} ms/page); output "
                  f"{(html + index) / 1e6:.1f} MB = {per_page[scale] / 1000:.1f} KB/page "
                  f"(pages {html / pages / 1000:.1f} KB, search index {index / pages / 1000:.1f} KB); "
                  f"kept for the next build {kept_size(out) / 1e6:.1f} MB")
        print(f"output growth: {per_page[1] / per_page[2]:.2f}x the bytes per page at twice the pages "
              f"(1.00 = linear)")
        theirs, files = mkdocs_build(mkdocs, work / f"org-{args.runbooks}", work)
        print(f"mkdocs build of the same {files} Markdown files: {theirs.wall:.1f} s wall "
              f"({theirs.wall * 1000 / files:.2f} ms/page), {theirs.cpu:.1f} s CPU "
              f"({theirs.cpu * 1000 / files:.2f} ms/page)")
        ratio = theirs.cpu / files / (timed.cpu / pages)
        print(f"ratio per page (CPU): mkdocs takes {ratio:.2f}x opsrepo's time; "
              f"whole build: opsrepo {pages} pages in {timed.cpu:.1f} s vs mkdocs {files} pages "
              f"in {theirs.cpu:.1f} s")
        print(f"budget: <= 2 ms/page -> {timed.cpu * 1000 / pages:.2f} ms/page CPU, "
              f"{timed.wall * 1000 / pages:.2f} ms/page wall")
        rebuilds(work / f"org-{args.runbooks}", work / f"site-{args.runbooks}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
