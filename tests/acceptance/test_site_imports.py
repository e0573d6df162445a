"""A one-runbook rebuild of the site imports only what it uses (issue 20: the edit, as a whole process).

Importing is a third of the process a user runs after editing a runbook. The
modules below are what a build that makes the Reliability page, writes
calendar feeds or reads git history through GitPython needs, not a rebuild
whose only new pages are the runbook's and the home page: icalendar (25 ms),
GitPython (45 ms: the history is one ``git log`` process), the report's
modules (the kept Reliability page's, and the action-status snapshot of a
repo without a status file), Pagefind's asyncio service (only to find its
binary), the pay page's computation (7 ms), the schedule pages' timelines
(6 ms) and the text reporter (a site without broken links prints none). The
first, full build needs the report, the pay and the timelines, and still works.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.helpers import MINIMAL, copy_repo

LAZY = ("icalendar", "git", "opsrepo.calendar.ics", "opsrepo.report.core", "opsrepo.report.site",
        "opsrepo.report.load_parts", "opsrepo.report.status", "pagefind.service", "asyncio", "opsrepo.pay.compute",
        "opsrepo.site.views.timeline", "opsrepo.reporters.text")
CODE = f"""import sys
from opsrepo.cli.main import main
try:
    main(['site', 'build', '--repo', sys.argv[1], '--out', sys.argv[2]])
except SystemExit as exit:
    print('exit', exit.code, file=sys.stderr)
print(sorted(name for name in {LAZY!r} if name in sys.modules), file=sys.stderr)
"""


def _build(repo: Path, out: Path, now: str) -> tuple[str, list[str]]:
    env = {**os.environ, "OPSREPO_NOW": now}
    done = subprocess.run([sys.executable, "-c", CODE, str(repo), str(out)], capture_output=True, text=True,
                          check=True, env=env)
    return done.stdout.strip(), done.stderr.splitlines()[-2:]


def test_a_one_runbook_rebuild_imports_none_of_what_it_does_not_use(tmp_path: Path) -> None:
    repo, out = copy_repo(MINIMAL, tmp_path / "repo"), tmp_path / "site"
    summary, imported = _build(repo, out, "2026-11-23T09:00:00+00:00")
    assert summary == f"site: 23 pages (23 rendered, 0 removed, search index of 11 pages) in {out}"
    assert imported == ["exit 0", "['opsrepo.pay.compute', 'opsrepo.report.core', 'opsrepo.report.load_parts', "
                                  "'opsrepo.report.site', 'opsrepo.site.views.timeline']"]
    runbook = repo / "runbooks" / "core" / "api-errors.md"
    runbook.write_text(runbook.read_text(encoding="utf-8") + "\nDrain the node, then check again.\n",
                       encoding="utf-8")
    summary, imported = _build(repo, out, "2026-11-23T09:01:00+00:00")
    assert summary == f"site: 23 pages (2 rendered, 0 removed, search index of 11 pages) in {out}"
    assert imported == ["exit 0", "[]"]
    assert "check again" in (out / "runbooks" / "core" / "api-errors.html").read_text(encoding="utf-8")
