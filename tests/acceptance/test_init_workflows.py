"""The workflows ``opsrepo init`` writes are the project's own, byte for byte.

The project root is itself an ops repo (and a GitHub template); its
``.github/workflows`` are the reference. ``opsrepo init`` ships copies of all
but the project's own test workflows as package data and only swaps ``pip
install .`` for ``--opsrepo-spec``. When
a root workflow changes, refresh the copies and review the diff:

    python -m tests.acceptance.test_init_workflows
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from opsrepo.scaffold.init import adapt_workflow
from tests.helpers import ROOT

ROOT_WORKFLOWS = ROOT / ".github" / "workflows"
COPIES = ROOT / "src" / "opsrepo" / "scaffold" / "templates" / "init" / "dot-github" / "workflows"
SHIPPED = sorted(p.name for p in COPIES.glob("*.yml"))


def test_init_ships_every_workflow_but_the_projects_own_tests() -> None:
    assert SHIPPED == ["actions.yml", "apply.yml", "notify.yml", "pr-comment.yml", "pr.yml", "report.yml",
                       "site.yml", "slack.yml", "validate.yml"]
    assert sorted(p.name for p in ROOT_WORKFLOWS.glob("*.yml") if p.name not in SHIPPED) == [
        "newest-deps.yml", "tests.yml"]


@pytest.mark.parametrize(("name", "job", "condition"), [
    ("apply.yml", "plan", "vars.OPSREPO_PAGERDUTY == 'on' && github.event_name == 'pull_request'"),
    ("apply.yml", "check", "vars.OPSREPO_PAGERDUTY == 'on' && "
                           "(github.event_name == 'schedule' || github.event_name == 'workflow_dispatch')"),
    ("apply.yml", "apply", "!cancelled() && vars.OPSREPO_PAGERDUTY == 'on' && github.event_name != 'pull_request'"),
    ("slack.yml", "sync", "vars.OPSREPO_SLACK == 'on'"),
    ("notify.yml", "notify", "vars.OPSREPO_HANDOFFS == 'on'"),
])
def test_jobs_that_need_an_outside_service_wait_for_a_repository_variable(name: str, job: str,
                                                                          condition: str) -> None:
    """A new repo's scheduled runs neither fail (no PagerDuty key, no Slack settings) nor remind example people."""
    document = yaml.safe_load((COPIES / name).read_text(encoding="utf-8"))
    assert document["jobs"][job]["if"] == "${{ " + condition + " }}"


def test_the_sarif_upload_is_optional_and_cannot_fail_the_check() -> None:
    document = yaml.safe_load((COPIES / "validate.yml").read_text(encoding="utf-8"))
    [job] = document["jobs"].values()
    by_name = {step.get("name"): step for step in job["steps"]}
    assert by_name["Validate (annotations and job summary)"] == {
        "name": "Validate (annotations and job summary)", "run": "opsrepo validate --format github"}
    assert by_name["Validate (SARIF)"]["if"] == "${{ !cancelled() && vars.OPSREPO_SARIF != 'off' }}"
    upload = by_name["Upload SARIF"]
    assert upload["if"] == ("${{ !cancelled() && vars.OPSREPO_SARIF != 'off' && "
                            "github.event.pull_request.head.repo.full_name == github.repository }}")
    assert upload["continue-on-error"] is True
    assert [name for name in by_name][-1] == "Upload SARIF"


@pytest.mark.parametrize("name", SHIPPED)
def test_the_copy_is_the_root_workflow(name: str) -> None:
    reference = ROOT_WORKFLOWS / name
    if not reference.is_file():
        pytest.skip(f"the project has no .github/workflows/{name} yet; the scaffold's copy is the only one")
    assert (COPIES / name).read_text(encoding="utf-8") == reference.read_text(encoding="utf-8")


def test_only_the_install_step_is_adapted() -> None:
    text = "steps:\n      - name: Install opsrepo\n        run: pip install .\n      - run: pip install .[test]\n"
    assert adapt_workflow(text, "opsrepo==1.2.3") == (
        'steps:\n      - name: Install opsrepo\n        run: pip install "opsrepo==1.2.3"\n'
        "      - run: pip install .[test]\n")
    assert adapt_workflow(text, r"opsrepo @ git+https://example.com/o/p@v1\1") == (
        'steps:\n      - name: Install opsrepo\n        run: pip install "opsrepo @ git+https://example.com/o/p@v1\\1"\n'
        "      - run: pip install .[test]\n")


def main() -> None:
    for name in SHIPPED:
        if (ROOT_WORKFLOWS / name).is_file():
            shutil.copyfile(ROOT_WORKFLOWS / name, COPIES / name)
            print(f"refreshed {(COPIES / name).relative_to(ROOT)}")


if __name__ == "__main__":
    main()
