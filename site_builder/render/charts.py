"""Chart geometry as plain data: scaled points, axis ticks and labels for an inline SVG.

Python decides where things go; ``templates/components/chart.html`` decides how they look. An
assistance standard is a step function (an amount holds until the next adjustment), so lines are
drawn as steps. Lines differ by dash pattern and marker shape, never by colour alone, and are
stroked in ``currentColor`` so that high-contrast and forced-colours modes keep them visible.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

WIDTH = 720
LEFT, RIGHT, TOP, PLOT_HEIGHT = 72, 28, 48, 240
LEGEND_ROW = 28
MARKER = 5.5
DASHES = ("", "10 6", "2 5", "14 5 3 5", "6 4", "22 5")
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "square")

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float  # x for the time axis, y for the value axis
    label: str


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    y: float
    shape: str  # circle, square, triangle, diamond, triangle-down
    outline: tuple[Point, ...]  # polygon corners; empty for a circle
    announced: bool  # after today: drawn hollow
    label: str  # the amount, or "" when a label for the same amount is already drawn
    label_x: float
    label_y: float
    label_anchor: str  # SVG text-anchor


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    points: tuple[Point, ...]  # the step line's corners
    dash: str  # SVG stroke-dasharray; "" for solid
    shape: str
    markers: tuple[Marker, ...]
    legend_y: float
    legend_marker: Marker


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]
    today_x: float | None  # None when today is outside the time axis; labelled below the axis
    today_anchor: str  # text-anchor of the "今天" label, so that it stays inside the chart
    legend_x: float  # where legend texts start; each line's sample is drawn left of it


def amount_label(value: Decimal | float) -> str:
    """1120 → "1120", 1055.5 → "1055.5" (no thousands separator, as in the tables)."""
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())


def nice_step(span: float, target: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 × 10ⁿ) that cuts ``span`` into about ``target`` parts."""
    raw = span / target if span > 0 else 1.0
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude  # pragma: no cover


def value_ticks(low: float, high: float) -> list[float]:
    """Round tick values covering [low, high], at least two of them, never below zero."""
    step = nice_step(high - low if high > low else max(high, 1.0))
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    if low - start < step / 2:  # room below the lowest point for its label
        start -= step
    if stop - high < step / 4:
        stop += step
    start = max(start, 0.0)
    count = round((stop - start) / step)
    return [start + i * step for i in range(count + 1)]


def step_chart(series: Sequence[tuple[str, Sequence[tuple[date, Decimal]]]], today: date) -> Chart:
    """Geometry of a step chart: one line per (label, [(effective date, amount), …]) series.

    The time axis runs from 1 January of the first year to 1 January after both the last change
    and ``today``; points after ``today`` (announced, not yet in force) get hollow markers.
    """
    dates = [d for _, points in series for d, _ in points]
    amounts = [float(v) for _, points in series for _, v in points]
    first, last = min(dates), max(max(dates), today)
    start, end = date(first.year, 1, 1), date(last.year + 1, 1, 1)
    left, right, top = float(LEFT), float(WIDTH - RIGHT), float(TOP)
    bottom = top + PLOT_HEIGHT
    ticks = value_ticks(min(amounts), max(amounts))
    low, high = ticks[0], ticks[-1]
    days = (end - start).days

    def x_of(day: date) -> float:
        return round(left + (right - left) * (day - start).days / days, 1)

    def y_of(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 1)

    years = list(range(start.year, end.year + 1))
    every = 1 if len(years) <= 10 else math.ceil(len(years) / 10)
    x_ticks = tuple(Tick(x_of(date(y, 1, 1)), f"{y}年") for y in years[::every])
    y_ticks = tuple(Tick(y_of(v), amount_label(v)) for v in ticks)

    # One value label per distinct amount on each date: the highest above its point, the lowest
    # below; labels for amounts in between would collide and are left to the table.
    labelled: dict[tuple[date, Decimal], str] = {}
    for day in sorted(set(dates)):
        here = sorted({v for _, points in series for d, v in points if d == day}, reverse=True)
        labelled[(day, here[0])] = "above"
        if len(here) > 1:
            labelled[(day, here[-1])] = "below"

    legend_top = bottom + 80
    lines = []
    for index, (label, points) in enumerate(series):
        shape = SHAPES[index % len(SHAPES)]
        corners: list[Point] = []
        markers = []
        for i, (day, value) in enumerate(points):
            x, y = x_of(day), y_of(float(value))
            if corners:
                corners.append((x, corners[-1][1]))
            corners.append((x, y))
            # above: clear of the step rising from below; below: right of it, under the flat part
            place = labelled.pop((day, value), "")
            text = amount_label(value) if place else ""
            if place == "below":
                markers.append(
                    Marker(
                        x,
                        y,
                        shape,
                        _outline(shape, x, y),
                        day > today,
                        text,
                        round(x + 8, 1),
                        round(y + 22, 1),
                        "start",
                    )
                )
            else:
                markers.append(
                    Marker(x, y, shape, _outline(shape, x, y), day > today, text, x, round(y - 12, 1), "middle")
                )
        corners.append((x_of(end), corners[-1][1]))
        legend_y = legend_top + index * LEGEND_ROW
        legend_x = left + 18
        lines.append(
            Line(
                label,
                tuple(corners),
                DASHES[index % len(DASHES)],
                shape,
                tuple(markers),
                legend_y,
                Marker(legend_x, legend_y, shape, _outline(shape, legend_x, legend_y), False, "", 0, 0, "start"),
            )
        )
    today_x = x_of(today) if start <= today <= end else None
    anchor = "middle"
    if today_x is not None and today_x > right - 24:
        anchor = "end"
    elif today_x is not None and today_x < left + 24:
        anchor = "start"
    height = int(legend_top + len(series) * LEGEND_ROW - 8)
    return Chart(WIDTH, height, left, right, top, bottom, x_ticks, y_ticks, tuple(lines), today_x, anchor, left + 48)


def _outline(shape: str, x: float, y: float) -> tuple[Point, ...]:
    r = MARKER
    corners: dict[str, tuple[Point, ...]] = {
        "circle": (),
        "square": ((-r, -r), (r, -r), (r, r), (-r, r)),
        "triangle": ((0, -1.3 * r), (1.2 * r, 0.9 * r), (-1.2 * r, 0.9 * r)),
        "triangle-down": ((0, 1.3 * r), (1.2 * r, -0.9 * r), (-1.2 * r, -0.9 * r)),
        "diamond": ((0, -1.4 * r), (1.4 * r, 0), (0, 1.4 * r), (-1.4 * r, 0)),
    }
    return tuple((round(x + dx, 1), round(y + dy, 1)) for dx, dy in corners[shape])
