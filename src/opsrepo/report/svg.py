"""Small, accessible SVG charts written by hand: no script, no external resource, dark-mode aware.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and
``<desc>``; each bar or point has its own ``<title>`` (a native tooltip).
Text and lines use ``currentColor``, so an inline chart takes the page's text
colour; series colours come from CSS variables (``--chart-1`` ..) with a
colour-blind-safe palette (Okabe and Ito) in a light and a dark variant.
Every piece of text is XML-escaped. Output is deterministic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 36, 40
LIGHT = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
DARK = ("#56B4E9", "#F0A35E", "#3FC7A0", "#E8A6CB", "#F0E442", "#9AD3F5")

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """A named row of values, one per category (``None``: no value)."""

    name: str
    values: tuple[float | None, ...]


def _style(chart_id: str, count: int) -> str:
    def palette(colours: Sequence[str]) -> str:
        return "".join(f"--c{i + 1}:var(--chart-{i + 1},{c});" for i, c in enumerate(colours[:count]))

    series = "".join(f"#{chart_id} .s{i}{{fill:var(--c{i + 1});stroke:var(--c{i + 1})}}"
                     for i in range(count))
    return (
        f"<style>#{chart_id}{{{palette(LIGHT)}font:12px system-ui,sans-serif}}"
        f"@media (prefers-color-scheme:dark){{#{chart_id}{{{palette(DARK)}}}}}"
        f"#{chart_id} text{{fill:currentColor}}#{chart_id} .grid{{stroke:currentColor;stroke-opacity:.2}}"
        f"#{chart_id} .axis{{stroke:currentColor;stroke-opacity:.6}}"
        f"{series}#{chart_id} polyline.line{{fill:none;stroke-width:2}}</style>"
    )


def _open(chart_id: str, title: str, desc: str, height: int, count: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{chart_id}" class="opsrepo-chart" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        _style(chart_id, count),
    ]


def _legend(series: Sequence[Series]) -> str:
    parts, x = [], LEFT
    for i, one in enumerate(series):
        parts.append(f'<rect class="s{i}" x="{x}" y="10" width="12" height="12"/>'
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
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
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
    parts = [*_open(chart_id, title, desc, HEIGHT, len(series)), _legend(series), _y_axis(marks, fmt, plot_h)]
    for i, category in enumerate(categories):
        base = 0.0
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value:
                y = TOP + plot_h * (1 - (base + value) / top)
                h = plot_h * value / top
                parts.append(f'<rect class="s{k}" x="{LEFT + step * i + step * 0.15:.1f}" y="{y:.1f}" '
                             f'width="{step * 0.7:.1f}" height="{h:.1f}"><title>'
                             f'{escape(f"{category}, {one.name}: {fmt(value)}")}</title></rect>')
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
    parts = [*_open(chart_id, title, desc, HEIGHT, len(series)), _legend(series), _y_axis(marks, fmt, plot_h)]
    for k, one in enumerate(series):
        points = [(LEFT + step * (i + 0.5), TOP + plot_h * (1 - v / top), categories[i], v)
                  for i, v in enumerate(one.values) if v is not None]
        for run in _runs(one.values, points):
            if len(run) > 1:
                coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in run)
                parts.append(f'<polyline class="line s{k}" points="{coordinates}"/>')
        parts += [f'<circle class="s{k}" cx="{x:.1f}" cy="{y:.1f}" r="3.5"><title>'
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
    parts = [*_open(chart_id, title, desc, height, len(series)), _legend(series)]
    for i, label in enumerate(labels):
        y, base = TOP + row * i, 0.0
        short = label if len(label) <= 26 else label[:25] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 15}" text-anchor="end" aria-hidden="true">'
                     f'{escape(short)}</text>')
        for k, one in enumerate(series):
            value = one.values[i] or 0
            if value:
                parts.append(f'<rect class="s{k}" x="{left + width * base / top:.1f}" y="{y + 3}" '
                             f'width="{width * value / top:.1f}" height="{row - 6}"><title>'
                             f'{escape(f"{label}, {one.name}: {fmt(value)}")}</title></rect>')
            base += value
        parts.append(f'<text x="{left + width * base / top + 4:.1f}" y="{y + 15}" aria-hidden="true">'
                     f'{escape(fmt(base))}</text>')
    parts += [f'<line class="axis" x1="{left}" x2="{left}" y1="{TOP}" y2="{height - BOTTOM}"/>', "</svg>"]
    return "".join(parts)


def _axis(plot_h: int) -> str:
    return f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{TOP + plot_h}" y2="{TOP + plot_h}"/>'
