"""opsrepo.records.dataclass makes the classes the standard library's ``dataclass`` makes, methods and all."""

from __future__ import annotations

import dataclasses
import functools
import importlib
import inspect
import math
import operator
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo import errors, model, records

#: values fields are given: equal and unequal, unorderable, unhashable, a NaN (equal to itself only as one object)
NAN = math.nan
POOL: list[Any] = [0, 1, 1.0, True, "a", "b", None, NAN, (1, 2), (1, "a"), [1], frozenset({1})]
METHODS = ("__eq__", "__hash__", "__repr__", "__lt__", "__le__", "__gt__", "__ge__", "__init__", "__setattr__",
           "__delattr__")


def answer(make: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, ...]:
    """What ``make(*args, **kwargs)`` answers: its value, or the kind of exception it raises and its message."""
    try:
        return "is", make(*args, **kwargs)
    except Exception as error:  # the same kind of failure counts as the same answer
        return "raises", type(error), str(error)


def _hash(value: Any) -> Any:
    """``hash(value)``, or "by identity" (which differs between any two objects)."""
    return "by identity" if type(value).__hash__ is object.__hash__ else hash(value)


def _shown(value: Any) -> str:
    """``repr(value)`` without addresses (which differ between any two objects)."""
    return re.sub(r" at 0x[0-9a-f]+", " at 0x", repr(value))


#: a field: compare, hash, repr, and its default (none, None, a new list each time, keyword-only None)
Spec = tuple[bool, bool | None, bool, str]
field_specs = st.lists(st.tuples(st.booleans(), st.sampled_from([None, True, False]), st.booleans(),
                                 st.sampled_from(["", "", "", "none", "list", "kw"])), max_size=4)
options = st.fixed_dictionaries({}, optional={
    "frozen": st.booleans(), "eq": st.booleans(), "repr": st.booleans(), "order": st.booleans(),
    "init": st.booleans(),
})
#: what the class body has of its own: a docstring, methods, a base that is not a dataclass
explicit = st.sets(st.sampled_from(["doc", "doc", "__eq__", "__hash__", "__repr__", "__lt__", "hash-none",
                                    "__post_init__", "__setattr__", "__init__", "base"]), max_size=3)


class _Base:
    """A plain base class."""

    where = "base"


def _post_init(self: Any) -> None:
    object.__setattr__(self, "posted", len(vars(self)))


def _body(specs: list[Spec], own: set[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"__annotations__": {f"f{n}": "Any" for n in range(len(specs))}, "__qualname__": "Rec",
                            "__module__": __name__}
    for n, (compare, hashed, shown, default) in enumerate(specs):
        given: dict[str, Any] = {"none": {"default": None}, "list": {"default_factory": list},
                                 "kw": {"default": None, "kw_only": True}}.get(default, {})
        body[f"f{n}"] = dataclasses.field(compare=compare, hash=hashed, repr=shown, **given)
    if "doc" in own:
        body["__doc__"] = "A record."
    if "__post_init__" in own:
        body["__post_init__"] = _post_init
    if "__setattr__" in own:
        body["__setattr__"] = lambda self, name, value: object.__setattr__(self, name, value)
    if "__init__" in own:
        body["__init__"] = lambda self, *args: object.__setattr__(self, "given", args)
    if "__eq__" in own:
        body["__eq__"] = lambda self, other: "own eq"
    if "__hash__" in own:
        body["__hash__"] = lambda self: 7
    if "hash-none" in own:
        body["__hash__"] = None
    if "__repr__" in own:
        body["__repr__"] = lambda self: "own repr"
    if "__lt__" in own:
        body["__lt__"] = lambda self, other: "own lt"
    return body


def _both(specs: list[Spec], params: dict[str, Any], own: set[str]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    bases = (_Base,) if "base" in own else ()
    standard = answer(lambda: dataclasses.dataclass(**params)(type("Rec", bases, _body(specs, own))))
    ours = answer(lambda: records.dataclass(**params)(type("Rec", bases, _body(specs, own))))
    return standard, ours


def _same_methods(standard: type, ours: type) -> None:
    for name in METHODS:
        assert (name in vars(standard)) == (name in vars(ours)), name
    assert (standard.__hash__ is None) == (ours.__hash__ is None)
    assert vars(standard)["__dataclass_fields__"].keys() == vars(ours)["__dataclass_fields__"].keys()
    assert repr(vars(standard)["__dataclass_params__"]) == repr(vars(ours)["__dataclass_params__"])
    assert standard.__doc__ == ours.__doc__
    assert getattr(standard, "__match_args__", None) == getattr(ours, "__match_args__", None)
    assert str(inspect.signature(standard)) == str(inspect.signature(ours))


@settings(max_examples=400, deadline=None)
@given(field_specs, options, explicit, st.data())
def test_classes_and_their_methods_answer_as_the_standard_librarys(
        specs: list[Spec], params: dict[str, Any], own: set[str], data: st.DataObject,
) -> None:
    standard, ours = _both(specs, params, own)
    assert standard[0] == ours[0]
    if standard[0] == "raises":  # e.g. order without eq, an ordering method of its own, fields out of order
        assert standard[1:] == ours[1:]
        return
    plain, fast = standard[1], ours[1]
    _same_methods(plain, fast)
    _made_alike(plain, fast, specs, data)
    values = [data.draw(st.lists(st.sampled_from(POOL), min_size=len(specs), max_size=len(specs))) for _ in "ab"]
    if len(specs) and data.draw(st.booleans()):
        values[1] = list(values[0])  # equal fields, other objects where a value is a list
    pa, pb = (_record(plain, given) for given in values)
    fa, fb = (_record(fast, given) for given in values)
    checks: list[Callable[[Any, Any], Any]] = [
        lambda x, y: x == y, lambda x, y: x != y, lambda x, y: x == x, lambda x, y: x == 1, lambda x, y: _hash(x),
        lambda x, y: _hash(y), lambda x, y: _shown(x), lambda x, y: _shown(y), lambda x, y: x < y,
        lambda x, y: x <= y, lambda x, y: x > y, lambda x, y: x >= y, lambda x, y: x < 1,
    ]
    for check in checks:
        assert answer(check, pa, pb) == answer(check, fa, fb)


def _record(kind: type, values: list[Any]) -> Any:
    """An instance of ``kind`` with ``values`` for its fields, made as the loader makes records (no ``__init__``)."""
    made = object.__new__(kind)
    made.__dict__.update((f"f{n}", value) for n, value in enumerate(values))
    return made


def _made_alike(plain: type, fast: type, specs: list[Spec], data: st.DataObject) -> None:
    """Both classes make, refuse, guard and replace instances alike (the lazy ``__init__`` among them)."""
    names = [f"f{n}" for n in range(len(specs))]
    given = data.draw(st.lists(st.sampled_from(POOL), max_size=len(specs) + 1))
    for make in (lambda kind: vars(kind(*given)), lambda kind: vars(kind(**dict(zip(names, given, strict=False)))),
                 lambda kind: vars(kind()), lambda kind: vars(kind(1, 2, 3, 4, 5, 6)), lambda kind: vars(kind(x=1))):
        assert answer(make, plain) == answer(make, fast)
    made = [answer(kind, **dict.fromkeys(names, 1)) for kind in (plain, fast)]
    if made[0][0] == "raises":
        return
    for name in [*names, "other", "__dict__"]:
        for change in (lambda one, name=name: setattr(one, name, 2), lambda one, name=name: delattr(one, name),
                       lambda one: vars(dataclasses.replace(one, **dict.fromkeys(names[:1], 3)))):
            assert answer(change, made[0][1]) == answer(change, made[1][1])
    subs = [type("Sub", (kind,), {}) for kind in (plain, fast)]
    made = [answer(kind, **dict.fromkeys(names, 1)) for kind in subs]
    assert made[0][0] == made[1][0]
    if made[0][0] == "is":
        for name in [*names, "other"]:
            assert answer(setattr, made[0][1], name, 4) == answer(setattr, made[1][1], name, 4)
            assert answer(delattr, made[0][1], name) == answer(delattr, made[1][1], name)


def test_an_instance_inside_itself_is_shown_as_the_standard_library_shows_it() -> None:
    specs: list[Spec] = [(True, None, True, ""), (True, None, True, "")]
    for frozen in (False, True):
        plain = dataclasses.dataclass(frozen=frozen)(type("Rec", (), _body(specs, set())))
        fast = records.dataclass(frozen=frozen)(type("Rec", (), _body(specs, set())))
        shown = []
        for kind in (plain, fast):
            inner: list[Any] = []
            made = kind(1, inner)
            inner.append(made)
            shown.append(repr(made))
        assert shown[0] == shown[1] == "Rec(f0=1, f1=[...])"


def test_the_options_it_does_not_make_itself_are_the_standard_librarys() -> None:
    made = records.dataclass(frozen=True, unsafe_hash=True)(type("Rec", (), _body([(True, None, True, "")], set())))
    assert made.__hash__.__qualname__ == "Rec.__hash__"
    assert hash(made(1)) == hash((1,))
    assert made.__eq__.__code__.co_filename == "<string>"  # compiled by dataclasses


def _modules() -> list[Any]:
    """Every opsrepo module that makes its dataclasses with ``opsrepo.records.dataclass``."""
    package = Path(records.__file__).parent
    found = [".".join(("opsrepo", *path.relative_to(package).with_suffix("").parts)).removesuffix(".__init__")
             for path in sorted(package.rglob("*.py"))
             if "from opsrepo.records import dataclass" in path.read_text(encoding="utf-8")]
    return [importlib.import_module(name) for name in found]


def test_the_modules_on_the_validate_path_make_their_dataclasses_here() -> None:
    names = {module.__name__ for module in _modules()}
    assert names >= {"opsrepo.model", "opsrepo.errors", "opsrepo.validate", "opsrepo.instants",
                     "opsrepo.load.files", "opsrepo.load.repo", "opsrepo.load.yamlsrc",
                     "opsrepo.escalation.engine", "opsrepo.escalation.request",
                     "opsrepo.rules", "opsrepo.oncall", "opsrepo.oncall.engine", "opsrepo.oncall.load"}


@functools.cache
def twin(cls: type) -> type:
    """``cls`` made again from its fields by the standard library's ``dataclass``, with the same options."""
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    body: dict[str, Any] = {"__annotations__": {}, "__qualname__": cls.__qualname__, "__doc__": cls.__doc__,
                            "__module__": cls.__module__}
    for f in dataclasses.fields(cls):
        body["__annotations__"][f.name] = f.type
        body[f.name] = dataclasses.field(default=f.default, default_factory=f.default_factory, init=f.init,
                                         repr=f.repr, hash=f.hash, compare=f.compare, kw_only=f.kw_only)
    for name in METHODS:
        method = vars(cls).get(name)
        if method is not None and getattr(method, "__code__", None) is not None \
                and method.__code__.co_filename not in (records.__file__, "<string>"):
            body[name] = method  # written in the class itself
    def ours(name: str) -> bool:
        method = vars(cls).get(name)
        return getattr(method, "__code__", None) is not None and method.__code__.co_filename == records.__file__

    return dataclasses.dataclass(frozen=params.frozen, order=ours("__lt__"), eq=ours("__eq__") or "__eq__" in body,
                                 repr=ours("__repr__") or "__repr__" in body)(type(cls.__name__, (), body))


def test_every_dataclass_of_the_modules_that_use_it_has_the_standard_methods() -> None:
    made = [value for module in _modules() for value in vars(module).values()
            if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == module.__name__
            and "__repr__" in vars(value) and vars(value)["__repr__"].__code__.co_filename == records.__file__]
    assert len(made) >= 55
    for cls in made:
        _same_methods(twin(cls), cls)


@pytest.mark.parametrize("kind", [model.TimeOff, model.Src, errors.Diagnostic, model.Person])
def test_model_records_compare_hash_and_show_as_their_standard_twins(kind: type) -> None:
    standard_kind = twin(kind)
    names = [f.name for f in dataclasses.fields(kind)]
    rows = [dict.fromkeys(names, None), {name: f"v-{name}" for name in names},
            {name: (f"v-{name}" if n else "other") for n, name in enumerate(names)}]
    pairs = [(kind(**row), standard_kind(**row)) for row in rows]
    for ours, standard in pairs:
        assert repr(ours) == repr(standard)
        assert hash(ours) == hash(standard)
        for other, other_standard in pairs:
            assert (ours == other) == (standard == other_standard)
            if kind is errors.Diagnostic:
                assert answer(operator.lt, ours, other) == answer(operator.lt, standard, other_standard)
