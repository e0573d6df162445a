"""How a diff reads, shared by the text and Markdown renderers: times, names, numbers."""

from __future__ import annotations

from datetime import datetime, timedelta

from opsrepo.diff.model import Chain, ChainLevel, ChainTarget, Load, Move, PersonRef, RepoDiff, ScheduleDiff
from opsrepo.instants import Clock, wall
from opsrepo.timeutil import format_duration, get_zone

NOBODY = "nobody"

#: (label, attribute) of the load columns, in display order
LOAD_COLUMNS = (
    ("on-call hours", "hours"),
    ("nights", "nights"),
    ("night hours", "night_hours"),
    ("weekend days", "weekend_days"),
    ("holidays", "holidays"),
)


def span(delta: timedelta) -> str:
    """``7 days``, ``1 day``, ``36 hours``; other lengths as durations (``90m``)."""
    if delta % timedelta(days=1) == timedelta(0):
        days = delta // timedelta(days=1)
        return f"{days} day{'s' if days != 1 else ''}"
    if delta % timedelta(hours=1) == timedelta(0):
        hours = delta // timedelta(hours=1)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    return format_duration(delta)


def local_time(instant: datetime, zone: str) -> str:
    """``Mon 2026-11-30 09:00`` in ``zone``."""
    return instant.astimezone(get_zone(zone)).strftime("%a %Y-%m-%d %H:%M")


def instant_text(instant: datetime, schedule_zone: str, display: str | None) -> str:
    """``Mon 2026-11-30 09:00 CET`` in the display zone; without one, ``Mon 2026-11-30 09:00`` (its own)."""
    if display is None:
        return local_time(instant, schedule_zone)
    return wall(instant, Clock(instant, display))


def times_in(schedule: ScheduleDiff, display: str | None) -> str:
    """The zone a schedule's moved turns are shown in."""
    return schedule.timezone if display is None else display


def window_text(start: datetime, end: datetime, display: str | None = None) -> str:
    """The compared window, in the display zone (without one: UTC), with its length."""
    if display is not None:
        begin, finish = (wall(t, Clock(start, display)) for t in (start, end))
        return f"{begin} to {finish} ({span(end - start)})"
    utc = get_zone("UTC")
    begin, finish = (f"{t.astimezone(utc):%Y-%m-%d %H:%M} UTC" for t in (start, end))
    return f"{begin} to {finish} ({span(end - start)})"


def person_name(ref: PersonRef | None) -> str:
    """A person's display name, or "nobody" for a gap."""
    return NOBODY if ref is None else ref.name


def number(value: float) -> str:
    """``168``, ``167.5``: no trailing ``.0``."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def signed(value: float) -> str:
    """``+24``, ``−24`` (a real minus sign), ``±0``."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "\u2212") + number(abs(value))


def load_change(before: Load, after: Load, attribute: str) -> str:
    """``336 → 168 (−168)``, or just ``168`` when it did not change."""
    was, now = getattr(before, attribute), getattr(after, attribute)
    if was == now:
        return number(now)
    return f"{number(was)} \u2192 {number(now)} ({signed(now - was)})"


def target_text(target: ChainTarget) -> str:
    """``Payments primary (schedule)``, ``Grace Hopper``, ``Platform (team)``."""
    if target.kind == "person":
        return target.name
    return f"{target.name} ({target.kind})"


def level_text(level: ChainLevel) -> str:
    """``Payments primary (schedule), then 5m``."""
    targets = ", ".join(target_text(t) for t in level.targets) or NOBODY
    return f"{targets}, then {format_duration(level.escalate_after)}"


def chain_summary(chain: Chain | None) -> str:
    """One line for a whole chain: policy, levels, repeats."""
    if chain is None:
        return "(no service)"
    levels = "; ".join(f"{i}. {level_text(level)}" for i, level in enumerate(chain.levels, 1)) or "no levels"
    return f"policy {chain.policy_name}: {levels}{repeat_text(chain)}"


def repeat_text(chain: Chain) -> str:
    """``; repeated 1 more time`` (empty when it runs once), then what a level that reaches nobody does."""
    times = "s" if chain.repeat != 1 else ""
    repeats = "" if chain.repeat == 0 else f"; repeated {chain.repeat} more time{times}"
    skips = "; a level that reaches nobody is skipped at once" if chain.when_nobody == "skip" else ""
    return repeats + skips


def until_text(start: datetime, now: datetime) -> str:
    """``starting now``, ``starting in 5 hours``, ``starting in 3 days``."""
    ahead = start - now
    if ahead <= timedelta(0):
        return "starting now"
    if ahead < timedelta(days=2):
        hours = round(ahead / timedelta(hours=1))
        return f"starting in {hours} hour{'s' if hours != 1 else ''}"
    days, rest = divmod(ahead, timedelta(days=1))
    hours = round(rest / timedelta(hours=1))
    if hours == 24:
        days, hours = days + 1, 0
    extra = f" and {hours} hour{'s' if hours != 1 else ''}" if hours else ""
    return f"starting in {days} days{extra}"


def notice_message(diff: RepoDiff, schedule: ScheduleDiff, move: Move, display: str | None = None) -> str:
    """Why a moved turn deserves a warning, in one sentence (times in ``display``, else the schedule's)."""
    zone = "" if display is not None else f" ({schedule.timezone})"
    return (f"{schedule.id}: {instant_text(move.start, schedule.timezone, display)} to "
            f"{instant_text(move.end, schedule.timezone, display)}{zone} moves from "
            f"{person_name(move.before)} to {person_name(move.after)}, {until_text(move.start, diff.start)}, "
            f"within the notice period of {span(diff.notice)}")


def turns_count(schedule: ScheduleDiff) -> str:
    """``3 moved turns``; for a schedule added or removed, ``14 new turns`` or ``14 turns dropped``."""
    count = len(schedule.moves)
    plural = "s" if count != 1 else ""
    if schedule.status == "added":
        return f"{count} new turn{plural}"
    if schedule.status == "removed":
        return f"{count} turn{plural} dropped"
    return f"{count} moved turn{plural}"
