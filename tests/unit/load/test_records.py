"""Records the loader makes without ``__init__`` (build._record) are the records their constructors make.

And each compares, hashes and shows as the standard library's ``dataclass`` would make it.
"""

from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from opsrepo import model as m
from opsrepo.load import build
from opsrepo.load.repo import load_repo
from tests.fixtures.cases import needs_unprivileged_reader, overlay_case
from tests.helpers import FIXTURES, MINIMAL, ROOT, copy_repo
from tests.unit.test_dataclass_records import answer, twin

sys.path.insert(0, str(Path(__file__).parents[3] / "benchmarks"))
from genorg import generate

#: the records the loader makes with build._record
FAST = {m.Src, m.TimeOff, m.Person, m.Service, m.Team, m.Schedule, m.Layer, m.Override, m.EscalationLevel,
        m.EscalationPolicy, m.Target, m.Derive}


def _records(value: Any, found: list[Any]) -> None:
    """Every model record reachable from ``value`` (not into a Src's document)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__module__ == m.__name__:
            found.append(value)
        for f in dataclasses.fields(value):
            if f.name != "document":
                _records(getattr(value, f.name), found)
    elif isinstance(value, tuple | list | frozenset | set):
        for item in value:
            _records(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _records(item, found)


def _check(root: Path, seen: Counter[type]) -> None:
    found: list[Any] = []
    _records(load_repo(root).repo, found)
    for record in found:
        names = [f.name for f in dataclasses.fields(record)]
        # every field, in declaration order, as __init__ sets them, and nothing else
        assert list(vars(record)) == names, type(record)
        plain = type(record)(**{name: getattr(record, name) for name in names})
        assert vars(plain) == vars(record)
        assert plain == record
        if type(record) in FAST:
            assert hash(plain) == hash(record)
        assert repr(plain) == repr(record)
        # and as the standard library's dataclass makes it (opsrepo.records makes eq, hash and repr)
        standard = twin(type(record))(**{name: getattr(record, name) for name in names})
        assert repr(standard) == repr(record)
        assert answer(hash, standard) == answer(hash, record)  # or both fail alike
        seen[type(record)] += 1


def _cases() -> list[dict[str, Any]]:
    cases = []
    for path in sorted((FIXTURES / "cases").glob("*.yaml")):
        cases += [case for case in yaml.safe_load(path.read_text(encoding="utf-8"))
                  if not needs_unprivileged_reader(case)]
    return cases


def test_every_record_of_the_case_corpus_and_the_example_is_its_constructors(tmp_path: Path) -> None:
    seen: Counter[type] = Counter()
    _check(ROOT, seen)
    for number, case in enumerate(_cases()):
        root = copy_repo(MINIMAL, tmp_path / str(number))
        overlay_case(root, case["files"])
        _check(root, seen)
    assert set(seen) >= FAST
    assert min(seen[kind] for kind in FAST) >= 5


def test_every_record_of_a_realistic_org_is_its_constructors(tmp_path: Path) -> None:
    generate(tmp_path, 30, 0, "realistic")
    seen: Counter[type] = Counter()
    _check(tmp_path, seen)
    assert set(seen) >= FAST
    assert seen[m.TimeOff] >= 30


@pytest.mark.parametrize("kind", sorted(FAST, key=lambda kind: kind.__name__))
def test_a_record_missing_a_field_is_told_apart(kind: type) -> None:
    # the check above fails where _record is given one field too few
    names = [f.name for f in dataclasses.fields(kind)]
    short = build._record(kind, **dict.fromkeys(names[:-1]))
    assert list(vars(short)) != names
