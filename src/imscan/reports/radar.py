"""Geometry for the SVG radar chart of the parts' scores, computed on the server.

The chart is drawn without JavaScript and always sits next to a data table with the same
figures, which is what screen-reader users get.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

SIZE = 560
CENTRE = SIZE / 2
RADIUS = 170
LABEL_GAP = 22


@dataclass(frozen=True)
class Axis:
    label: str
    value: float | None


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    anchor: str
    lines: list[str]


@dataclass(frozen=True)
class Series:
    """Another line on the chart (e.g. a group's scores), drawn over the main area."""

    label: str
    points: str
    style: int  # 1.. : which stroke colour and dash (CSS class)


@dataclass(frozen=True)
class Radar:
    size: int
    centre: float
    rings: list[str]  # polygon points per grid ring
    ring_labels: list[tuple[float, float, str]]
    spokes: list[tuple[float, float]]
    area: str  # polygon points of the scores; unanswered parts sit at the centre
    dots: list[tuple[float, float, str]]
    labels: list[Label]
    series: tuple[Series, ...] = ()


def point(index: int, count: int, fraction: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count  # the first axis points up
    return (
        round(CENTRE + RADIUS * fraction * math.cos(angle), 1),
        round(CENTRE + RADIUS * fraction * math.sin(angle), 1),
    )


def points(coords: list[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in coords)


def wrap(text: str, width: int = 18) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3]


def radar(
    axes: list[Axis],
    low: float,
    high: float,
    step: float = 1.0,
    series: Sequence[tuple[str, Sequence[float | None]]] = (),
) -> Radar:
    """The chart of `axes`; each of `series` (label, a value per axis) adds a line."""
    count = len(axes)
    span = high - low

    def fraction(value: float) -> float:
        return max(0.0, min(1.0, (value - low) / span))

    ticks = []
    tick = low
    while tick <= high + 1e-9:
        ticks.append(tick)
        tick += step
    rings = [points([point(i, count, fraction(t)) for i in range(count)]) for t in ticks]
    ring_labels = [(CENTRE + 4, point(0, count, fraction(t))[1] - 2, f"{t:g}") for t in ticks]
    spokes = [point(i, count, 1.0) for i in range(count)]
    score_points = [
        point(i, count, fraction(axis.value) if axis.value is not None else 0.0)
        for i, axis in enumerate(axes)
    ]
    dots = [(*score_points[i], axis.label) for i, axis in enumerate(axes) if axis.value is not None]
    labels = []
    for i, axis in enumerate(axes):
        angle = -math.pi / 2 + 2 * math.pi * i / count
        x = CENTRE + (RADIUS + LABEL_GAP) * math.cos(angle)
        y = CENTRE + (RADIUS + LABEL_GAP) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = wrap(f"{i + 1}. {axis.label}")
        if math.sin(angle) < -0.3:
            y -= 14 * (len(lines) - 1)  # labels above the chart grow upwards
        labels.append(Label(x=round(x, 1), y=round(y, 1), anchor=anchor, lines=lines))
    return Radar(
        size=SIZE,
        centre=CENTRE,
        rings=rings,
        ring_labels=ring_labels,
        spokes=spokes,
        area=points(score_points),
        dots=dots,
        labels=labels,
        series=tuple(
            Series(
                label,
                points(
                    [
                        point(i, count, fraction(value) if value is not None else 0.0)
                        for i, value in enumerate(values)
                    ]
                ),
                style,
            )
            for style, (label, values) in enumerate(series, start=1)
        ),
    )
