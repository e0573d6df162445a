"""Small, accessible SVG charts written by hand: no script, no style, no external resource.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and
``<desc>``; each bar or point has its own ``<title>`` (a native tooltip).
Styling is presentation attributes only, so a strict Content-Security-Policy
(``style-src 'self'``, no inline ``<style>``) does not blank the charts, and
a site stylesheet can still override them (``.opsrepo-chart .s0``). Text and
lines use ``currentColor``: an inline chart takes the page's text colour, so it
follows a dark theme. The series colours (after Okabe and Ito, colour-blind
safe) all have a contrast of at least 3:1 against white and against a near
black background, so one palette serves light and dark mode. Every piece of
text is XML-escaped. Output is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 40
#: contrast >= 3:1 against #ffffff and against #121212 (WCAG 1.4.11 for graphical objects)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8E6CD6", "#B07A00")
GRID = 'stroke="currentColor" stroke-opacity="0.2"'
AXIS = 'stroke="currentColor" stroke-opacity="0.6"'

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """A named row of values, one per category (``None``: no value)."""

    name: str
    values: tuple[float | None, ...]


def colour(index: int) -> str:
    """The ``index``-th series colour (the palette repeats after six)."""
    return PALETTE[index % len(PALETTE)]


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="opsrepo-chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'font-family="system-ui, sans-serif" font-size="12" fill="currentColor">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _legend(series: Sequence[Series]) -> str:
    parts, x = [], LEFT
    for i, one in enumerate(series):
        parts.append(f'<rect class="s{i}" fill="{colour(i)}" x="{x}" y="10" width="12" height="12"/>'
                     f'<text x="{x + 16}" y="20">{escape(one.name)}</text>')
        x += 28 + 7 * len(one.name)
    return f'<g aria-hidden="true">{"".join(parts)}</g>'


def ticks(value: float, steps: Sequence[float] | None = None) -> list[float]:
    """Axis ticks from 0 to at least ``value``: at most 5 intervals of a readable step.

    The step is the smallest of ``steps`` (default: 1, 2 or 5 times a power
    of ten, at least 1) that covers ``value`` in 5 intervals.
    """
    value = max(value, 0.0)
    if steps is None:
        power = 10 ** max(math.floor(math.log10(value / 5)), 0) if value > 5 else 1
        steps = [step * power for step in (1, 2, 5, 10)]
    step = next((s for s in steps if s * 5 >= value), steps[-1])
    count = max(1, math.ceil(value / step))
    return [step * i for i in range(count + 1)]


def _y_axis(marks: Sequence[float], fmt: Formatter, plot_h: int) -> str:
    parts = []
    top = marks[-1]
    for value in marks:
        y = TOP + plot_h - plot_h * value / top
        parts.append(f'<line class="grid" {GRID} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(value))}</text>')
    return f'<g aria-hidden="true">{"".join(parts)}</g>'


def _x_labels(categories: Sequence[str], plot_h: int) -> str:
    step = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    every = max(1, math.ceil(len(categories) * 60 / (WIDTH - LEFT - RIGHT)))
    labels = "".join(
        f'<text x="{LEFT + step * (i + 0.5):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">'
        f'{escape(c)}</text>'
        for i, c in enumerate(categories) if i % every == 0
    )
    return f'<g aria-hidden="true">{labels}</g>'


def stacked_bars(chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
                 fmt: Formatter = lambda v: f"{v:g}") -> str:
    """Vertical bars per category, the series stacked."""
    plot_h = HEIGHT - TOP - BOTTOM
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    marks = ticks(max(totals, default=0))
    top = marks[-1]
    step = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    parts = [*_open(chart_id, title, desc, HEIGHT), _legend(series), _y_axis(marks, fmt, plot_h)]
    for i, category in enumerate(categories):
        base = 0.0
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value:
                y = TOP + plot_h * (1 - (base + value) / top)
                h = plot_h * value / top
                parts.append(_bar(k, LEFT + step * i + step * 0.15, y, step * 0.7, h,
                                  f"{category}, {one.name}: {fmt(value)}"))
            base += value
    parts += [_axis(plot_h), _x_labels(categories, plot_h), "</svg>"]
    return "".join(parts)


def lines(chart_id: str, title: str, desc: str, categories: Sequence[str], series: Sequence[Series],
          fmt: Formatter = lambda v: f"{v:g}", steps: Sequence[float] | None = None) -> str:
    """One line per series over the categories; a missing value breaks the line."""
    plot_h = HEIGHT - TOP - BOTTOM
    marks = ticks(max((v for s in series for v in s.values if v is not None), default=0), steps)
    top = marks[-1]
    step = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    parts = [*_open(chart_id, title, desc, HEIGHT), _legend(series), _y_axis(marks, fmt, plot_h)]
    # the first series is drawn last, on top; every other line is dashed, so colour is not the only cue
    for k, one in reversed(list(enumerate(series))):
        points = [(LEFT + step * (i + 0.5), TOP + plot_h * (1 - v / top), categories[i], v)
                  for i, v in enumerate(one.values) if v is not None]
        for run in _runs(one.values, points):
            if len(run) > 1:
                coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in run)
                dash = ' stroke-dasharray="6 4"' if k % 2 else ""
                parts.append(f'<polyline class="line s{k}" fill="none" stroke="{colour(k)}" '
                             f'stroke-width="2"{dash} points="{coordinates}"/>')
        parts += [f'<circle class="s{k}" fill="{colour(k)}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>'
                  f'{escape(f"{c}, {one.name}: {fmt(v)}")}</title></circle>' for x, y, c, v in points]
    parts += [_axis(plot_h), _x_labels(categories, plot_h), "</svg>"]
    return "".join(parts)


def _runs(values: Sequence[float | None], points: list[tuple[float, float, str, float]]
          ) -> list[list[tuple[float, float, str, float]]]:
    """Points split where a value is missing."""
    runs: list[list[tuple[float, float, str, float]]] = [[]]
    found = iter(points)
    for value in values:
        if value is None:
            runs.append([])
        else:
            runs[-1].append(next(found))
    return [run for run in runs if run]


def horizontal_bars(chart_id: str, title: str, desc: str, labels: Sequence[str], series: Sequence[Series],
                    fmt: Formatter = lambda v: f"{v:g}") -> str:
    """One stacked horizontal bar per label (e.g. per person)."""
    left, row = 180, 22
    height = TOP + row * len(labels) + BOTTOM
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    top = ticks(max(totals, default=0))[-1]
    width = WIDTH - left - RIGHT
    parts = [*_open(chart_id, title, desc, height), _legend(series)]
    for i, label in enumerate(labels):
        y, base = TOP + row * i, 0.0
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" aria-hidden="true">'
                     f'{escape(short)}</text>')
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value:
                parts.append(_bar(k, left + width * base / top, y + 3, width * value / top, row - 6,
                                  f"{label}, {one.name}: {fmt(value)}"))
            base += value
        parts.append(f'<text x="{left + width * base / top + 4:.1f}" y="{y + 15}" aria-hidden="true">'
                     f'{escape(fmt(base))}</text>')
    parts += [f'<line class="axis" {AXIS} x1="{left}" x2="{left}" y1="{TOP}" y2="{height - BOTTOM}"/>',
              "</svg>"]
    return "".join(parts)


def _axis(plot_h: int) -> str:
    y = TOP + plot_h
    return f'<line class="axis" {AXIS} x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'


def _bar(series: int, x: float, y: float, width: float, height: float, tooltip: str) -> str:
    return (f'<rect class="s{series}" fill="{colour(series)}" x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" '
            f'height="{height:.1f}"><title>{escape(tooltip)}</title></rect>')
