"""Benchmark: ``opsrepo site build`` (with its Pagefind index) at three sizes, vs Hugo + Pagefind and mkdocs.

    python benchmarks/site.py [--sizes 500,1000,2000] [--repeat 1]
    python benchmarks/site.py --sizes 2000,6000,6000:10000    # the issue's large orgs (about 15 minutes)
    python benchmarks/site.py --sizes 300:2000,300:5000,300:10000 --no-search --no-rebuilds  # many schedules

A size is ``RUNBOOKS`` or ``RUNBOOKS:SCHEDULES`` (default schedules: 3 for
every 20 runbooks, the 300 of the 2000-runbook org). Each org is generated
(benchmarks/genorg.py: runbooks of about 4 KB, teams, people, schedules,
policies, services) as a git repository; in this one run:

1. full builds (a fresh output folder, search index included) of each org,
   as whole ``opsrepo site build`` processes: pages, CPU seconds (user +
   system of the build and its children, Pagefind included), ms per page,
   peak RSS (of the largest process of the build, as ``/usr/bin/time -v``
   reports it: Pagefind's at every size measured) and KB of peak RSS per
   page, and output bytes per page. Linear growth keeps ms/page and bytes
   per page flat; the growth line gives each size's CPU ms/page against the
   first size's;
2. the same runbooks in a runbooks-only org (their files as they are, the
   front matter naming its one team and service; one team of 8 people, one
   schedule, one escalation policy, the severity matrix: the fewest other
   files a valid repo needs), built the same way;
3. when ``hugo`` is installed (Debian's package: ``apt-get install hugo``;
   see docs/benchmarks.md), ``hugo`` plus Pagefind over the same runbook
   Markdown files at each size (a minimal layout, no theme), and two ratios
   of opsrepo's CPU to theirs; without it, the reason it was skipped:

   - *runbooks only*: like with like, opsrepo's build of the runbooks-only
     org (the runbook pages, plus the two dozen pages of its one team,
     schedule, service, policy and indexes) against Hugo + Pagefind's over
     the same runbooks; the budget's ratio;
   - *whole org*: opsrepo's build of the whole org (the runbooks and every
     schedule, person, team, service and policy page, and the Reliability
     report: 1620 pages for 1000 runbooks) against the same Hugo + Pagefind
     run, which makes the runbook pages only; what an org's site costs
     against a site of its runbooks alone;
4. ``mkdocs build`` (its default theme and lunr search) of the largest
   org of at most 2000 runbooks, when mkdocs is installed (the ``bench``
   extra), and the ratio;
5. rebuilds of the largest org's site after changing one runbook (not
   committed, then committed), in this process: the site step with the
   search index kept and made again (the runbook's shard of the index, see
   benchmarks/search.py), and the time to load the repo first.

Every opsrepo (and mkdocs) process of the run reads compiled bytecode, as
an installed opsrepo does (pip compiles it at install; an editable install
writes it at the first run): where ``PYTHONDONTWRITEBYTECODE`` is set, as on
the shared test host, each process would compile opsrepo's 120 modules from
source again (0.25-0.35 s, every build), a cost no user's build has and
Hugo's does not either. The run writes it under its temporary folder
(``PYTHONPYCACHEPREFIX``), by building a 20-runbook org's site first.

Wall times are printed next to CPU seconds; a full build counts its run of
``--repeat`` with the least CPU (the figure compared, for opsrepo and for
Hugo + Pagefind alike), since on a shared machine the same build was seen
to take 6.6 s and 9.1 s.
Budgets (issues 5 and 20): at most 2 ms per page including search indexing,
per-page time at 10,000 schedules and 6,000 runbooks within 1.2x of the
2000-runbook figure, at most 150 KB of peak RSS per page at 6000 runbooks,
CPU within 1.5x of Hugo + Pagefind on the same runbooks (the runbooks-only
ratio); output linear in pages; a rebuild after changing one runbook under 0.5 s.
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
    #: peak resident set of the largest process of the run (itself or one of its children), in bytes
    peak: int = 0

    def __add__(self, other: Timed) -> Timed:
        """Two runs one after the other: times add up, the peak is the larger one."""
        return Timed(self.wall + other.wall, self.cpu + other.cpu, max(self.peak, other.peak))


def run(command: list[str], cwd: Path) -> tuple[Timed, str]:
    """Run a process: its wall time, CPU time (user + system, with its children), peak RSS and stdout.

    The peak is what ``wait4`` reports, as ``/usr/bin/time -v`` does: the
    largest resident set of the process or of any child it waited for.
    """
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} failed ({process.returncode}):\n{stderr[-2000:]}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024), stdout


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
    _commit(root)


def make_runbooks_org(root: Path, whole: Path) -> None:
    """``whole``'s runbooks in the smallest valid org: a team (8 people, 2 services), a schedule, a policy.

    The runbooks' files are copied as they are but for their front matter's
    team and service, which become the one team's (``team-0``, ``svc-0-0``):
    the same pages to render and index as the whole org's, and as Hugo's.
    """
    generate(root, 1, 0)
    for source in sorted((whole / "runbooks").rglob("*.md")):
        front, body = source.read_text(encoding="utf-8").split("\n---\n", 1)
        ours = {"team": "team: team-0", "services": "services: [svc-0-0]"}
        front = "\n".join(ours.get(line.split(":", 1)[0], line) for line in front.splitlines())
        target = root / source.relative_to(whole)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{front}\n---\n{body}", encoding="utf-8")
    _commit(root)


def _commit(root: Path) -> None:
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "generated org"]):
        subprocess.run([*git, *command], cwd=root, check=True)


def compiled_bytecode(opsrepo: str, work: Path) -> None:
    """Let every later Python process of the run read (and write) compiled bytecode under ``work``,
    and write opsrepo's by one build with search of a small org (see the module's docstring)."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    root = work / "warm-up"
    make_org(root, 1, 20)
    run([opsrepo, "site", "build", "--repo", str(root), "--out", str(work / "warm-up-site")], root)
    shutil.rmtree(root)
    shutil.rmtree(work / "warm-up-site")


def full_build(opsrepo: str, root: Path, out: Path, repeat: int,
               search: bool = True) -> tuple[Timed, int, int, int]:
    """The least-CPU of ``repeat`` builds into a fresh folder: its time, pages, bytes of the published
    pages (without the search index) and bytes of the search index."""
    best: Timed | None = None
    for _ in range(repeat):
        shutil.rmtree(out, ignore_errors=True)
        timed, stdout = run([opsrepo, "site", "build", "--repo", str(root), "--out", str(out),
                             *(() if search else ("--no-search",))], root)
        best = timed if best is None or timed.cpu < best.cpu else best
    assert best is not None
    timed = best
    found = SUMMARY.search(stdout)
    assert found, stdout
    index = size_of(out / "pagefind") if (out / "pagefind").is_dir() else 0
    return timed, int(found.group(1)), size_of(out) - index, index


def runbooks_only(opsrepo: str, whole: Path, work: Path, size: Size, repeat: int) -> tuple[Timed, int]:
    """The full build of ``whole``'s runbooks in an org of their own (:func:`make_runbooks_org`),
    printed; its time and pages. Its site has a folder of its own: the whole org's stays for the rebuilds."""
    root, out = work / f"runbooks-{size.runbooks}", work / f"runbooks-{size.runbooks}-site"
    shutil.rmtree(root, ignore_errors=True)
    make_runbooks_org(root, whole)
    timed, pages, html, index = full_build(opsrepo, root, out, repeat)
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    print(f"  runbooks only (the same {size.runbooks} runbooks, one team, schedule and policy): "
          f"{pages} pages; full build with search index: {timed.cpu:.1f} s CPU, "
          f"{timed.cpu * 1000 / pages:.2f} ms/page; {timed.wall:.1f} s wall; peak RSS "
          f"{timed.peak / 1e6:.0f} MB; output {(html + index) / 1e6:.1f} MB")
    return timed, pages


def mkdocs_build(mkdocs: str, root: Path, work: Path) -> tuple[Timed, int]:
    """``mkdocs build`` of the org's runbooks (front matter is read as page metadata, as mkdocs does)."""
    project = work / "mkdocs"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(root / "runbooks", project / "docs")
    (project / "docs" / "index.md").write_text("# Runbooks\n", encoding="utf-8")
    config = "site_name: Generated runbooks\nplugins: [search]\n"
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    timed, _ = run([mkdocs, "build", "--quiet", "--site-dir", str(project / "site")], project)
    return timed, sum(1 for _ in (project / "docs").rglob("*.md"))


#: the Hugo site's layout: a page per runbook with its headings' table of contents, a list per folder
#: (and per tag); only runbook pages are searched (``data-pagefind-body``), as on opsrepo's site
HUGO_CONFIG = """baseURL = "/"
title = "Generated runbooks"
languageCode = "en"
disableKinds = ["RSS", "sitemap", "robotsTXT"]
[markup.goldmark.renderer]
unsafe = false
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
        '<body><header><a href="/">Runbooks</a></header>{{ block "main" . }}{{ end }}</body></html>\n'),
    "_default/single.html": (
        '{{ define "main" }}<main data-pagefind-body><h1>{{ .Title }}</h1>'
        '<nav>{{ .TableOfContents }}</nav>{{ .Content }}</main>{{ end }}\n'),
    "_default/list.html": (
        '{{ define "main" }}<main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main>{{ end }}\n'),
}


def hugo_build(hugo: str, pagefind: str, root: Path, work: Path, repeat: int = 1) -> tuple[Timed, int]:
    """``hugo`` then Pagefind over the org's runbooks: their time together (the least-CPU of ``repeat``
    runs, each into a fresh folder) and the runbook pages."""
    project = work / "hugo"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(root / "runbooks", project / "content" / "runbooks")
    (project / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (project / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "layouts" / name).write_text(text, encoding="utf-8")
    best: Timed | None = None
    for _ in range(repeat):
        shutil.rmtree(project / "public", ignore_errors=True)
        built, _ = run([hugo, "--quiet", "--destination", str(project / "public")], project)
        indexed, _ = run([pagefind, "--site", str(project / "public"), "--force-language", "en"], project)
        both = built + indexed
        best = both if best is None or both.cpu < best.cpu else best
    assert best is not None
    return best, sum(1 for _ in (project / "content").rglob("*.md"))


def hugo_tools() -> tuple[str, str] | str:
    """Hugo and Pagefind's binary, or why the comparison is skipped."""
    hugo = shutil.which("hugo")
    if hugo is None:
        return "hugo is not installed (Debian: apt-get install hugo; see docs/benchmarks.md)"
    try:
        from pagefind.service import get_executable
    except ImportError:
        return "the pagefind package is not installed (pip install -e '.[bench]')"
    pagefind = get_executable()
    if pagefind is None:
        return "the pagefind package carries no binary for this machine"
    return hugo, str(pagefind)


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


@dataclass(frozen=True)
class Size:
    runbooks: int
    schedules: int

    @property
    def name(self) -> str:
        return f"{self.runbooks} runbooks, {self.schedules} schedules"


def sizes(text: str) -> list[Size]:
    """``500,2000,6000:10000`` -> runbooks (and schedules: 3 for every 20 runbooks unless given)."""
    found = []
    for part in text.split(","):
        runbooks, _, schedules = part.strip().partition(":")
        try:
            size = Size(int(runbooks), int(schedules) if schedules else max(4, int(runbooks) * 3 // 20))
        except ValueError:
            raise argparse.ArgumentTypeError(f"{part!r} is not RUNBOOKS or RUNBOOKS:SCHEDULES") from None
        if size.runbooks < 1 or size.schedules < 1:
            raise argparse.ArgumentTypeError(f"{part!r}: runbooks and schedules must be at least 1")
        found.append(size)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=sizes, default=sizes("500,1000,2000"),
                        help="orgs to build: RUNBOOKS or RUNBOOKS:SCHEDULES, comma-separated [500,1000,2000]")
    parser.add_argument("--repeat", type=int, default=1, help="full builds of each size; least CPU counts")
    parser.add_argument("--no-rebuilds", dest="rebuilds", action="store_false",
                        help="skip the one-runbook rebuilds of the largest org")
    parser.add_argument("--no-search", dest="search", action="store_false",
                        help="full builds without the search index, and no Hugo or mkdocs comparison "
                             "(the pages' own cost, e.g. the Reliability page's at many schedules)")
    args = parser.parse_args()
    opsrepo, mkdocs, hugo = shutil.which("opsrepo"), shutil.which("mkdocs"), hugo_tools()
    if not args.search:
        mkdocs, hugo = None, "--no-search: the comparisons index their pages"
    if not opsrepo:
        print("needs opsrepo on PATH (pip install -e '.[bench]')")
        return 2
    if isinstance(hugo, str):
        print(f"Hugo + Pagefind comparison skipped: {hugo}")
    if not mkdocs and args.search:
        print("mkdocs comparison skipped: mkdocs is not installed (pip install -e '.[bench]')")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        compiled_bytecode(opsrepo, work)
        first: float | None = None
        per_byte: list[float] = []
        largest = compared = None
        for size in args.sizes:
            root, out = work / f"org-{size.runbooks}-{size.schedules}", work / "site"
            shutil.rmtree(root, ignore_errors=True)
            make_org(root, size.schedules, size.runbooks)
            timed, pages, html, index = full_build(opsrepo, root, out, args.repeat, args.search)
            per_byte.append((html + index) / pages)
            ms = timed.cpu * 1000 / pages
            first = ms if first is None else first
            print(f"{size.name}: {pages} pages; full build {'with' if args.search else 'without'} search "
                  f"index (least CPU of {args.repeat}): "
                  f"{timed.cpu:.1f} s CPU, {ms:.2f} ms/page ({ms / first:.2f}x the first size's); "
                  f"{timed.wall:.1f} s wall ({timed.wall * 1000 / pages:.2f} ms/page); "
                  f"peak RSS {timed.peak / 1e6:.0f} MB = {timed.peak / pages / 1000:.0f} KB/page; "
                  f"output {(html + index) / 1e6:.1f} MB = {per_byte[-1] / 1000:.1f} KB/page "
                  f"(search index {index / pages / 1000:.1f} KB); kept for the next build "
                  f"{kept_size(out) / 1e6:.1f} MB")
            alone = runbooks_only(opsrepo, root, work, size, args.repeat) if args.search else None
            if not isinstance(hugo, str):
                theirs, files = hugo_build(*hugo, root, work, args.repeat)
                print(f"  Hugo + Pagefind, the same {files} runbooks: {theirs.cpu:.1f} s CPU "
                      f"({theirs.cpu * 1000 / files:.2f} ms/runbook), {theirs.wall:.1f} s wall, peak RSS "
                      f"{theirs.peak / 1e6:.0f} MB")
                if alone is not None:
                    own, own_pages = alone
                    print(f"  opsrepo's CPU / Hugo + Pagefind's: runbooks only {own.cpu / theirs.cpu:.2f}x "
                          f"(like with like: the same runbooks, and the {own_pages - files} pages of the "
                          f"one team, schedule, service and policy); whole org {timed.cpu / theirs.cpu:.2f}x "
                          f"({ms / (theirs.cpu * 1000 / files):.2f}x a page: its {pages} pages hold every "
                          f"schedule, person, team, service and policy, and the Reliability report, too)")
            shutil.rmtree(work / "hugo", ignore_errors=True)
            if size.runbooks <= 2000 and (compared is None or size.runbooks >= compared.runbooks):
                compared = size
            largest = (size, root, timed, pages)
            if size is not args.sizes[-1]:  # the last org and site stay for the rebuilds
                shutil.rmtree(out, ignore_errors=True)
                shutil.rmtree(root, ignore_errors=True)
        print(f"output growth: {per_byte[-1] / per_byte[0]:.2f}x the bytes per page of the first size "
              f"(1.00 = linear)")
        if mkdocs and compared is not None:
            root = work / f"org-{compared.runbooks}-{compared.schedules}"
            if not root.is_dir():
                make_org(root, compared.schedules, compared.runbooks)
            theirs, files = mkdocs_build(mkdocs, root, work)
            print(f"mkdocs build of the {files} Markdown files of {compared.name}: {theirs.cpu:.1f} s CPU "
                  f"({theirs.cpu * 1000 / files:.2f} ms/page), {theirs.wall:.1f} s wall, peak RSS "
                  f"{theirs.peak / 1e6:.0f} MB")
        assert largest is not None
        size, root, timed, pages = largest
        print(f"budget: <= 2 ms/page -> {timed.cpu * 1000 / pages:.2f} ms/page CPU at {size.name}")
        if args.rebuilds:
            rebuilds(root, work / "site")
    return 0


if __name__ == "__main__":
    sys.exit(main())
