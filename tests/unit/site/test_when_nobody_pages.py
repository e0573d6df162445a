"""Policy and service pages follow when_nobody: the sentence, the timeline's data, oncall.js's offsets."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from opsrepo.load.repo import load_repo
from opsrepo.site import build_site
from tests.helpers import MINIMAL, NOW, ROOT, copy_repo

ONCALL_JS = ROOT / "src" / "opsrepo" / "site" / "static" / "oncall.js"


def _pages(tmp_path: Path, when_nobody: str | None) -> tuple[str, str]:
    root = copy_repo(MINIMAL, tmp_path / "repo")
    policy = root / "policies" / "escalation" / "core.yaml"
    if when_nobody:
        policy.write_text(policy.read_text(encoding="utf-8") + f"when_nobody: {when_nobody}\n", encoding="utf-8")
    out = tmp_path / "site"
    assert build_site(load_repo(root), out, NOW, search=False).ok
    return ((out / "policies" / "core.html").read_text(encoding="utf-8"),
            (out / "services" / "api.html").read_text(encoding="utf-8"))


def _timeline(html: str) -> list[str]:
    found = re.search(r'<ol class="timeline"[^>]*>.*?</ol>', html, re.S)
    assert found is not None
    return re.findall(r'<ol [^>]*>|<li [^>]*>', found.group(0))


def test_a_skipping_policy_says_so_and_marks_its_timeline(tmp_path: Path) -> None:
    policy, service = _pages(tmp_path, "skip")
    assert "A level that reaches nobody is skipped: the next level is notified at once" in policy
    for page in (policy, service):
        assert _timeline(page) == [
            '<ol class="timeline" data-when-nobody="skip">',
            '<li data-wait="300">', '<li data-wait="600" data-always>',
        ]
        assert "(then waits 5 min, or hands over at once if it reaches nobody)" in page


@pytest.mark.parametrize("when_nobody", [None, "wait"])
def test_a_waiting_policy_keeps_the_static_timeline(tmp_path: Path, when_nobody: str | None) -> None:
    policy, service = _pages(tmp_path, when_nobody)
    assert "still waits its escalate-after time before the next level (<code>when_nobody: wait</code>)" in policy
    assert _timeline(service)[0] == '<ol class="timeline">'
    assert "hands over at once" not in policy + service


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_oncall_js_moves_the_steps_after_a_skipped_one_earlier() -> None:
    script = (f"const m = require({json.dumps(str(ONCALL_JS))});"
              "console.log(JSON.stringify(["
              "m.skipOffsets([{wait: 300}, {wait: 600}, {wait: 300}], (i, o) => i !== 0),"
              "m.skipOffsets([{wait: 300}, {wait: 600}, {wait: 300}], (i, o) => true),"
              "m.skipOffsets([{wait: 300}, {wait: 600}], (i, o) => false),"
              "[5400, 172800, 604800, 30, 0, 90060].map(m.durationText)]))")
    shown = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True).stdout
    assert json.loads(shown) == [[0, 0, 600], [0, 300, 900], [0, 0],
                                 ["1 h 30 min", "2 days", "1 week", "30 s", "0 min", "1 day 1 h"]]
