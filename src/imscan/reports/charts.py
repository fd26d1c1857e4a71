"""Geometry for the small SVG charts of the team and progress pages, computed on the server.

Like the radar chart, every chart has a text alternative and sits next to a table with the
same figures: the chart is for the eye, the table for everyone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A diverging palette from the lowest answer (orange) to the highest (purple), readable for
# the common colour-vision deficiencies; neighbours are told apart by a white gap as well.
_ANCHORS = ("#b35806", "#f1a340", "#d8d8d8", "#998ec3", "#542788")
DONT_KNOW_COLOUR = "#ffffff"
OPEN_COLOUR = "#ffffff"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def palette(count: int) -> list[str]:
    """`count` colours from the lowest answer to the highest, spread over the anchors."""
    if count <= 1:
        return [_ANCHORS[-2]][:count]
    colours = []
    for index in range(count):
        position = index / (count - 1) * (len(_ANCHORS) - 1)
        low = min(int(position), len(_ANCHORS) - 2)
        share = position - low
        a, b = _rgb(_ANCHORS[low]), _rgb(_ANCHORS[low + 1])
        mixed = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
        colours.append("#{:02x}{:02x}{:02x}".format(*mixed))
    return colours


@dataclass(frozen=True)
class Segment:
    # Coordinates as text: an SVG attribute needs a dot, whatever the page's language, and
    # formatting here spares the template a number_format call per value.
    x: str
    width: str
    colour: str
    label: str
    count: int
    kind: str  # "value", "dont-know" or "open": the last two are drawn with a pattern


@dataclass(frozen=True)
class Bar:
    """A 100 % stacked bar of answer counts."""

    width: int
    height: int
    segments: list[Segment]
    text: str  # the text alternative: every category with its count


BAR_WIDTH = 240
BAR_HEIGHT = 18


def stacked_bar(parts: Sequence[tuple[str, int, str, str]], text: str) -> Bar:
    """parts: (label, count, colour, kind) in order; empty ones take no room."""
    total = sum(count for _, count, _, _ in parts)
    segments = []
    x = 0.0
    for label, count, colour, kind in parts:
        if not count or not total:
            continue
        width = BAR_WIDTH * count / total
        segments.append(Segment(f"{x:.2f}", f"{width:.2f}", colour, label, count, kind))
        x += width
    return Bar(BAR_WIDTH, BAR_HEIGHT, segments, text)


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    value: float


@dataclass(frozen=True)
class Line:
    label: str
    points: str
    dots: list[Dot]
    style: int  # 1.. : which stroke colour and dash (CSS class)


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    bands: list[Tick]  # where each level starts, as a dashed line with "level n"
    lines: list[Line]


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    low: float,
    high: float,
    *,
    bands: Sequence[tuple[float, str]] = (),
    width: int = 640,
    height: int = 300,
    step: float = 1.0,
    ends_only: bool = False,
) -> LineChart:
    """A line per series over evenly spaced points in time; a missing value breaks no line:
    its neighbours are joined and it gets no dot. `ends_only` labels only the first and the
    last point in time, for charts too small to label them all."""
    left, right, top, bottom = 44.0, width - 70.0, 16.0, height - 44.0
    count = len(x_labels)

    def x_at(index: int) -> float:
        if count == 1:
            return round((left + right) / 2, 1)
        return round(left + (right - left) * index / (count - 1), 1)

    def y_at(value: float) -> float:
        share = (min(max(value, low), high) - low) / (high - low) if high > low else 0.0
        return round(bottom - (bottom - top) * share, 1)

    y_ticks = _ticks(low, high, step, y_at)
    lines = []
    for style, (label, values) in enumerate(series, start=1):
        coords = [(x_at(i), y_at(v), v) for i, v in enumerate(values) if v is not None]
        lines.append(
            Line(
                label=label,
                points=" ".join(f"{x},{y}" for x, y, _ in coords),
                dots=[Dot(x, y, v) for x, y, v in coords],
                style=style,
            )
        )
    return LineChart(
        width=width,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        y_ticks=y_ticks,
        x_ticks=_x_ticks([x_at(i) for i in range(count)], x_labels, ends_only),
        bands=[Tick(y_at(start), label) for start, label in bands if low < start <= high],
        lines=lines,
    )


def _ticks(low: float, high: float, step: float, at: Callable[[float], float]) -> list[Tick]:
    """A tick at every step from low to high, placed by `at`, labelled as people write it."""
    ticks = []
    tick = low
    while tick <= high + 1e-9:
        ticks.append(Tick(at(tick), f"{tick:g}"))
        tick += step
    return ticks


def _x_ticks(positions: Sequence[float], labels: Sequence[str], ends_only: bool) -> list[Tick]:
    if not ends_only or len(labels) <= 2:
        return [Tick(x, label) for x, label in zip(positions, labels, strict=True)]
    return [Tick(positions[0], labels[0], "start"), Tick(positions[-1], labels[-1], "end")]


@dataclass(frozen=True)
class RangeRow:
    """One line of a range chart: the middle half (q1-q3) as a bar, the median as a tick,
    and the own score as a dot; None where there is no such figure."""

    label: str
    y: float
    box_x: str | None
    box_width: str | None
    median_x: str | None
    own_x: str | None


@dataclass(frozen=True)
class RangeChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[Tick]
    bands: list[Tick]  # where each level starts, as a dashed vertical line
    rows: list[RangeRow]
    row_height: int


def range_chart(
    rows: Sequence[tuple[str, float | None, float | None, float | None, float | None]],
    low: float,
    high: float,
    *,
    bands: Sequence[tuple[float, str]] = (),
    width: int = 720,
    label_width: int = 290,
    row_height: int = 30,
    step: float = 1.0,
) -> RangeChart:
    """Horizontal ranges on one scale, one row per (label, q1, median, q3, own)."""
    left, right, top = float(label_width), width - 20.0, 28.0
    bottom = top + row_height * len(rows)

    def x_at(value: float) -> float:
        share = (min(max(value, low), high) - low) / (high - low) if high > low else 0.0
        return round(left + (right - left) * share, 1)

    lines = []
    for index, (label, q1, median, q3, own) in enumerate(rows):
        box = (q1, q3) if q1 is not None and q3 is not None else None
        lines.append(
            RangeRow(
                label=label,
                y=round(top + row_height * index + row_height / 2, 1),
                box_x=f"{x_at(box[0]):.1f}" if box else None,
                box_width=f"{max(x_at(box[1]) - x_at(box[0]), 2.0):.1f}" if box else None,
                median_x=f"{x_at(median):.1f}" if median is not None else None,
                own_x=f"{x_at(own):.1f}" if own is not None else None,
            )
        )
    ticks = _ticks(low, high, step, x_at)
    return RangeChart(
        width=width,
        height=int(bottom + 16),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=ticks,
        bands=[Tick(x_at(start), label) for start, label in bands if low < start <= high],
        rows=lines,
        row_height=row_height,
    )
