"""At most 100 diagnostics of one code are listed for one file, then one that counts the rest."""

from __future__ import annotations

from opsrepo.errors import Location, Severity
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
