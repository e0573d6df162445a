"""``errors.ordered``: errors before warnings, file order, each consequence right after its cause."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.errors import Diagnostic, Location, Severity, by_causes, ordered

#: few values, so that ties in every field but the hint are common
DIAGNOSTICS = st.builds(
    Diagnostic, st.sampled_from(["a.yaml", "b.yaml"]), st.integers(1, 3), st.integers(1, 2),
    st.sampled_from(["OPS101", "OPS203"]), st.sampled_from(["m", "n"]), st.sampled_from(list(Severity)),
    st.sampled_from([None, "h", "i"]),
)


@settings(max_examples=300)
@given(st.lists(DIAGNOSTICS, max_size=30))
def test_diagnostics_without_causes_come_in_the_order_causes_would_give(diagnostics: list[Diagnostic]) -> None:
    """The sort without causes gives what the way with causes gives when no diagnostic names one."""
    assert ordered(diagnostics) == by_causes(set(diagnostics))
    assert ordered(reversed(diagnostics)) == by_causes(set(reversed(diagnostics)))


def test_a_consequence_follows_its_cause_and_warnings_follow_errors() -> None:
    cycle = Location("policies/a.yaml", 4, 3).error("OPS214", "cycle")
    unreached = Location("policies/a.yaml", 9, 1).error("OPS414", "reaches nobody").because(cycle)
    early = Location("policies/a.yaml", 2, 1).error("OPS203", "unknown person 'x'")
    warning = Location("policies/a.yaml", 1, 1).warning("OPS605", "review overdue")
    duplicate = Location("policies/a.yaml", 2, 1).error("OPS203", "unknown person 'x'")
    assert ordered([warning, unreached, cycle, early, duplicate]) == [early, cycle, unreached, warning]
    assert ordered([warning, early]) == [early, warning]


@settings(max_examples=200)
@given(st.sampled_from(["a.yaml", "b.yaml"]), st.integers(0, 3), st.integers(0, 2), st.sampled_from(["OPS101", "OPS203"]),
       st.sampled_from(["m", "n"]), st.sampled_from([None, "h"]))
def test_a_places_diagnostics_are_the_constructors(file: str, line: int, column: int, code: str, message: str,
                                                     hint: str | None) -> None:
    """``Location.error`` and ``.warning`` make their diagnostic without ``__init__``: the very same record."""
    where = Location(file, line, column)
    for made, severity in ((where.error(code, message, hint), Severity.ERROR),
                           (where.warning(code, message, hint), Severity.WARNING)):
        plain = Diagnostic(file, line, column, code, message, severity, hint)
        assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
        assert vars(made) == vars(plain) and list(vars(made)) == list(vars(plain))
        assert made.to_dict() == plain.to_dict() and made.because(plain).caused_by == plain.cause_key
