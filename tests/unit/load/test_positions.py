"""Positions read off the node graph are the source map's, for every path (corpus and hypothesis).

:meth:`opsrepo.load.files.Document.location` walks the composed nodes down
one path instead of building the whole source map; where it answers, it must
give exactly what the map gives: for each key and value the map holds, and
for paths that go further than the document does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.load import files
from opsrepo.load.files import parse_document
from opsrepo.load.yamlsrc import compose, early_position, parse_yaml, position
from tests.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[3]


def _corpus() -> list[Any]:
    texts = {str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
             for folder in (FIXTURES, ROOT / "teams", ROOT / "schedules", ROOT / "policies")
             for p in sorted(folder.rglob("*.y*ml"))}
    for path in sorted((FIXTURES / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            for name, text in (case.get("files") or {}).items():
                if isinstance(text, str) and name.endswith((".yaml", ".yml")):
                    texts[f"{path.stem}/{case['name']}/{name}"] = text
    return [pytest.param(text, id=name) for name, text in texts.items()]


def assert_positions_agree(text: str) -> int:
    """Compare every path of the map (and a step beyond each); the number of answers compared."""
    parsed = parse_yaml(text, "f.yaml", 3)
    root = compose(text)
    if parsed.data is None or root is None:
        return 0
    paths = {*parsed.source_map.values, *parsed.source_map.keys}
    paths |= {(*path, extra) for path in list(paths) for extra in ("nope", 0, 7, -1)}
    compared = 0
    for path in sorted(paths, key=repr):
        for key in (False, True):
            expected = (parsed.source_map.key if key else parsed.source_map.value)(path)
            found = position(root, path, key, 3)
            if found is not None:
                assert found == expected, (path, key)
                compared += 1
            early = early_position(text, path, key, 3) if not parsed.diagnostics else None
            if early is not None:
                assert early == expected, (path, key, "early")
                compared += 1
    return compared


@pytest.mark.parametrize("text", _corpus())
def test_positions_of_the_corpus_are_the_source_maps(text: str) -> None:
    assert_positions_agree(text)


@pytest.mark.parametrize("text", [*_corpus(), "id:\n  x\nname: y\n", "id:\tx\n", "id: x\nid: y\n",
                                  "id:x: 1\nid: 2\n", "id::x\n", "id: x\n---\nid: y\n"])
def test_the_id_key_on_the_first_line_is_placed_as_the_map_places_it(text: str) -> None:
    for kind, offset, raw in (("team", 0, text), ("runbook", 1, f"---\n{text}---\nbody\n")):
        document, _ = parse_document("teams/t.yaml" if kind == "team" else "runbooks/r.md", kind, raw.encode())
        if document is None or not isinstance(document.data, dict) or "id" not in document.data:
            continue
        expected = parse_yaml(document.yaml_text, document.path, offset).source_map.key(("id",))
        assert (document.location("id", key=True).line, document.location("id", key=True).column) == expected


KEYS = st.sampled_from(["id", "name", "layers", "members", "<<", "start", "0", "1", "true"])
SCALARS = st.one_of(st.sampled_from(["x", "9:00", "12h", "yes", "2026-01-05", "", "a b"]), st.integers(-3, 3))
DOCUMENTS = st.recursive(
    SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)),
    max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(DOCUMENTS, st.booleans(), st.data())
def test_positions_of_generated_documents_are_the_source_maps(document: Any, flow: bool,
                                                              data: st.DataObject) -> None:
    text = yaml.safe_dump({"top": document, "id": "x"}, default_flow_style=flow, sort_keys=False)
    if data.draw(st.booleans()):  # a repeated key, written again at the end
        text += "id: y\n"
    assert_positions_agree(text)


def test_a_merge_or_a_repeated_key_on_the_way_leaves_it_to_the_map() -> None:
    text = "base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\nid: a\nid: b\n"
    root = compose(text)
    assert root is not None
    assert position(root, ("use", "x"), False) is None
    assert position(root, ("id",), True) is None
    assert position(root, ("base", "x"), False) is None  # the top mapping repeats 'id'
    loop = compose("a: &x [1, *x]\n")
    assert loop is not None
    assert position(loop, ("a", 1, 0), False) is None


@pytest.mark.parametrize("text", ["a: &x [1, *x]\nb: *x\n", "a: &x {k: 1}\nb: *x\nc: [*x, {d: *x}]\n",
                                  "a: ! {k: [1, !!seq [2]]}\nb: !!map {x: !!str 1}\n", "a: &x {k: *x, j: [*x]}\n", "a: !!set {x: 1}\n",
                                  "a: !custom [1, [2]]\nb: !!seq [3]\n", "? [1]\n: 2\nc: 3\n"])
def test_aliases_recursion_tags_and_complex_keys(text: str) -> None:
    assert_positions_agree(text)


def test_placing_every_item_of_a_long_list_reads_the_text_a_bounded_number_of_times(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A rule that places all 2,000 action items: the first places walk the text, then the map answers."""
    items = "".join(f"  - {{id: i{n}, title: Do {n}}}\n" for n in range(2000))
    text = f"id: pm\naction_items:\n{items}"
    document, problems = parse_document("postmortems/pm.yaml", "team", text.encode())
    assert document is not None and problems == []
    walks: list[tuple[Any, ...]] = []
    real = files.early_position

    def counted(text: str, path: Any, key: bool, line_offset: int = 0) -> tuple[int, int] | None:
        walks.append(path)
        return real(text, path, key, line_offset)

    monkeypatch.setattr(files, "early_position", counted)
    placed = [(location.line, location.column)
              for location in (document.location("action_items", n, "id") for n in range(2000))]
    assert placed == [(3 + n, 10) for n in range(2000)]
    assert walks == [("action_items", n, "id") for n in range(8)]  # then the map, built once


def test_the_walk_reads_event_records_and_leaves_pyyaml_s_events_in_place() -> None:
    """This PyYAML's parser makes the records (else places cost a composed graph); its events come back after."""
    from yaml import _yaml

    from opsrepo.load import yamlsrc

    assert yamlsrc._events_work() is True
    assert early_position("a:\n  - b\n  - {c: d}\n", ("a", 1, "c"), False, 3) == (6, 9)
    assert early_position("a: [b\n", ("a", 1), False) is None  # a syntax error on the way: the graph's turn
    assert all(getattr(_yaml, name) is getattr(yaml.events, name) for name in yamlsrc._EVENT_CLASSES)
    assert [type(event).__name__ for event in yaml.parse("a: b\n", Loader=yaml.CSafeLoader)] == [
        "StreamStartEvent", "DocumentStartEvent", "MappingStartEvent", "ScalarEvent", "ScalarEvent",
        "MappingEndEvent", "DocumentEndEvent", "StreamEndEvent"]


def test_a_parser_that_ignores_the_swap_leaves_every_place_to_the_node_graph(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A PyYAML whose parser does not find its event classes by module globals: the probe fails, places stay right."""
    import types

    from opsrepo.load import yamlsrc

    decoy = types.SimpleNamespace(**{name: getattr(yaml.events, name) for name in yamlsrc._EVENT_CLASSES},
                                  ScalarNode=yaml.ScalarNode, SequenceNode=yaml.SequenceNode,
                                  MappingNode=yaml.MappingNode, Mark=object)
    monkeypatch.setattr(yamlsrc, "_composer", decoy)  # the swap lands here, not where the parser looks
    monkeypatch.setattr(yamlsrc, "_EVENTS_WORK", None)
    monkeypatch.setattr(yamlsrc, "_RECORDS_WORK", None)
    text = "id: core\nlayers:\n  - {name: weekly, members: [ana, ben]}\n"
    assert early_position(text, ("layers", 0, "members", 1), False) is None
    assert yamlsrc._EVENTS_WORK is False
    document, problems = parse_document("schedules/core.yaml", "schedule", text.encode())
    assert document is not None and problems == []
    where = document.location("layers", 0, "members", 1)
    assert (where.line, where.column) == (3, 35) == parse_yaml(text, "f").source_map.value(("layers", 0, "members", 1))
