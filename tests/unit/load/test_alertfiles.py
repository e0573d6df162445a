"""Rule files: finding them by pattern, and reading several documents from one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.load.alertfiles import configured_paths, find, is_rule_file, parse_rule_file, pattern_regex
from opsrepo.load.yamlsrc import parse_yaml, split_documents


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("alerts/**/*.y*ml", "alerts/a.yaml", True),
    ("alerts/**/*.y*ml", "alerts/team/x/a.yml", True),
    ("alerts/**/*.y*ml", "alerts/a.json", False),
    ("alerts/**/*.y*ml", "other/alerts/a.yaml", False),
    ("alerts/*.yaml", "alerts/team/a.yaml", False),
    ("monitoring/**/*.rules.yml", "monitoring/prom/api.rules.yml", True),
    ("rules/[ab]?.yaml", "rules/a1.yaml", True),
    ("rules/[!ab]?.yaml", "rules/a1.yaml", False),
    ("**/*.rules", "x/y/z.rules", True),
])
def test_patterns(pattern: str, path: str, matches: bool) -> None:
    assert bool(pattern_regex(pattern).match(path)) is matches


def test_files_of_other_kinds_are_never_rule_files() -> None:
    assert not is_rule_file("teams/core.yaml", ["**/*.yaml"])
    assert not is_rule_file("opsrepo.yaml", ["*.yaml"])
    assert is_rule_file("alerts/core.yaml", ["**/*.yaml"])


def test_patterns_reaching_outside_the_repo_are_dropped() -> None:
    assert configured_paths({"alerts": {"paths": ["../x/*.yaml", "/etc/*.yaml", "a/*.yaml"]}}) == (("a/*.yaml",), True)
    assert configured_paths({"name": "x"}) == (("alerts/**/*.y*ml",), False)


def test_find_walks_only_the_patterns_folders_and_lists_links(tmp_path: Path) -> None:
    (tmp_path / "alerts" / "a").mkdir(parents=True)
    (tmp_path / "alerts" / ".hidden").mkdir()
    (tmp_path / "alerts" / "a" / "x.yaml").write_text("groups: []\n")
    (tmp_path / "alerts" / ".hidden" / "y.yaml").write_text("groups: []\n")
    (tmp_path / "alerts" / "link.yaml").symlink_to(tmp_path / "alerts" / "a" / "x.yaml")
    found = [path.relative_to(tmp_path).as_posix() for _, path in find(tmp_path, ["alerts/**/*.yaml", "alerts/*"])]
    assert found == ["alerts/a/x.yaml", "alerts/link.yaml"]


def test_split_documents_keeps_each_documents_lines() -> None:
    text = "# head\na: 1\n---\nb: 2\n...\n---\n---\nc: [1]\n---\n"
    assert split_documents(text, "f") == (
        [(0, "# head\na: 1\n"), (2, "---\nb: 2\n...\n"), (5, "---\n"), (6, "---\nc: [1]\n"), (8, "---\n")], None)


def test_a_syntax_error_keeps_the_documents_before_it() -> None:
    documents, problem = split_documents("a: 1\n---\nb: 2\n---\nc: [\n", "f")
    assert documents == [(0, "a: 1\n"), (1, "---\nb: 2\n")]
    assert problem is not None and problem.code == "OPS002"


def test_documents_keep_positions_and_other_kinds_are_skipped() -> None:
    raw = (b"apiVersion: v1\nkind: ConfigMap\ndata: {}\n---\n"
           b"apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\n"
           b"spec:\n  groups:\n    - name: g\n      rules:\n        - alert: A\n          expr: up == 0\n---\n")
    parsed = parse_rule_file("alerts/x.yaml", raw)
    assert len(parsed) == 1
    document, problems = parsed[0]
    assert problems == [] and document is not None and document.kind == "prometheusrule"
    assert document.location("spec", "groups", 0, "rules", 0, "alert").line == 12


@settings(max_examples=100, deadline=None)
@given(documents=st.lists(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.integers(-(10**15) + 1, 10**15 - 1) | st.text(max_size=5),
                                          min_size=1, max_size=3), min_size=1, max_size=5),
       leading=st.sampled_from(["", "---\n", "# head\n", "# head\n---\n"]), trailing=st.sampled_from(["", "---\n"]))
def test_each_document_is_read_with_its_own_lines(documents: list[dict[str, Any]], leading: str,
                                                   trailing: str) -> None:
    text = leading + "---\n".join(yaml.safe_dump(d) for d in documents) + trailing
    found, problem = split_documents(text, "f")
    assert problem is None
    parsed = [parse_yaml(chunk, "f", start) for start, chunk in found]
    assert [p.data for p in parsed if p.data is not None] == documents
    nodes = [node for node in yaml.compose_all(text) if node.value not in ("", None)]
    for result, node in zip([p for p in parsed if p.data is not None], nodes, strict=True):
        assert result.source_map.value(()) == (node.start_mark.line + 1, node.start_mark.column + 1)
