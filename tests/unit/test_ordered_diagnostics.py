"""``errors.ordered``: errors before warnings, file order, each consequence right after its cause."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.errors import Cause, Diagnostic, Location, Severity, ordered

#: few values, so that ties in every field but the hint are common
DIAGNOSTICS = st.builds(
    Diagnostic, st.sampled_from(["a.yaml", "b.yaml"]), st.integers(1, 3), st.integers(1, 2),
    st.sampled_from(["OPS101", "OPS203"]), st.sampled_from(["m", "n"]), st.sampled_from(list(Severity)),
    st.sampled_from([None, "h", "i"]),
)


def reference(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The order as ``ordered`` finds it with causes: every diagnostic a root when none has one."""
    unique = set(diagnostics)

    def rank(d: Diagnostic) -> tuple[Any, ...]:
        return (d.severity is Severity.WARNING, d.file, d.line, d.column, d.code, d.message)

    causes = {d.cause_key for d in unique}
    children: dict[Cause, list[Diagnostic]] = {}
    roots = []
    for d in unique:
        if d.caused_by is not None and d.caused_by in causes and d.caused_by != d.cause_key:
            children.setdefault(d.caused_by, []).append(d)
        else:
            roots.append(d)
    result: list[Diagnostic] = []

    def emit(d: Diagnostic) -> None:
        result.append(d)
        for child in sorted(children.get(d.cause_key, ()), key=rank):
            emit(child)

    for d in sorted(roots, key=rank):
        emit(d)
    return result


@settings(max_examples=300)
@given(st.lists(DIAGNOSTICS, max_size=30))
def test_diagnostics_without_causes_come_in_the_order_causes_would_give(diagnostics: list[Diagnostic]) -> None:
    assert ordered(diagnostics) == reference(diagnostics)
    assert ordered(reversed(diagnostics)) == reference(list(reversed(diagnostics)))


def test_a_consequence_follows_its_cause_and_warnings_follow_errors() -> None:
    cycle = Location("policies/a.yaml", 4, 3).error("OPS214", "cycle")
    unreached = Location("policies/a.yaml", 9, 1).error("OPS414", "reaches nobody").because(cycle)
    early = Location("policies/a.yaml", 2, 1).error("OPS203", "unknown person 'x'")
    warning = Location("policies/a.yaml", 1, 1).warning("OPS605", "review overdue")
    duplicate = Location("policies/a.yaml", 2, 1).error("OPS203", "unknown person 'x'")
    assert ordered([warning, unreached, cycle, early, duplicate]) == [early, cycle, unreached, warning]
    assert ordered([warning, early]) == [early, warning]
