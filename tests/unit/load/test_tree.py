"""The plain-tree shortcut (yamlsrc._plain_document) builds exactly what the general builder builds.

parse_yaml has libyaml compose a text without anchors, tags or merge keys
into light records and builds it straight down them, and hands it to
yamlsrc._Builder as soon as anything in it needs a diagnostic; the reference
is parse_yaml with that shortcut off.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.load import yamlsrc
from tests.helpers import FIXTURES

ROOT = Path(__file__).parents[3]


def _outcome(parsed: yamlsrc.ParsedYaml) -> tuple[str, list[Any], list[Any], bool]:
    """Everything parse_yaml answers without positions; repr tells 1, 1.0 and True apart."""
    return repr(parsed.data), parsed.diagnostics, parsed.unreadable, parsed.depth_known


def _both(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    ours = _outcome(yamlsrc.parse_yaml(text, "f.yaml", positions=False))
    with monkeypatch.context() as patched:
        patched.setattr(yamlsrc, "_plain_tree", lambda _text: False)
        reference = _outcome(yamlsrc.parse_yaml(text, "f.yaml", positions=False))
    return ours, reference


def _texts() -> Iterator[str]:
    """The YAML of the example repo, the fixture repos and the case corpus."""
    for path in sorted([*ROOT.glob("*.yaml"), *ROOT.glob("[!.]*/**/*.y*ml"), *ROOT.glob("[!.]*/**/*.md")]):
        if "node_modules" in path.parts or not path.is_file():
            continue
        text = path.read_text("utf-8", errors="replace")
        if path.suffix == ".md":
            parts = text.split("---\n")
            if len(parts) < 3 or parts[0]:
                continue
            text = parts[1]
        yield text
    for corpus in sorted((FIXTURES / "cases").glob("*.yaml")):
        for case in yaml.safe_load(corpus.read_text(encoding="utf-8")):
            for spec in case.get("files", {}).values():
                if isinstance(spec, str):
                    yield spec


def test_the_repo_s_texts_build_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    built = trees = 0
    for text in _texts():
        ours, reference = _both(text, monkeypatch)
        assert ours == reference, text
        built += 1
        trees += yamlsrc._plain_tree(text) and not ours[1]
    assert built > 200 and trees > 100  # most texts take the shortcut


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",  # a repeated key
    "start: 9:00\n",  # a sexagesimal number
    "n: 99999999999999999999\n",  # out of range
    "x: .nan\n",
    "? [a]\n: b\n",  # a key that is not text
    "v: =\n",  # a tag opsrepo does not read
    "t: 2026-01-05\nb: yes\nn: ~\ni: 0x1f\nf: 1.5\no: 017\ns: 'yes'\n",
    "- [1, [2, [3, {a: b}]]]\n",
    "plain\n",
    "'quoted'\n",
    "---\n",
    "~\n",
    "a:\nb: ''\nc: |\n  block\nd: >\n  folded\n",
    "a: *undefined\n",
    "a: [b\n",
    "a: 1\n---\nb: 2\n",
    "12\n",
    "[" * 101 + "]" * 101 + "\n",  # deeper than MAX_DEPTH
    "a: " + "[" * 100 + "]" * 100 + "\n",
])
def test_texts_with_something_to_report_build_alike(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yamlsrc._plain_tree(text)
    ours, reference = _both(text, monkeypatch)
    assert ours == reference


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
    st.sampled_from(["9:00", "09:00", "1:30:00", "yes", "No", "on", "y", "~", "null", "0o17", "017", "0x1F",
                     "1_000", "+12", "-1.5e3", ".inf", "-.Inf", ".NaN", "2026-01-05", "2026-01-05T09:00:00Z",
                     "=", "<<", "9" * 20, "1e400", "24x7", "a: b", "- x", "#", "'", '"']),
)
KEYS = st.one_of(st.sampled_from(["id", "name", "from", "to", "length", "start", "a", "1", "yes", "on"]),
                 st.text(max_size=6))
VALUES = st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=4) | st.dictionaries(KEYS, children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(value=VALUES, flow=st.booleans(), plain=st.booleans())
def test_generated_documents_build_alike(value: Any, flow: bool, plain: bool) -> None:
    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    if plain:  # unquote what the dumper quoted, so the texts hold plain scalars YAML 1.1 reads as others
        text = text.replace("'", "")
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, reference = _both(text, monkeypatch)
    assert ours == reference


@settings(max_examples=400, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab:-[]{}'\"#\n ,?019.")), max_size=80))
def test_arbitrary_punctuation_builds_alike(text: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        ours, reference = _both(text, monkeypatch)
    assert ours == reference


@pytest.mark.parametrize("text", ["a: [b, c]\n", "a: [\n", "a: 1\n---\nb: 2\n", "", "a: *x\n", "- 9:00\n"])
def test_the_composer_makes_pyyaml_s_nodes_again_afterwards(text: str) -> None:
    from yaml import _yaml

    yamlsrc.parse_yaml(text, "f.yaml", positions=False)
    assert (_yaml.ScalarNode, _yaml.SequenceNode, _yaml.MappingNode) == \
        (yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode)
    assert _yaml.Mark.__module__ == "yaml._yaml"
    node = yamlsrc.compose("a: [b, {c: d}]\n")
    assert isinstance(node, yaml.MappingNode) and node.start_mark.line == 0


def test_a_composer_that_ignores_the_swap_sends_every_text_the_general_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A PyYAML whose composer does not find its classes by module globals: the probe fails, nothing breaks."""
    import types

    decoy = types.SimpleNamespace(ScalarNode=yaml.ScalarNode, SequenceNode=yaml.SequenceNode,
                                  MappingNode=yaml.MappingNode, Mark=object)
    monkeypatch.setattr(yamlsrc, "_composer", decoy)  # the swap lands here, not where the composer looks
    monkeypatch.setattr(yamlsrc, "_RECORDS_WORK", None)
    text = "id: core\nlayers:\n  - {name: weekly, members: [ana, ben], length: 1w}\n"
    parsed = yamlsrc.parse_yaml(text, "f.yaml", positions=False)
    assert yamlsrc._RECORDS_WORK is False
    assert parsed.data == {"id": "core", "layers": [{"name": "weekly", "members": ["ana", "ben"], "length": "1w"}]}
    assert (parsed.diagnostics, parsed.unreadable) == ([], [])


def test_this_pyyaml_s_composer_makes_the_records() -> None:
    """The locked PyYAML takes the shortcut (else the loader is a fifth slower, silently)."""
    assert yamlsrc._records_work() is True


def test_the_record_loader_is_the_c_parser_alone_without_an_instance_dictionary() -> None:
    """The composer looks up three methods on the loader per node: no dictionary to miss in, a short MRO."""
    from yaml import _yaml

    loader = yamlsrc._RecordLoader("a: b\n")
    try:
        assert not hasattr(loader, "__dict__")
        assert yamlsrc._RecordLoader.__mro__ == (yamlsrc._RecordLoader, _yaml.CParser, object)
    finally:
        loader.dispose()


def test_threads_parsing_at_once_each_get_their_own_answers() -> None:
    """Composing for positions (PyYAML's nodes) while another thread takes the shortcut (records)."""
    text = "id: core\nlayers:\n  - {name: weekly, members: [ana, ben], length: 1w}\n"
    expected = {"id": "core", "layers": [{"name": "weekly", "members": ["ana", "ben"], "length": "1w"}]}
    failures: list[str] = []

    def shortcut() -> None:
        for _ in range(300):
            if yamlsrc.parse_yaml(text, "f.yaml", positions=False).data != expected:
                failures.append("shortcut")

    def positions() -> None:
        for _ in range(300):
            node = yamlsrc.compose(text)
            if not isinstance(node, yaml.MappingNode) or node.value[1][1].value[0].start_mark.line != 2:
                failures.append("compose")
            if yamlsrc.parse_yaml(text, "f.yaml").source_map.value(("layers", 0, "members", 1)) != (3, 35):
                failures.append("source map")

    threads = [threading.Thread(target=work) for work in (shortcut, positions, shortcut, positions)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns as often as they can
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(st.text(max_size=12), st.from_regex(r"\A[-+.~=<0-9a-zA-Z:_]{0,10}\Z")))
def test_plain_scalars_are_resolved_as_pyyaml_resolves_them(text: str) -> None:
    expected = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    assert yamlsrc._resolve_plain(text) == expected
    assert yamlsrc._resolve_plain(text) == expected  # remembered


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("-:[{?} \n\r\tab")), max_size=60))
def test_the_structure_bound_is_never_below_the_count(text: str) -> None:
    assert yamlsrc._structure_bound(text) >= yamlsrc._structure_tokens(text)


def test_repeated_keys_and_short_quoted_texts_are_one_object_each() -> None:
    """What crosses from the loader's forked child is pickled once per distinct key and short text."""
    text = 'a:\n  - {id: x, from: "2026-12-20", to: "2026-12-24"}\n  - {id: y, from: "2026-12-20", to: "2026-12-25"}\n'
    first, second = yamlsrc.parse_yaml(text, "f.yaml", positions=False).data["a"]
    assert [id(key) for key in first] == [id(key) for key in second] == [id(sys.intern(k)) for k in first]
    assert first["from"] is second["from"]
