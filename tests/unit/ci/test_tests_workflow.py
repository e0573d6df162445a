"""The tests workflow runs the README's test command; the weekly one runs it against the newest releases."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
#: an action pinned by the full commit SHA, its release in a comment
PINNED = re.compile(r"uses: [\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def workflow(name: str) -> dict[Any, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def readme_test_command() -> str:
    """The second command of the README's first code block: the whole test suite."""
    block = (ROOT / "README.md").read_text(encoding="utf-8").split("```sh\n", 1)[1].split("```", 1)[0]
    return block.splitlines()[1].split("#", 1)[0].strip()


def test_ci_and_the_workflows_run_the_readme_test_command() -> None:
    command = readme_test_command()
    assert command == "bash scripts/test.sh"
    assert (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()[-1] == command
    for name in ("tests.yml", "newest-deps.yml"):
        [job] = workflow(name)["jobs"].values()
        assert [step["run"] for step in job["steps"] if "run" in step] == [command], name


def test_the_suite_runs_on_the_oldest_and_newest_python_for_pushes_and_pull_requests() -> None:
    document = workflow("tests.yml")
    assert document[True] == {"push": {"branches": ["main"]}, "pull_request": None, "workflow_dispatch": None}
    assert document["permissions"] == {"contents": "read"}
    [job] = document["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["strategy"]["matrix"] == {"python": ["3.11", "3.13"]}
    setup = next(step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"] == {"python-version": "${{ matrix.python }}"}


def test_the_newest_releases_run_weekly_instead_of_the_lock() -> None:
    document = workflow("newest-deps.yml")
    triggers = document[True]
    assert set(triggers) == {"schedule", "workflow_dispatch"} and len(triggers["schedule"]) == 1
    assert triggers["schedule"][0]["cron"].split()[2:] == ["*", "*", "1"]  # every Monday
    assert document["permissions"] == {"contents": "read"}
    [job] = document["jobs"].values()
    [test] = [step for step in job["steps"] if "run" in step]
    assert test["env"] == {"OPSREPO_NEWEST_DEPS": "1"}


@pytest.mark.parametrize("name", ["tests.yml", "newest-deps.yml"])
def test_actions_are_pinned_by_commit(name: str) -> None:
    lines = [line.strip().removeprefix("- ") for line in (WORKFLOWS / name).read_text(encoding="utf-8").splitlines()
             if "uses:" in line]
    assert lines and [line for line in lines if not PINNED.fullmatch(line)] == []


def test_the_venv_and_the_resolvers_venv_are_not_committed() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert {".venv/", ".venv-lock/"} <= set(ignored)


def test_the_lock_pins_every_requirement_with_hashes() -> None:
    for lock in (ROOT / "requirements").glob("*.lock"):
        entries = [entry for entry in re.split(r"\n(?=\S)", lock.read_text(encoding="utf-8"))
                   if entry and not entry.startswith("#")]
        assert entries, lock.name
        for entry in entries:
            assert re.match(r"[\w.-]+==[\w.]+ ", entry) and "--hash=sha256:" in entry, (lock.name, entry[:80])


def test_no_tracked_script_names_a_path_of_one_machine() -> None:
    for path in [*(ROOT / "scripts").glob("*.sh"), ROOT / ".ci" / "run", *WORKFLOWS.glob("*.yml")]:
        assert not re.search(r"(?<![\w.])/(work|tmp|root|home)/", path.read_text(encoding="utf-8")), path

