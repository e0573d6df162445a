"""At most 100 diagnostics of one code are listed for one file, then one that counts the rest."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from opsrepo.errors import Cause, Diagnostic, Location, Severity, ordered
from opsrepo.validate import capped


def test_the_first_hundred_then_a_count_that_keeps_the_worst_severity() -> None:
    warnings = [Location("a.yaml", n).warning("OPS303", f"overlap {n}") for n in range(1, 151)]
    errors = [Location("b.md", n).error("OPS601", f"broken {n}") for n in range(1, 102)]
    kept = capped(sorted([*warnings, *errors, Location("a.yaml", 2).error("OPS202", "duplicate")]))
    a_warnings = [d for d in kept if d.file == "a.yaml" and d.code == "OPS303"]
    assert len(a_warnings) == 101
    assert (a_warnings[-1].line, a_warnings[-1].message, a_warnings[-1].severity) == (
        101, "50 more OPS303 warnings in this file are not listed", Severity.WARNING)
    assert [d.message for d in kept if d.file == "b.md"][-1] == "1 more OPS601 errors in this file are not listed"
    assert next(d for d in kept if d.code == "OPS202").severity is Severity.ERROR
    assert capped(errors[:100]) == errors[:100]


def test_nothing_over_the_limit_gives_the_very_list_back() -> None:
    listed = [Location("a.yaml", n).warning("OPS303", f"overlap {n}") for n in range(1, 101)]
    assert capped(listed) is listed
    assert capped([*listed, Location("a.yaml", 200).warning("OPS303", "one more")]) is not listed


#: few values, so that ties and causes between them are common
_DIAGNOSTICS = st.builds(
    Diagnostic, st.sampled_from(["a.yaml", "b.yaml"]), st.integers(1, 3), st.integers(1, 2),
    st.sampled_from(["OPS101", "OPS203"]), st.sampled_from(["m", "n"]), st.sampled_from(list(Severity)),
    st.sampled_from([None, "h"]),
    st.none() | st.builds(Cause, st.sampled_from(["OPS101", "OPS203"]), st.sampled_from(["a.yaml", "b.yaml"]),
                          st.integers(1, 3), st.integers(1, 2)))


@settings(max_examples=300)
@given(st.lists(_DIAGNOSTICS, max_size=30))
def test_ordering_what_is_ordered_changes_nothing(diagnostics: list[Diagnostic]) -> None:
    """Why validate_repo orders once where nothing is capped: ordered() answers from the set alone."""
    listed = ordered(diagnostics)
    assert ordered(listed) == listed
    assert ordered(reversed(listed)) == listed
