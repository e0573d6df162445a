"""The severity matrix is complete and ordered; severities named elsewhere exist (OPS40x)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

from opsrepo.errors import Diagnostic, Location
from opsrepo.model import Repo, SeverityLevel
from opsrepo.rules import Context, rule, suggest_severity
from opsrepo.timeutil import format_duration

SEVERITY_FILE = "policies/severity.yaml"


@rule("OPS401", "severity-matrix-missing")
def matrix_present(ctx: Context) -> Iterator[Diagnostic]:
    """The repo has a severity matrix, policies/severity.yaml."""
    if not ctx.repo.has_severity_matrix:
        yield Location(SEVERITY_FILE).error(
            "OPS401", "the repo has no severity matrix (policies/severity.yaml is missing)",
            "create policies/severity.yaml with your levels, most urgent first (see docs/format.md)",
        )


@rule("OPS402", "duplicate-severity")
def ids_unique(ctx: Context) -> Iterator[Diagnostic]:
    """Severity ids are unique."""
    seen: dict[str, SeverityLevel] = {}
    for level in ctx.repo.severities:
        first = seen.setdefault(level.id, level)
        if first is not level:
            yield level.src.at("id").error(
                "OPS402", f"severity id '{level.id}' is already used on line {first.src.at('id').line}",
                "give each level its own id",
            )


@rule("OPS403", "severity-target-order")
def targets_ordered(ctx: Context) -> Iterator[Diagnostic]:
    """A less urgent level does not have a shorter acknowledge or resolve target than a more urgent one."""
    for field in ("acknowledge_within", "resolve_within"):
        yield from _ordered(ctx.repo, field)


def _ordered(repo: Repo, field: str) -> Iterator[Diagnostic]:
    verb = "acknowledged" if field == "acknowledge_within" else "resolved"
    strictest: SeverityLevel | None = None
    for level in repo.severities:
        value: timedelta = getattr(level, field)
        if strictest is not None and value < getattr(strictest, field):
            yield level.src.at(field).error(
                "OPS403", f"{level.id} must be {verb} within {format_duration(value)}, sooner than the more "
                f"urgent {strictest.id} ({format_duration(getattr(strictest, field))})",
                f"levels go from most to least urgent: give {level.id} at least "
                f"{format_duration(getattr(strictest, field))}, or reorder the levels",
            )
        if strictest is None or value > getattr(strictest, field):
            strictest = level


@rule("OPS404", "severity-postmortem-order")
def postmortems_ordered(ctx: Context) -> Iterator[Diagnostic]:
    """If a less urgent level requires a post-mortem, every more urgent level does too."""
    yield from _implied(
        ctx.repo, lambda level: level.postmortem.required, "OPS404", ("postmortem", "required"),
        "does not require a post-mortem, but the less urgent {other} does",
        "set postmortem: {{required: true, within: ...}} on {level}",
    )


@rule("OPS406", "severity-pages-order")
def paging_ordered(ctx: Context) -> Iterator[Diagnostic]:
    """If a less urgent level pages, every more urgent level pages too."""
    yield from _implied(
        ctx.repo, lambda level: level.pages, "OPS406", ("pages",),
        "does not page, but the less urgent {other} does",
        "set pages: true on {level}, or reorder the levels",
    )


def _implied(
    repo: Repo, holds: Callable[[SeverityLevel], bool], code: str, where: tuple[str, ...],
    message: str, hint: str,
) -> Iterator[Diagnostic]:
    """Each level without the property while a less urgent level has it (named: the first such)."""
    levels = repo.severities
    for index, level in enumerate(levels):
        if holds(level):
            continue
        other = next((later for later in levels[index + 1:] if holds(later)), None)
        if other is not None:
            yield level.src.at(*where).error(
                code, f"{level.id} " + message.format(other=other.id), hint.format(level=level.id),
            )


@rule("OPS405", "postmortem-deadline")
def required_postmortem_has_deadline(ctx: Context) -> Iterator[Diagnostic]:
    """A level that requires a post-mortem says by when (within)."""
    for level in ctx.repo.severities:
        if level.postmortem.required and level.postmortem.within is None:
            yield level.src.at("postmortem", "required").error(
                "OPS405", f"{level.id} requires a post-mortem but sets no deadline",
                "add within: (e.g. postmortem: {required: true, within: 5d}), counted from resolution",
            )


@rule("OPS407", "unknown-severity-level")
def severities_exist(ctx: Context) -> Iterator[Diagnostic]:
    """Alert severities and the keys of a service's severity_policies are levels of the severity matrix."""
    repo = ctx.repo
    if not repo.severities or repo.is_broken("severity", "*"):
        return
    known = [level.id for level in repo.severities]
    for service in repo.services.values():
        for severity in service.severity_policies:
            if severity not in known:
                yield service.src.at("severity_policies", severity, key=True).error(
                    "OPS407", f"severity_policies names '{severity}', which is not a level of the severity "
                    "matrix", suggest_severity(severity, known),
                )
        for alert in service.alerts:
            if alert.severity is not None and alert.severity not in known:
                yield alert.src.at("severity").error(
                    "OPS407", f"alert '{alert.id}' has severity '{alert.severity}', which is not a level of "
                    "the severity matrix", suggest_severity(alert.severity, known),
                )
