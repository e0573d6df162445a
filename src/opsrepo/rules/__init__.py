"""The rule catalog: semantic checks with stable codes, registered by decorator.

A rule is a pure function of the loaded repo and a fixed "now": no IO, no
printing, no clock. Its docstring's first line is its summary, shown by
``opsrepo rules`` and on the site. Families: ``OPS0xx`` parse, ``1xx`` schema,
``2xx`` references, ``3xx`` schedules, ``4xx`` escalation and severity,
``5xx`` post-mortems, ``6xx`` runbooks, ``7xx`` Prometheus alert rules.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import field
from datetime import datetime
from typing import Any

from opsrepo.errors import Diagnostic, Location, ordered
from opsrepo.model import Repo
from opsrepo.records import dataclass
from opsrepo.rules.link_files import RepoFiles

FAMILIES = {
    "0": "parsing", "1": "schema", "2": "references", "3": "schedules",
    "4": "escalation and severity", "5": "post-mortems", "6": "runbooks", "7": "alert rules",
}


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the repo, the instant validation runs at, and what is known of its files."""

    repo: Repo
    now: datetime
    #: the repo's other files (images, notes), which links may point to; None: unknown, not checked
    files: RepoFiles | None = field(default=None, compare=False)
    #: results shared between rules (e.g. computed final schedules), keyed by the producer
    cache: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def memo(self, key: str, make: Callable[[], Any]) -> Any:
        """Compute ``make()`` once per validation run."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]


RuleFunction = Callable[[Context], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One catalog entry."""

    code: str
    name: str
    summary: str
    check: RuleFunction | None = None

    @property
    def family(self) -> str:
        """The family's name, from the code's first digit."""
        return FAMILIES[self.code[3]]


_REGISTRY: dict[str, Rule] = {}


def rule(code: str, name: str) -> Callable[[RuleFunction], RuleFunction]:
    """Register ``check`` under ``code``; its docstring's first line is the summary."""

    def register(check: RuleFunction) -> RuleFunction:
        _add(Rule(code, name, _summary(check), check))
        return check

    return register


def describe(code: str, name: str, summary: str) -> None:
    """Register a code raised outside rules (by the loader or the schema check)."""
    _add(Rule(code, name, summary))


def _add(entry: Rule) -> None:
    if entry.code in _REGISTRY:
        raise ValueError(f"rule code {entry.code} registered twice")
    _REGISTRY[entry.code] = entry


def _summary(check: RuleFunction) -> str:
    doc = (check.__doc__ or "").strip()
    if not doc:
        raise ValueError(f"rule {check.__name__} has no docstring")
    return doc.splitlines()[0]


_LOADED: list[bool] = []


def _load_all() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    _LOADED.append(True)


def catalog() -> list[Rule]:
    """Every registered code, in code order."""
    if not _LOADED:  # not "if the registry is empty": a module imported for its helpers registers its rules
        _load_all()
    return sorted(_REGISTRY.values(), key=lambda r: r.code)


def run_rules(repo: Repo, now: datetime, files: RepoFiles | None = None) -> list[Diagnostic]:
    """Run every rule; the result is in the order of :func:`opsrepo.errors.ordered`."""
    from opsrepo.workers import gc_paused

    context = Context(repo, now, files)
    found: list[Diagnostic] = []
    # The rules keep what they compute (final schedules, gaps) until the end: a collection frees nothing.
    with gc_paused():
        for entry in catalog():
            if entry.check is not None:
                found.extend(entry.check(context))
        return ordered(found)


def unloaded(location: Location, code: str, what: str, target: str, cause: Diagnostic) -> Diagnostic:
    """A reference to ``target``, which is defined where ``cause`` stopped it from loading."""
    return location.error(
        code, f"unknown {what} '{target}': its definition in {cause.file} did not load "
        f"({cause.code} on line {cause.line})", f"fix {cause.file} first",
    ).because(cause)


def suggest(word: str, choices: Iterable[str], what: str) -> str:
    """A hint: the closest known id, or how to find the known ones."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"check the spelling, or define the {what} first"


def suggest_severity(word: str, levels: Iterable[str]) -> str:
    """A hint for an unknown severity: the level it spells with other case or separators (``SEV 1``)."""
    known = list(levels)
    squeezed = {_squeeze(level): level for level in known}
    if _squeeze(word) in squeezed:
        return f"did you mean '{squeezed[_squeeze(word)]}'?"
    return suggest(word, known, "severity")


def _squeeze(word: str) -> str:
    return "".join(ch for ch in word.upper() if ch.isalnum())
