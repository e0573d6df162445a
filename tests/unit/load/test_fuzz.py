"""The loaders and validate never let an exception escape, whatever the input."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsrepo.errors import Diagnostic
from opsrepo.load import alertfiles
from opsrepo.load.files import parse_document
from opsrepo.schemas import KINDS, validate
from opsrepo.validate import validate_repo
from tests.helpers import MINIMAL, NOW, copy_repo

PATHS = {
    "org": "opsrepo.yaml", "team": "teams/core.yaml", "schedule": "schedules/core-primary.yaml",
    "severity": "policies/severity.yaml", "escalation": "policies/escalation/core.yaml",
    "runbook": "runbooks/core/api-errors.md", "postmortem": "postmortems/2026-10-01-api-outage.md",
    "alertrules": "alerts/core.yaml", "prometheusrule": "alerts/k8s/core.yaml",
}
KEYS = st.sampled_from([
    "id", "name", "team", "timezone", "layers", "members", "start", "length", "end", "restrictions",
    "days", "from", "to", "overrides", "person", "levels", "targets", "escalate_after", "repeat",
    "people", "services", "alerts", "runbook", "severity", "timeline", "started", "resolved",
    "action_items", "owner", "due", "coverage", "derive", "offset", "title", "status", "time_off", "x",
    "groups", "rules", "alert", "record", "expr", "for", "labels", "annotations", "runbook_url", "spec",
    "kind", "apiVersion",
])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
    st.sampled_from(["9:00", "09:00", "24x7", "1w", "mon", "2026-01-05T09:00", "Europe/Berlin", "ana",
                     "schedule:core-primary", "2026-02-30", "SEV1", "no", "2026-10-01T10:00:00Z",
                     "PrometheusRule", "monitoring.coreos.com/v1", "core/api-errors", "5m"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=6),
    max_leaves=25,
)


PUNCTUATION = "ab:-[]{}&*!|>'\"#\n\t ,?%@`~09"


def _check(diagnostics: list[Diagnostic], path: str) -> None:
    for diagnostic in diagnostics:
        assert diagnostic.file == path
        assert diagnostic.code.startswith("OPS")
        assert diagnostic.line >= 1 and diagnostic.column >= 1
        assert diagnostic.message


def _parse_and_validate(kind: str, raw: bytes) -> None:
    path = PATHS[kind]
    if kind in alertfiles.KINDS:  # several documents, each of the kind its content says
        for document, problems in alertfiles.parse_rule_file(path, raw):
            _check(problems + (validate(document) if document is not None else []), path)
        return
    document, problems = parse_document(path, kind, raw)
    if document is not None:
        problems = validate(document)
    _check(problems, path)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), raw=st.binary(max_size=300))
def test_arbitrary_bytes(kind: str, raw: bytes) -> None:
    _parse_and_validate(kind, raw)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), text=st.text(alphabet=st.sampled_from(list(PUNCTUATION)), max_size=120))
def test_arbitrary_yaml_punctuation(kind: str, text: str) -> None:
    _parse_and_validate(kind, text.encode("utf-8"))


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), value=VALUES, flow=st.booleans())
def test_arbitrary_yaml_structures(kind: str, value: Any, flow: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    if kind in ("runbook", "postmortem"):
        text = f"---\n{text}---\nbody\n"
    _parse_and_validate(kind, text.encode("utf-8"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(KINDS), value=VALUES)
def test_validate_whole_repo_with_one_fuzzed_file(tmp_path_factory: Any, kind: str, value: Any) -> None:
    root: Path = copy_repo(MINIMAL, tmp_path_factory.mktemp("fuzz") / "repo")
    text = yaml.safe_dump(value, allow_unicode=True)
    if kind in ("runbook", "postmortem"):
        text = f"---\n{text}---\nbody\n"
    (root / PATHS[kind]).parent.mkdir(parents=True, exist_ok=True)
    (root / PATHS[kind]).write_text(text, encoding="utf-8")
    validation = validate_repo(root, NOW)
    for diagnostic in validation.diagnostics:
        assert (root / diagnostic.file).is_file()
        assert diagnostic.line >= 1
