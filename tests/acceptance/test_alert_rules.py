"""The example repo's Prometheus rule files: Prometheus' own promtool accepts them, and opsrepo ties them.

promtool comes from Debian's ``prometheus`` package, which
``scripts/setup-test-env.sh`` installs; without it these tests fail rather than
skip, so a machine that lacks it cannot pass them silently. A PrometheusRule
resource is not a rule file promtool reads: its ``spec`` is one, written to a
temporary file for promtool.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from opsrepo.load import alertfiles
from opsrepo.load.repo import load_repo
from opsrepo.rules.alert_links import name_key, pages, runbook_of
from tests.helpers import ROOT

RULE_FILES = [path for _, path in alertfiles.find(ROOT, alertfiles.configured_paths(
    yaml.safe_load((ROOT / "opsrepo.yaml").read_text(encoding="utf-8")))[0])]


def _promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is missing: run scripts/setup-test-env.sh (it installs Debian's prometheus package)"
    return found


def _promtool_inputs(path: Path, scratch: Path) -> list[Path]:
    """The file itself, or for PrometheusRule resources each one's spec as a file of its own."""
    documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    if all("groups" in d and "kind" not in d for d in documents) and len(documents) == 1:
        return [path]
    inputs = []
    for index, document in enumerate(documents):
        assert document["kind"] == "PrometheusRule", (path, index)
        target = scratch / f"{path.stem}-{index}.yaml"
        target.write_text(yaml.safe_dump(document["spec"], sort_keys=False), encoding="utf-8")
        inputs.append(target)
    return inputs


def test_the_example_has_both_kinds_of_rule_file() -> None:
    kinds = {document.kind for path in RULE_FILES
             for document, _ in alertfiles.read_rule_file(ROOT, path) if document is not None}
    assert kinds == {"alertrules", "prometheusrule"}
    assert len(RULE_FILES) >= 5


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_promtool_checks_the_example_rule_files(path: Path, tmp_path: Path) -> None:
    inputs = _promtool_inputs(path, tmp_path)
    done = subprocess.run([_promtool(), "check", "rules", *map(str, inputs)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count("SUCCESS") == len(inputs), done.stdout


def test_promtool_rejects_what_it_should(tmp_path: Path) -> None:
    """The check is real: promtool fails a rule file with a broken expression."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("groups:\n  - name: x\n    rules:\n      - alert: X\n        expr: sum(up\n", encoding="utf-8")
    done = subprocess.run([_promtool(), "check", "rules", str(broken)], capture_output=True, text=True,
                          check=False, timeout=120)
    assert done.returncode != 0


def test_every_team_alert_and_paging_alert_is_tied() -> None:
    repo = load_repo(ROOT).repo
    alerts = [rule for rule in repo.alert_rules if rule.alert]
    names = {name_key(rule.alert or "") for rule in alerts}
    assert {name_key(alert.id) for alert in repo.alerts.values()} <= names
    paging = [rule for rule in alerts if pages(repo, rule)]
    assert len(paging) >= 8
    assert all(runbook_of(repo, rule) is not None for rule in paging)
    assert all(runbook_of(repo, rule) is not None for rule in alerts)
