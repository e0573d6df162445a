from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.load import yamlsrc
from opsrepo.load.files import decode_text, parse_document
from opsrepo.load.yamlsrc import parse_yaml


def test_source_map_points_at_values_and_keys() -> None:
    parsed = parse_yaml("id: x\nlayers:\n  - name: weekly\n    members: [ana, ben]\n", "f.yaml")
    assert parsed.data == {"id": "x", "layers": [{"name": "weekly", "members": ["ana", "ben"]}]}
    assert parsed.source_map.value(("layers", 0, "members", 1)) == (4, 20)
    assert parsed.source_map.key(("layers", 0, "members")) == (4, 5)
    assert parsed.source_map.value(("layers", 0, "missing", 3)) == (3, 5)


def test_front_matter_lines_are_file_lines() -> None:
    document, problems = parse_document("runbooks/a.md", "runbook", b"---\ntitle: A\ntags: [x]\n---\n# A\n")
    assert problems == []
    assert document is not None
    assert document.location("tags", 0).line == 3
    assert document.body == "# A\n"
    assert document.body_line == 5


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("v: 0x1f", 31), ("v: 0o17", "0o17"), ("v: 017", 15), ("v: 1_000", 1000), ("v: -5", -5),
        ("v: 1.5", 1.5), ("v: ~", None), ("v: null", None), ("v: true", True), ("v: False", False),
        ("v: 2026-12-24", "2026-12-24"), ("v: 2026-03-14T10:02:00Z", "2026-03-14T10:02:00Z"),
        ('v: "9:00"', "9:00"), ("v: '09:00'", "09:00"), ("v: 12h", "12h"), ("v: SEV1", "SEV1"),
    ],
)
def test_scalars_follow_yaml_1_1_except_times_and_timestamps(text: str, value: object) -> None:
    assert parse_yaml(text, "f.yaml").data == {"v": value}


def test_merge_keys_merge_and_explicit_keys_win() -> None:
    parsed = parse_yaml("base: &b {x: 1, y: 2}\nk:\n  <<: *b\n  y: 3\n", "f.yaml")
    assert parsed.data == {"base": {"x": 1, "y": 2}, "k": {"x": 1, "y": 3}}


def test_a_few_aliases_are_fine() -> None:
    parsed = parse_yaml("a: &a [1, 2]\nb: *a\nc: *a\n", "f.yaml")
    assert parsed.data == {"a": [1, 2], "b": [1, 2], "c": [1, 2]}
    assert parsed.diagnostics == []


def test_yaml_boolean_words_are_remembered_for_the_schema_check() -> None:
    parsed = parse_yaml("country: NO\npages: yes\nreal: true\n", "f.yaml")
    assert parsed.data == {"country": False, "pages": True, "real": True}
    assert parsed.source_map.bool_words == {("country",): "NO", ("pages",): "yes"}


def test_keys_are_kept_as_written() -> None:
    assert parse_yaml("on: push\n1: one\nSEV0: x\n", "f.yaml").data == {"on": "push", "1": "one", "SEV0": "x"}


def test_utf8_bom_is_accepted() -> None:
    document, problems = parse_document("teams/a.yaml", "team", b"\xef\xbb\xbfid: a\nname: A\n")
    assert problems == []
    assert document is not None and document.data == {"id": "a", "name": "A"}


def test_symbolic_links_are_never_read(tmp_path: Path) -> None:
    from opsrepo.validate import validate_repo
    from tests.helpers import MINIMAL, NOW, copy_repo

    root = copy_repo(MINIMAL, tmp_path / "repo")
    secret = tmp_path / "secret.txt"
    secret.write_text("GITHUB_TOKEN=ghp_not_for_logs: [\n", encoding="utf-8")
    (root / "teams" / "leak.yaml").symlink_to(secret)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text("---\ntitle: [\n---\n", encoding="utf-8")
    (root / "runbooks" / "linked").symlink_to(outside, target_is_directory=True)
    validation = validate_repo(root, NOW)
    found = [(d.code, d.file, d.line, d.message) for d in validation.diagnostics]
    message = "the file is a symbolic link (or lies behind one); opsrepo does not follow links"
    assert found == [("OPS015", "runbooks/linked", 1, message), ("OPS015", "teams/leak.yaml", 1, message)]
    assert all("ghp_" not in d.message for d in validation.diagnostics)
    assert [validation.source_line(d) for d in validation.diagnostics] == [None, None]


class _PyYamlResolving(yamlsrc._Loader):
    """The loader with PyYAML's own path-resolver calls around each node (what the no-op calls replace)."""

    descend_resolver = yaml.resolver.BaseResolver.descend_resolver
    ascend_resolver = yaml.resolver.BaseResolver.ascend_resolver


def _graph(node: yaml.Node) -> object:
    """A node graph as plain values: tags, values and positions of every node."""
    where = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (node.tag, node.value, node.style, where)
    if isinstance(node, yaml.SequenceNode):
        return (node.tag, [_graph(item) for item in node.value], where)
    return (node.tag, [(_graph(key), _graph(value)) for key, value in node.value], where)


def test_the_loader_composes_what_pyyaml_s_path_resolver_calls_compose() -> None:
    assert yamlsrc._Loader.yaml_path_resolvers == {}  # the calls replaced have nothing to resolve
    texts = [path.read_text() for path in sorted(Path(__file__).parents[3].glob("*/*.yaml"))]
    texts.append("a: &x [1, {b: c}]\nd: *x\n<<: {e: f}\n? [g]\n: h\n")
    assert len(texts) > 5
    for text in texts:
        ours, theirs = yamlsrc._Loader(text), _PyYamlResolving(text)
        try:
            assert _graph(ours.get_single_node()) == _graph(theirs.get_single_node())
        finally:
            ours.dispose()
            theirs.dispose()


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\r", "\u2003", "\x85", "\u3000", "x", "é"]),
                    max_size=8))
def test_a_file_is_empty_exactly_when_nothing_but_whitespace_is_left_once_stripped(text: str) -> None:
    """decode_text tells an empty file without copying the text; the definition is ``not text.strip()``."""
    decoded, problems = decode_text("teams/t.yaml", text.encode())
    if not text.strip():
        assert decoded is None
        assert [(p.code, p.file, p.line, p.column, p.message) for p in problems] == [
            ("OPS007", "teams/t.yaml", 1, 1, "the file is empty")]
    else:
        assert (decoded, problems) == (text, [])
