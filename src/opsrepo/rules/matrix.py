"""The severity matrix enforced where the repo holds the evidence (OPS419, OPS507, OPS508).

Its channels are declared in opsrepo.yaml; a post-mortem of a level that
requires incident roles names who filled them; its timeline shows status
updates at the level's cadence.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime

from opsrepo.errors import Diagnostic
from opsrepo.model import Postmortem, SeverityLevel
from opsrepo.rules import Context, rule, suggest
from opsrepo.timeutil import format_duration


@rule("OPS419", "undeclared-channel")
def channels_declared(ctx: Context) -> Iterator[Diagnostic]:
    """The notification channels a severity level names are declared under channels: in opsrepo.yaml."""
    declared = ctx.repo.org.channels
    for level in ctx.repo.severities:
        for index, channel in enumerate(level.channels):
            if declared is not None and channel in declared:
                continue
            close = suggest(channel, declared, "channel") if declared else ""
            hint = close if close.startswith("did you mean") else \
                f"declare it in opsrepo.yaml, e.g. channels: {{{channel}: where it reaches people}}"
            yield level.src.at("channels", index).error(
                "OPS419", f"{level.id} notifies by '{channel}', which opsrepo.yaml does not declare under "
                "channels", hint)


@rule("OPS507", "postmortem-roles")
def roles_named(ctx: Context) -> Iterator[Diagnostic]:
    """A post-mortem names who filled every incident role its severity level requires (roles:, or lead:)."""
    for pm, level in _with_level(ctx):
        missing = [role for role in level.roles if role not in pm.roles and not _led(pm, role)]
        if not missing:
            continue
        where = pm.src.at("roles", key=True) if pm.roles else pm.src.at("severity")
        yield where.error(
            "OPS507", f"{level.id} requires the incident roles {', '.join(level.roles)}; post-mortem "
            f"'{pm.id}' does not say who was {_or(missing)}",
            "name them under roles:, e.g. " + ", ".join(f"{role}: <person id>" for role in missing[:2]))


@rule("OPS508", "update-cadence")
def updates_at_cadence(ctx: Context) -> Iterator[Diagnostic]:
    """A post-mortem's timeline shows an update at least every update_every of its level until mitigation."""
    for pm, level in _with_level(ctx):
        if level.update_every is None:
            continue
        silences = [(a, b) for a, b in itertools.pairwise(_updates(pm)) if b - a > level.update_every]
        if not silences:
            continue
        low, high = max(silences, key=lambda pair: pair[1] - pair[0])
        more = f" ({len(silences) - 1} more such silence{'s' if len(silences) > 2 else ''})" \
            if len(silences) > 1 else ""
        yield pm.src.at("timeline", key=True).warning(
            "OPS508", f"the timeline of '{pm.id}' shows no update from {low.isoformat()} to "
            f"{high.isoformat()} ({format_duration(high - low)}), longer than {level.id}'s update_every of "
            f"{format_duration(level.update_every)}{more}",
            "add the status updates that were sent to timeline.events, or note why none was")


def _led(pm: Postmortem, role: str) -> bool:
    """``lead:`` fills the role the matrix calls incident-lead."""
    return role == "incident-lead" and pm.lead is not None


def _with_level(ctx: Context) -> Iterator[tuple[Postmortem, SeverityLevel]]:
    for pm in ctx.repo.postmortems.values():
        level = ctx.repo.severity(pm.severity)
        if level is not None:
            yield pm, level


def _updates(pm: Postmortem) -> list[datetime]:
    """The instants of the timeline from when the incident was known (detected) to its mitigation."""
    line = pm.timeline
    start = line.detected or line.acknowledged or line.started
    end = line.mitigated or line.resolved
    instants = [getattr(line, name) for name in line.MILESTONES if getattr(line, name) is not None]
    instants += [event.at for event in line.events]
    return sorted({at for at in instants if start <= at <= end})


def _or(roles: list[str]) -> str:
    return roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " or " + roles[-1]
