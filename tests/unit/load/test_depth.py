"""opsrepo measures nesting itself: the same answer whatever YAML parser is installed."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.load import yamlsrc
from opsrepo.load.depth import first_too_deep
from opsrepo.load.yamlsrc import MAX_DEPTH, parse_yaml

HINT = "flatten the structure; opsrepo files need only a few levels"
MESSAGE = f"collections nest more than {MAX_DEPTH} levels deep here"


def _events_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """The reference: the pure-Python parser's events (it has no nesting cap of its own)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > limit:
                return event.start_mark.line + 1, event.start_mark.column + 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _flow(depth: int) -> tuple[str, tuple[int, int]]:
    prefix = "id: deep\nname: "
    return prefix + "[" * depth + "]" * depth + "\n", (2, len("name: ") + MAX_DEPTH)


def _flow_open(depth: int) -> tuple[str, tuple[int, int]]:
    text, where = _flow(depth)
    return text.replace("]", ""), where


def _block_sequences(depth: int) -> tuple[str, tuple[int, int]]:
    return "id: deep\npeople:\n  " + "- " * depth + "x\n", (3, 3 + 2 * (MAX_DEPTH - 1))


def _block_mappings(depth: int) -> tuple[str, tuple[int, int]]:
    lines = ["id: deep"] + [" " * level + f"k{level}:" for level in range(depth)] + [" " * depth + "v: 1"]
    return "\n".join(lines) + "\n", (MAX_DEPTH + 2, MAX_DEPTH + 1)


SHAPES = {"flow": _flow, "flow-unclosed": _flow_open, "block-sequences": _block_sequences,
          "block-mappings": _block_mappings}


def _loaders() -> list[Any]:
    loaders = [yaml.SafeLoader]
    if hasattr(yaml, "CSafeLoader"):
        loaders.append(yaml.CSafeLoader)
    return loaders


@pytest.mark.parametrize("loader", _loaders(), ids=lambda loader: loader.__name__)
@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 999, 1000, 1001, 100_000])
def test_too_deep_is_reported_where_level_101_begins_with_either_loader(
    depth: int, shape: str, loader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shape == "block-mappings" and depth > 1001:
        depth = 1001  # indentation makes 100,000 levels a 5 GB text; 1001 already passes libyaml's cap
    text, (line, column) = SHAPES[shape](depth)
    monkeypatch.setattr(yamlsrc, "_Loader", type("Loader", (loader,), {"resolve": yamlsrc._Loader.resolve}))
    parsed = parse_yaml(text, "teams/deep.yaml")
    assert [d.to_dict() | {"hint": d.hint} for d in parsed.diagnostics] == [{
        "code": "OPS014", "file": "teams/deep.yaml", "line": line, "column": column,
        "message": MESSAGE, "hint": HINT,
    }]


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_exactly_the_limit_is_allowed(shape: str) -> None:
    text, _ = SHAPES[shape](MAX_DEPTH - 1)  # each shape sits under the top mapping
    assert first_too_deep(text, MAX_DEPTH) is None


def test_what_cannot_open_a_collection_is_stepped_over() -> None:
    text = (
        "a: '[[[ '' {{'\n"
        'b: "[[[ \\" {{"\n'
        "c: x[y] # [[[\n"
        "d: |\n  [[[[\n  {{{{\n"
        "e: [don't, \"]]\", 'x]', # ]]\n   [f]]\n"
        'g: "multi [[\n  line ]]"\n'
        "h: [x]\n"
    )
    assert first_too_deep(text, 3) is None
    assert first_too_deep(text, 2) == _events_too_deep(text, 2) == (8, 4)
    assert first_too_deep(text, 1) == _events_too_deep(text, 1) == (7, 4)


# --- the property: the scanner places every level where the parser does ------------------------

_WORDS = st.sampled_from(["x", "ana", "a b", "x[y]", "http://h:1/p", "don't", "a#b", "1", "09:00x"])
_QUOTED = st.sampled_from(["'[['", "'it''s ]'", '"{{"', '"a\\"]"', '"k: v"', "'#'"])


def _scalar(draw: Any) -> str:
    return draw(st.one_of(_WORDS, _QUOTED))


@st.composite
def _tree(draw: Any, depth: int = 0) -> Any:
    if depth > 4 or draw(st.integers(0, 3)) == 0:
        return ("scalar", _scalar(draw))
    kind = draw(st.sampled_from(["map", "seq", "flowseq", "flowmap", "literal"]))
    if kind == "literal":
        return ("literal", draw(st.sampled_from(["[[[", "{ x", "- - a", "k: v"])))
    size = draw(st.integers(1, 3))
    anchor = draw(st.sampled_from(["", "", "&a ", "!!" + ("seq " if "seq" in kind else "map ")]))
    return (kind, anchor, [draw(_tree(depth + 1)) for _ in range(size)])


def _flow_text(node: Any) -> str:
    if node[0] in ("scalar", "literal"):
        return node[1] if node[0] == "scalar" else "'lit'"
    kind, anchor, children = node
    if kind in ("seq", "flowseq"):
        return anchor + "[" + ", ".join(_flow_text(child) for child in children) + "]"
    return anchor + "{" + ", ".join(f"k{i}: {_flow_text(c)}" for i, c in enumerate(children)) + "}"


def _block_text(node: Any, indent: int, seq_style: int) -> list[str]:
    """Lines of ``node`` as the value of a key or an entry already written at ``indent``."""
    pad = " " * indent
    if node[0] == "scalar":
        return [" " + node[1]]
    if node[0] == "literal":
        return [" |", f"{pad}  {node[1]}"]
    kind, anchor, children = node
    if kind in ("flowseq", "flowmap"):
        return [" " + _flow_text(node)]
    lines = [" " + anchor.strip()] if anchor else [""]
    inner = indent + 2
    for index, child in enumerate(children):
        head = f"{' ' * inner}- " if kind == "seq" else f"{' ' * inner}k{index}:"
        if kind == "seq" and seq_style and index == 0 and not anchor and child[0] in ("seq", "map") \
                and not child[1]:
            sub = _block_text(child, inner, seq_style)  # compact: "- - x" / "- k: v"
            lines.append(f"{' ' * inner}- {sub[1].lstrip()}")
            lines.extend(sub[2:])
            continue
        sub = _block_text(child, inner, seq_style)
        lines.append(head + sub[0])
        lines.extend(sub[1:])
    return lines


@given(_tree(), st.integers(0, 1), st.sampled_from(["", "# comment [[[\n", "---\n"]))
@settings(max_examples=400, deadline=None)
def test_scanner_agrees_with_the_parser_at_every_limit(tree: Any, seq_style: int, header: str) -> None:
    body = _block_text(("map", "", [tree]), -2, seq_style)
    text = header + "\n".join(line for line in body if line.strip()) + "\n"
    try:
        list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return  # the generator wrote something YAML refuses; only valid texts make the property
    for limit in range(8):
        assert first_too_deep(text, limit) == _events_too_deep(text, limit), (limit, text)


# --- texts the builder measures: more structure than the limit, not more than a composer takes ------

def test_nesting_built_through_aliases_past_the_limit_is_not_too_deep_as_written() -> None:
    chain = "\n".join(f"a{i}: &a{i} [*a{i - 1}]" if i else "a0: &a0 [x]" for i in range(120))
    parsed = parse_yaml(chain + "\n", "teams/aliases.yaml")
    assert parsed.diagnostics == []
    assert first_too_deep(chain, MAX_DEPTH) is None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 499])
def test_deep_text_with_a_syntax_error_after_it_reports_the_depth(depth: int) -> None:
    text, (line, column) = _block_sequences(depth)
    parsed = parse_yaml(text + "oops: [\n", "teams/deep.yaml")
    assert [(d.code, d.line, d.column) for d in parsed.diagnostics] == [("OPS014", line, column)]


def test_deep_text_is_reported_before_python_runs_out_of_recursion() -> None:
    text, (line, column) = _flow(900)
    assert [(d.code, d.line, d.column) for d in parse_yaml(text, "f.yaml").diagnostics] == [
        ("OPS014", line, column)]
