"""The standard library's ``dataclass``, its ``__eq__``, ``__hash__`` and ``__repr__`` made without compiling.

The standard library writes each method of a dataclass as Python text and
compiles it when the class is made: about 600,000 instructions a method, a
third of every ``opsrepo validate``'s start-up for 61 classes (3 % of a whole
run on a thousand schedules). This ``dataclass`` lets the standard library
make the class with ``eq=False, repr=False`` (``__init__`` and a frozen
class's ``__setattr__`` and ``__delattr__`` as before) and gives it the same
three methods as closures over its fields, which make no text:

- ``__eq__``: instances of the very same class compare the tuples of their
  ``compare`` fields, anything else is ``NotImplemented``;
- ``__hash__``: a frozen class hashes the tuple of its hashed fields (``hash``,
  else ``compare``); an equal class that is not frozen is unhashable; a class
  that defines ``__hash__`` or ``__eq__`` keeps its own, as the standard
  library decides;
- ``__repr__``: ``Name(field=value!r, ...)`` of the ``repr`` fields, ``...``
  for an instance already being shown in the same thread.

``order=True`` gives ``__lt__``, ``__le__``, ``__gt__`` and ``__ge__`` the same
way (the tuples of the ``compare`` fields). Any other option (``unsafe_hash``,
``slots``...) is left to the standard library whole. tests/unit/test_records.py checks these against the
standard library's own methods on generated classes and values, and every
model record against its standard twin. Type checkers see the standard
library's ``dataclass`` (the modules import it so under ``TYPE_CHECKING``).
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter, ge, gt, le, lt
from typing import Any, TypeVar

T = TypeVar("T")

#: the options handled here; any other given as true goes to the standard library whole
_OWN = frozenset({"init", "repr", "eq", "order", "frozen", "match_args", "kw_only"})


def dataclass(cls: type[T] | None = None, /, **options: Any) -> Any:
    """``dataclasses.dataclass(cls, **options)``, its ``__eq__``, ``__hash__`` and ``__repr__`` closures."""
    if any(value for name, value in options.items() if name not in _OWN):
        return dataclasses.dataclass(cls, **options)

    def wrap(cls: type[T]) -> type[T]:
        return _made(cls, options)

    return wrap if cls is None else wrap(cls)


def _made(cls: type[T], options: dict[str, Any]) -> type[T]:
    eq = options.get("eq", True)
    show = options.get("repr", True)
    frozen = options.get("frozen", False)
    if options.get("order", False) and not eq:
        raise ValueError("eq must be true if order is true")
    # what the standard library reads off the class body before it sets anything
    own = set(cls.__dict__)
    class_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    cls = dataclasses.dataclass(cls, **{**options, "eq": False, "repr": False, "order": False})
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if show and "__repr__" not in own:
        _set(cls, "__repr__", _repr([f.name for f in fields if f.repr]))
    compared = _values([f.name for f in fields if f.compare])
    if eq and "__eq__" not in own:
        _set(cls, "__eq__", _eq(compared))
    if options.get("order", False):
        for name, compare in _ORDER.items():
            if name in own:
                raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}. "
                                "Consider using functools.total_ordering")
            _set(cls, name, _order(compare, compared))
    if eq and not explicit_hash:
        if frozen:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            _set(cls, "__hash__", _hash(_values(hashed)))
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    return cls


def _set(cls: type, name: str, method: Callable[..., Any]) -> None:
    method.__name__ = name
    method.__qualname__ = f"{cls.__qualname__}.{name}"
    setattr(cls, name, method)


def _values(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of an instance's ``names``, as the generated methods write it (``(self.a, self.b,)``)."""
    if len(names) >= 2:
        return attrgetter(*names)  # a tuple already
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _eq(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return values(self) == values(other)
        return NotImplemented

    return __eq__


#: the ordering methods ``order=True`` makes, by the comparison each makes of the two tuples
_ORDER: dict[str, Callable[[Any, Any], Any]] = {"__lt__": lt, "__le__": le, "__gt__": gt, "__ge__": ge}


def _order(compare: Callable[[Any, Any], Any],
           values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any, Any], Any]:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compare(values(self), values(other))
        return NotImplemented

    return method


def _hash(values: Callable[[Any], tuple[Any, ...]]) -> Callable[[Any], int]:
    def __hash__(self: Any) -> int:
        return hash(values(self))

    return __hash__


def _repr(names: list[str]) -> Callable[[Any], str]:
    running: set[tuple[int, int]] = set()

    def __repr__(self: Any) -> str:
        key = id(self), get_ident()
        if key in running:
            return "..."
        running.add(key)
        try:
            shown = ", ".join([f"{name}={getattr(self, name)!r}" for name in names])
            return f"{self.__class__.__qualname__}({shown})"
        finally:
            running.discard(key)

    return __repr__
