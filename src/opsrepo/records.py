"""The standard library's ``dataclass``, its methods made without compiling text, or when first used.

The standard library writes each method of a dataclass as Python text and
compiles it when the class is made: about 600,000 instructions a method, 349
methods for the 61 classes ``opsrepo validate`` imports (3 % of a whole run
on a thousand schedules), most of them never called. This ``dataclass`` lets
the standard library make the class with ``eq=False, repr=False`` and gives
it the same methods as closures over its fields, which make no text:

- ``__eq__``: instances of the very same class compare the tuples of their
  ``compare`` fields, anything else is ``NotImplemented``;
- ``__hash__``: a frozen class hashes the tuple of its hashed fields (``hash``,
  else ``compare``); an equal class that is not frozen is unhashable; a class
  that defines ``__hash__`` or ``__eq__`` keeps its own, as the standard
  library decides;
- ``__repr__``: ``Name(field=value!r, ...)`` of the ``repr`` fields, ``...``
  for an instance already being shown in the same thread;
- ``order=True``: ``__lt__``, ``__le__``, ``__gt__`` and ``__ge__`` compare the
  tuples of the ``compare`` fields;
- a frozen class's ``__setattr__`` and ``__delattr__`` raise
  ``FrozenInstanceError`` for its fields and on its own instances, as the
  standard library's do.

``__init__`` is the standard library's, made when first looked up (a call,
``inspect.signature``, ``dataclasses.replace``): the loader makes most records
without it, and 25 of these classes are never made by their constructor in a
validation. A class without a docstring (the standard library writes its
signature there), with a dataclass base, methods of its own among these, or
fields other than plain ones gets its ``__init__`` (and a frozen class its
guards) from the standard library at once. ``__dataclass_params__`` tells
the options asked for. Any other option (``unsafe_hash``, ``slots``...) is
left to the standard library whole.

tests/unit/test_dataclass_records.py checks all of it against the standard
library on generated classes and values, and every class made here against
its standard twin; tests/unit/load/test_records.py every model record of the
case corpus, the example and a realistic org. Type checkers see the standard
library's ``dataclass``: it is what this module exports to them.
"""

from __future__ import annotations

import dataclasses
from _thread import get_ident
from collections.abc import Callable
from operator import attrgetter, ge, gt, le, lt
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T")

#: the options handled here; any other given as true goes to the standard library whole
_OWN = frozenset({"init", "repr", "eq", "order", "frozen", "match_args", "kw_only"})


def _dataclass(cls: type[T] | None = None, /, **options: Any) -> Any:
    """``dataclasses.dataclass(cls, **options)``, its methods closures or made when first used (see above)."""
    if any(value for name, value in options.items() if name not in _OWN):
        return dataclasses.dataclass(cls, **options)

    def wrap(cls: type[T]) -> type[T]:
        return _made(cls, options)

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:  # the standard library's, to type checkers (and their dataclass support)
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass


def _made(cls: type[T], options: dict[str, Any]) -> type[T]:
    eq = options.get("eq", True)
    show = options.get("repr", True)
    frozen = options.get("frozen", False)
    # what the standard library reads off the class body before it sets anything
    own = set(cls.__dict__)
    if (options.get("order", False) and (not eq or own & _ORDER.keys())) or (frozen and own & _GUARDS):
        return dataclasses.dataclass(cls, **options)  # refused: with the standard library's error
    class_hash = cls.__dict__.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING or (class_hash is None and "__eq__" in own))
    lazy = _lazy(cls, options)
    made = {**options, "eq": False, "repr": False, "order": False}
    if lazy:
        made.update(init=False, frozen=False)
    cls = dataclasses.dataclass(cls, **made)
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    # the class's own record of its options (read by dataclasses made from it) tells those asked for
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    for name, default in _TOLD.items():
        setattr(params, name, options.get(name, default))
    if lazy:
        if options.get("init", True):
            # fields out of order: the standard library's TypeError now, as it raises it making the class
            type.__setattr__(cls, "__init__", _Init(cls, frozen) if _ordered(fields) else _init(cls, frozen))
        if frozen:
            names = frozenset(f.name for f in fields)
            _set(cls, "__setattr__", _setattr(cls, names))
            _set(cls, "__delattr__", _delattr(cls, names))
    if show and "__repr__" not in own:
        _set(cls, "__repr__", _repr([f.name for f in fields if f.repr]))
    compared = _values([f.name for f in fields if f.compare])
    if eq and "__eq__" not in own:
        _set(cls, "__eq__", _eq(compared))
    if options.get("order", False):
        for name, compare in _ORDER.items():
            _set(cls, name, _order(compare, compared))
    if eq and not explicit_hash:
        if frozen:
            hashed = [f.name for f in fields if (f.compare if f.hash is None else f.hash)]
            _set(cls, "__hash__", _hash(_values(hashed)))
        else:
            cls.__hash__ = None  # type: ignore[assignment]
    return cls


#: a frozen class's guards, which it may not write itself
_GUARDS = frozenset({"__setattr__", "__delattr__"})
#: the options made otherwise here, with the standard library's defaults
_TOLD = {"init": True, "repr": True, "eq": True, "order": False, "frozen": False}
#: words of annotations that make a field other than a plain field: the class makes its __init__ at once
_SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")


def _lazy(cls: type, options: dict[str, Any]) -> bool:
    """Whether ``cls``'s ``__init__`` can wait for its first use (and a frozen class's guards need no text).

    Only a class with a docstring (the standard library describes one without
    by its ``__init__``'s signature), no dataclass among its bases, no
    ``__init__``, ``__setattr__`` or ``__delattr__`` of its own, and plain fields.
    """
    own = cls.__dict__
    annotations = own.get("__annotations__", {}).values()
    bases = cls.__mro__[1:]
    return (bool(own.get("__doc__")) and not any(hasattr(base, "__dataclass_fields__") for base in bases)
            and not own.keys() & {"__init__", *_GUARDS}
            and not any(word in str(kind) for kind in annotations for word in _SPECIAL))


class _Init:
    """A dataclass's ``__init__`` until first looked up: the standard library's, made then, replaces it.

    The method is the one the standard library makes for a class with the
    same fields and options (a twin made then: for a frozen class it sets
    fields by ``object.__setattr__``); ``inspect.signature`` and
    ``dataclasses.replace`` look it up like any call, and so make it.
    """

    __slots__ = ("cls", "frozen")

    def __init__(self, cls: type, frozen: bool) -> None:
        self.cls = cls
        self.frozen = frozen

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        made = _init(self.cls, self.frozen)
        type.__setattr__(self.cls, "__init__", made)
        return made.__get__(obj, owner)


def _init(cls: type, frozen: bool) -> Callable[..., None]:
    body: dict[str, Any] = {"__module__": cls.__module__, "__qualname__": cls.__qualname__,
                            "__doc__": cls.__doc__, "__annotations__": {}}
    for f in dataclasses.fields(cls):
        body["__annotations__"][f.name] = f.type
        body[f.name] = dataclasses.field(default=f.default, default_factory=f.default_factory, init=f.init,
                                         repr=f.repr, hash=f.hash, compare=f.compare, metadata=f.metadata,
                                         kw_only=f.kw_only)
    if hasattr(cls, "__post_init__"):
        body["__post_init__"] = cls.__post_init__
    twin: type[Any] = dataclasses.dataclass(frozen=frozen, repr=False, eq=False, match_args=False)(
        type(cls.__name__, (), body))
    made: Callable[..., None] = twin.__dict__["__init__"]
    return made


def _ordered(fields: tuple[dataclasses.Field[Any], ...]) -> bool:
    """Whether no positional field without a default follows one with a default."""
    defaulted = False
    for f in fields:
        if f.init and not f.kw_only:
            if f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING:
                defaulted = True
            elif defaulted:
                return False
    return True


def _setattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str, Any], None]:
    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    return __setattr__


def _delattr(cls: type[Any], names: frozenset[str]) -> Callable[[Any, str], None]:
    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    return __delattr__


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
