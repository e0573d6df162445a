"""What ``opsrepo apply pagerduty`` and ``opsrepo pr comment`` share: session, adoptions, the plan section."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from opsrepo.cli.common import now, resolve_root
from opsrepo.errors import OpsrepoError, UsageError

if TYPE_CHECKING:
    from opsrepo.apply.state import State
    from opsrepo.model import Repo
    from opsrepo.pagerduty.rest import RestApi

TOKEN_VARIABLE = "PAGERDUTY_TOKEN"
URL_VARIABLE = "PAGERDUTY_API_URL"


@dataclass(frozen=True)
class Session:
    """The repo, the state file and a connection."""

    root: Path
    repo: Repo
    api: RestApi
    state: State
    state_path: Path
    token: str


def open_session(repo: Path | None, api_url: str | None, state_file: Path | None, max_wait: str) -> Session:
    """Load the repo and the state, connect to PagerDuty."""
    from opsrepo import pagerduty
    from opsrepo.apply.state import State, read_state, state_path
    from opsrepo.cli.actions import _duration, notify
    from opsrepo.load.repo import load_repo

    wait = _duration("--max-wait", max_wait)
    root = resolve_root(repo)
    loaded = load_repo(root, kinds=("team", "schedule", "escalation"))
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise OpsrepoError(
            f"{TOKEN_VARIABLE} is not set",
            f"export {TOKEN_VARIABLE} with a PagerDuty REST API key (read-only is enough for "
            "--plan and --check)",
        )
    api = pagerduty.connect(
        token, api_url or os.environ.get(URL_VARIABLE) or None, max_wait=wait.total_seconds(), notify=notify
    )
    path = state_file or state_path(root)
    return Session(root, loaded.repo, api, read_state(path) or State(), path, token)


def parse_adoptions(values: tuple[str, ...], repo: Repo) -> dict[tuple[str, str], str]:
    """``schedule:payments-primary=PABC123`` -> ``{("schedule", "payments-primary"): "PABC123"}``."""
    from opsrepo.apply.desired import KIND_NAMES

    found: dict[tuple[str, str], str] = {}
    known = {"schedule": repo.schedules, "escalation_policy": repo.policies, "service": repo.services}
    for value in values:
        head, _, pd_id = value.partition("=")
        kind_name, _, object_id = head.partition(":")
        kind = KIND_NAMES.get(kind_name)
        if kind is None or not object_id or not pd_id.strip():
            raise UsageError(
                f"--adopt {value!r}: write KIND:ID=PAGERDUTY_ID, KIND one of schedule, policy, service"
            )
        if object_id not in known[kind]:
            raise UsageError(f"--adopt {value!r}: the repo has no {kind_name} {object_id!r}")
        found[(kind, object_id)] = pd_id.strip()
    return found


#: the longest plan a pull-request comment carries (GitHub's comments end at 65,536 characters)
PLAN_LIMIT = 20000


def pagerduty_section(root: Path) -> tuple[str, bool]:
    """The PagerDuty plan for the pull-request comment, and whether it changes anything.

    Empty when opsrepo.yaml does not configure ``apply``; a line saying why
    when there is no token (a pull request from a fork) or PagerDuty fails:
    the comment is never held up by it.
    """
    from opsrepo.load.repo import load_repo

    org = load_repo(root, kinds=()).repo.org
    if org.apply_vendor != "pagerduty":
        return "", False
    head = "\n### PagerDuty\n\n"
    if not os.environ.get(TOKEN_VARIABLE, "").strip():
        return head + (f"_No plan: ${TOKEN_VARIABLE} is not set here (a pull request from a fork gets no "
                       "secrets); the `pagerduty` workflow's job summary has it._\n"), False
    try:
        markdown, changes = _plan_markdown(root)
    except OpsrepoError as exc:
        return head + f"_No plan: {exc.message}._\n", False
    if len(markdown) > PLAN_LIMIT:
        markdown = markdown[:PLAN_LIMIT].rsplit("\n", 1)[0] + (
            "\n\n_\u2026 cut to fit; run `opsrepo apply pagerduty --plan` for the rest._\n")
    return head + markdown, changes


def _plan_markdown(root: Path) -> tuple[str, bool]:
    from opsrepo.apply import render
    from opsrepo.apply.flows import Settings, make_plan
    from opsrepo.cli.actions import token_guard

    session = open_session(root, None, None, "15m")
    try:
        with token_guard(session.token):
            settings = Settings(now(), session.repo.org.apply_horizon)
            plan = make_plan(session.repo, session.api, session.state, settings)
    finally:
        session.api.close()
    changes = plan.blocked or render.counts(plan)["writes"] > 0
    return render.to_markdown(plan, session.repo), changes
