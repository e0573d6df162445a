"""The compiled fast path (fastjsonschema, definitions inlined) accepts exactly what jsonschema accepts."""

from __future__ import annotations

import copy
import importlib
import importlib.util
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opsrepo import schemas
from opsrepo.load import alertfiles
from opsrepo.load.files import discover, read_document
from tests.helpers import ROOT

DOCUMENTS = [document for kind, path in discover(ROOT)
             if (document := read_document(ROOT, kind, path)[0]) is not None and document.kind in schemas.KINDS]
DOCUMENTS += [document for _, path in alertfiles.find(ROOT, alertfiles.DEFAULT_PATHS)
              for document, _ in alertfiles.read_rule_file(ROOT, path) if document is not None]
JSON = st.recursive(st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=6),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
                    max_leaves=6)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


def _agree(kind: str, data: Any) -> None:
    fast = schemas._compiled(kind)
    try:
        fast(data)
        accepted = True
    except Exception:
        accepted = False
    assert accepted == schemas._validator(kind).is_valid(data), (kind, data)


def test_the_example_repo_passes_both() -> None:
    assert {document.kind for document in DOCUMENTS} == set(schemas.KINDS)
    assert len(DOCUMENTS) > 40
    for document in DOCUMENTS:
        _agree(document.kind, document.data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_document_with_one_value_replaced_gets_the_same_verdict(data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(DOCUMENTS))
    mutated = copy.deepcopy(document.data)
    path = data.draw(st.sampled_from(_paths(mutated)[1:]))
    parent = mutated
    for step in path[:-1]:
        parent = parent[step]
    if data.draw(st.booleans()) and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = data.draw(JSON)
    _agree(document.kind, mutated)


ITEMS = st.lists(st.one_of(st.sampled_from(["a", "b", "mon", ""]), st.booleans(), st.integers(-1, 2), st.none(),
                           st.floats(allow_nan=False).filter(lambda x: x in (0.0, 1.0, 0.5)),
                           st.lists(st.sampled_from(["a", 1, True]), max_size=2),
                           st.dictionaries(st.sampled_from(["a", "b"]), st.sampled_from([1, True, "a"]), max_size=2),
                           st.tuples(st.just(bool), st.booleans())), max_size=6)


@settings(max_examples=500, deadline=None)
@given(ITEMS)
def test_repeats_answers_what_fastjsonschema_s_unique_items_check_answers(items: list[Any]) -> None:
    from opsrepo.schemas.compiled import repeats

    texts = [str(item) for item in items]  # the shortcut's case
    for checked in (items, texts):
        assert repeats(checked) == (len(checked) > len({_FN(item) for item in checked}))


def _fastjsonschema_fn() -> Any:
    """The function fastjsonschema's generated uniqueItems check defines (as scripts/make_schemas.py knows it)."""
    script = importlib.util.spec_from_file_location("make_schemas", ROOT / "scripts" / "make_schemas.py")
    assert script is not None and script.loader is not None
    module = importlib.util.module_from_spec(script)
    script.loader.exec_module(module)
    namespace: dict[str, Any] = {}
    exec(module.UNIQUE_ITEMS_FN, namespace)
    return namespace["fn"]


_FN = _fastjsonschema_fn()


PATTERNED = [module for kind in schemas.KINDS
             if (module := importlib.import_module(f"opsrepo.schemas.compiled.{kind}")).REGEX_PATTERNS]
TEXTS = st.lists(st.sampled_from(["ada", "ada-1", "-ada", "09:00", "24:00", "24:01", "1w2d", "", "Europe/Paris",
                                  "2026-12-07T09:00", "a@b", "DE", "ada\n"])
                 | st.text(alphabet="aA0-:T/@ \n", max_size=8), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PATTERNED), st.data())
def test_a_pattern_check_asking_the_matched_texts_first_answers_what_the_search_answers(
        module: Any, data: st.DataObject) -> None:
    from opsrepo.schemas.compiled import matches

    key = data.draw(st.sampled_from(sorted(module.REGEX_PATTERNS)))
    pattern = module.REGEX_PATTERNS[key]
    matched: set[str] = set()
    for text in data.draw(TEXTS) * 2:  # each text again once it may be kept
        searched = pattern.search(text) is not None
        assert (text in matched or matches(matched, pattern, text)) == searched, (key, text)
        assert (text in matched) == searched
    assert all(pattern.search(text) for text in module.MATCHED[key])  # the generated checks' own sets


def test_the_matched_texts_start_again_past_their_limit(monkeypatch: Any) -> None:
    from opsrepo.schemas import compiled

    monkeypatch.setattr(compiled, "MATCHED_KEPT", 2)
    pattern = re.compile(r"^[a-z]+\Z")
    matched: set[str] = set()
    assert [compiled.matches(matched, pattern, text) for text in ("a", "B", "b", "c")] == [True, False, True, True]
    assert matched == {"c"}


def test_each_generated_pattern_check_asks_the_matched_texts_first() -> None:
    for module in PATTERNED:
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert ".search(" not in source and source.count("not in MATCHED[") == source.count(" matches(MATCHED[")
        assert source.count(" matches(MATCHED[") == source.count("REGEX_PATTERNS[") > 0, module.__name__


def _plain_validators() -> dict[str, Any]:
    """Each kind's validator as fastjsonschema writes it: no shortcut of scripts/make_schemas.py for key sets,
    required keys or patterns (the unique-items one has its own test)."""
    script = importlib.util.spec_from_file_location("make_schemas_plain", ROOT / "scripts" / "make_schemas.py")
    assert script is not None and script.loader is not None
    module = importlib.util.module_from_spec(script)
    script.loader.exec_module(module)
    module.key_checks = module.pattern_memo = module.required_checks = lambda code: code
    found = {}
    for kind in schemas.KINDS:
        namespace: dict[str, Any] = {}
        exec(module.validator_code(kind, module.render(kind)), namespace)
        found[kind] = namespace["validate"]
    return found


PLAIN = _plain_validators()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_generated_validators_answer_what_fastjsonschema_s_own_code_answers(data: st.DataObject) -> None:
    document = data.draw(st.sampled_from(DOCUMENTS))
    mutated = copy.deepcopy(document.data)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = _paths(mutated)
        path = data.draw(st.sampled_from(paths))
        target = _at(mutated, path)
        objects = [place for place in paths if isinstance(_at(mutated, place), dict)]
        if objects and data.draw(st.booleans()):  # a key added to an object: known elsewhere, or not at all
            parent = _at(mutated, data.draw(st.sampled_from(objects)))
            parent[data.draw(st.sampled_from(["id", "name", "from", "extra", "time_off", "people"]))] = \
                data.draw(JSON)
        elif path and isinstance(_at(mutated, path[:-1]), dict) and data.draw(st.booleans()):
            del _at(mutated, path[:-1])[path[-1]]
        elif path:
            _at(mutated, path[:-1])[path[-1]] = data.draw(JSON) if data.draw(st.booleans()) else target
    assert _accepts(schemas._compiled(document.kind), mutated) == _accepts(PLAIN[document.kind], mutated), \
        (document.kind, mutated)


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


def test_an_unknown_or_a_removed_key_anywhere_gets_fastjsonschema_s_own_verdict() -> None:
    checked = 0
    for document in DOCUMENTS:
        for path in _paths(document.data):
            if not isinstance(_at(document.data, path), dict):
                continue
            for change in ("extra", *_at(document.data, path)):
                mutated = copy.deepcopy(document.data)
                place = _at(mutated, path)
                if change == "extra":
                    place["extra"] = 1
                else:
                    del place[change]
                verdicts = [_accepts(validate, mutated) for validate in (schemas._compiled(document.kind),
                                                                         PLAIN[document.kind])]
                assert verdicts[0] == verdicts[1], (document.kind, path, change)
                checked += 1
    assert checked > 1000


def _accepts(validate: Any, data: Any) -> bool:
    try:
        validate(data)
    except Exception:
        return False
    return True


def test_a_value_of_another_type_anywhere_gets_fastjsonschema_s_own_verdict() -> None:
    checked = 0
    for document in DOCUMENTS[:60]:
        for path in _paths(document.data)[1:]:
            for other in (1, "x", {}, [], None):
                mutated = copy.deepcopy(document.data)
                _at(mutated, path[:-1])[path[-1]] = other
                verdicts = [_accepts(validate, mutated) for validate in (schemas._compiled(document.kind),
                                                                         PLAIN[document.kind])]
                assert verdicts[0] == verdicts[1], (document.kind, path, other)
                checked += 1
    assert checked > 1000


def test_a_pattern_in_several_schemas_is_one_search_with_one_set_of_matched_texts() -> None:
    # a text kept by one kind's check of a pattern answers another kind's check of it: both must search alike
    by_key: dict[str, list[Any]] = {}
    for module in PATTERNED:
        for key in module.REGEX_PATTERNS:
            by_key.setdefault(key, []).append(module)
    shared = {key: modules for key, modules in by_key.items() if len(modules) > 1}
    assert len(shared) >= 3
    for key, modules in shared.items():
        first = modules[0]
        for module in modules[1:]:
            assert module.MATCHED[key] is first.MATCHED[key], key
            assert module.REGEX_PATTERNS[key].pattern == first.REGEX_PATTERNS[key].pattern, key
            assert module.REGEX_PATTERNS[key].flags == first.REGEX_PATTERNS[key].flags, key
    keys = [key for module in PATTERNED for key in module.REGEX_PATTERNS]
    assert len({id(module.MATCHED[key]) for module in PATTERNED for key in module.REGEX_PATTERNS}) == len(set(keys))
