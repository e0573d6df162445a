"""A schedule's timeline as PagerDuty draws it: a row per layer, a row of overrides, the final schedule.

Pure: the engine's layer turns and overrides, and the final shifts (the
engine's, or the ones a build already holds), clipped to ``[start, end)``.
The final row merges pieces into shifts by :mod:`opsrepo.site.shiftrule`
(the rule ``opsrepo oncall`` follows) and fills what nobody holds with a
``gap`` (inside declared coverage) or ``off`` (outside it: off hours).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from opsrepo.model import Repo, Schedule
from opsrepo.oncall import Shift, final_shifts
from opsrepo.oncall.clock import from_micros, to_micros
from opsrepo.oncall.engine import override_segments, rotation
from opsrepo.oncall.intervals import Span, inside, outside
from opsrepo.oncall.rotation import layer_pieces
from opsrepo.site.shiftrule import gaps, join_shifts

#: what a bar shows: a person's turn in a layer, an override, time-off cover, a gap, off hours
LAYER, OVERRIDE, COVER, GAP, OFF = "layer", "override", "time-off-cover", "gap", "off"


@dataclass(frozen=True)
class Bar:
    """``person`` (None for a gap or off hours) over ``[start, end)``, aware UTC."""

    start: datetime
    end: datetime
    person: str | None
    kind: str
    #: the layer's name, the override's reason ("override" when it gives none), or "" for gaps
    source: str = ""


@dataclass(frozen=True)
class Row:
    """One line of the timeline: ``kind`` is "layer", "overrides" or "final"."""

    kind: str
    name: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Timeline:
    """The rows of one schedule over ``[start, end)``."""

    schedule: str
    start: datetime
    end: datetime
    rows: tuple[Row, ...]

    def clipped(self, end: datetime) -> Timeline:
        """The same timeline ending at ``end`` (the week of a two-week timeline)."""
        rows = tuple(Row(row.kind, row.name, tuple(_clip(bar, self.start, end) for bar in row.bars
                                                  if bar.start < end)) for row in self.rows)
        return Timeline(self.schedule, self.start, end, rows)


def build_timeline(repo: Repo, schedule_id: str, start: datetime, end: datetime,
                   final: Sequence[Shift] | None = None) -> Timeline:
    """The schedule's rows over ``[start, end)``; ``final``: its final shifts there (else the engine's)."""
    schedule = repo.schedules[schedule_id]
    rows = [*_layer_rows(repo, schedule, start, end), _override_row(schedule, start, end)]
    shifts = final_shifts(repo, schedule_id, start, end) if final is None else final
    rows.append(Row("final", "Final schedule", _final_bars(schedule, shifts, start, end)))
    return Timeline(schedule_id, start, end, tuple(rows))


def _layer_rows(repo: Repo, schedule: Schedule, start: datetime, end: datetime) -> list[Row]:
    plan = rotation(repo, schedule)
    if plan is None:
        return []
    low, high = to_micros(start), to_micros(end)
    rows = []
    for layer in plan.layers:  # each layer's own turns, as layer_turns deals them (names need not differ)
        bars = tuple(_clip(Bar(from_micros(t.start), from_micros(t.end), plan.member(layer, t.number), LAYER,
                               layer.name), start, end) for t in layer_pieces(layer, low, high))
        rows.append(Row("layer", layer.name, bars))
    return rows


def _override_row(schedule: Schedule, start: datetime, end: datetime) -> Row:
    segments = override_segments(schedule, to_micros(start), to_micros(end))
    bars = tuple(Bar(from_micros(s.start), from_micros(s.end), s.person, OVERRIDE, s.source)
                 for s in segments)
    return Row("overrides", "Overrides", bars)


def _final_bars(schedule: Schedule, shifts: Sequence[Shift], start: datetime,
                end: datetime) -> tuple[Bar, ...]:
    held = [_clip(Bar(s.start, s.end, s.person, s.kind, s.source), start, end)
            for s in join_shifts(shifts) if s.end > start and s.start < end]
    low, high = to_micros(start), to_micros(end)
    holes = outside([(low, high)], [(to_micros(b.start), to_micros(b.end)) for b in held])
    real = gaps(schedule, shifts, start, end)
    empty = [_hole(span, GAP) for span in inside(holes, real)]
    empty += [_hole(span, OFF) for span in outside(holes, real)]
    return tuple(sorted([*held, *empty], key=lambda bar: bar.start))


def _hole(span: Span, kind: str) -> Bar:
    return Bar(from_micros(span[0]), from_micros(span[1]), None, kind)


def _clip(bar: Bar, start: datetime, end: datetime) -> Bar:
    if bar.start >= start and bar.end <= end:
        return bar
    return Bar(max(bar.start, start), min(bar.end, end), bar.person, bar.kind, bar.source)
