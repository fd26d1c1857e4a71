"""What the programme dashboard shows besides its tables: the charts, each next to a
table with the same figures."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_start, tr
from imscan.insights.dashboard import TOTAL, Dashboard
from imscan.insights.tables import Table
from imscan.reports.charts import (
    Bar,
    LineChart,
    RangeChart,
    line_chart,
    palette,
    range_chart,
    stacked_bar,
)


def _nice_top(value: float) -> tuple[float, float]:
    """A round top for a count axis, and its step: 5, 10, 25, 50, 100, 250, ..."""
    top = 5.0
    while top < value:
        for factor in (2, 2.5, 2):
            top *= factor
            if top >= value:
                break
    return top, top / 5


def _values(table: Table, column: str) -> list[float | None]:
    return [
        None if row.cells[column].withheld else row.cells[column].value
        for row in table.rows
        if not row.total
    ]


def activity_chart(year: int, started: Table, finished: Table) -> LineChart:
    series = [
        (started.title, _values(started, TOTAL)),
        (finished.title, _values(finished, TOTAL)),
    ]
    highest = max([v for _label, values in series for v in values if v is not None] or [0])
    top, step = _nice_top(highest)
    labels = [date_format(datetime.date(year, month, 1), "M") for month in range(1, 13)]
    return line_chart(labels, series, 0, top, step=step)


def level_bars(model: MaturityModel, levels: Table) -> list[tuple[str, Bar]]:
    """A bar of the organisations per level for every row whose figures are all shown."""
    colours = palette(model.level_count)
    bars = []
    for row in levels.rows:
        cells = [row.cells[str(level.level)] for level in model.levels]
        if any(cell.withheld for cell in cells) or not row.cells[TOTAL].value:
            continue
        parts = [
            (
                _("level %(level)s") % {"level": level.level},
                int(cell.value or 0),
                colour,
                "value",
            )
            for level, cell, colour in zip(model.levels, cells, colours, strict=True)
        ]
        text = "; ".join(f"{label}: {count}" for label, count, _c, _k in parts)
        bars.append((row.label, stacked_bar(parts, f"{row.label}: {text}")))
    return bars


def parts_chart(model: MaturityModel, parts: Table) -> RangeChart | None:
    rows = []
    for row in parts.rows:
        if row.cells["median"].withheld:
            return None
        rows.append(
            (
                row.label,
                row.cells["q1"].value,
                row.cells["median"].value,
                row.cells["q3"].value,
                None,
            )
        )
    low, high = model.score_range
    bands = [(level_start(model, level.level), "") for level in model.levels]
    return range_chart(rows, low, high, bands=bands if model.scoring.method == "mean-bands" else ())


def trend_chart(model: MaturityModel, trend: Table) -> LineChart | None:
    values = _values(trend, "median")
    if not any(value is not None for value in values):
        return None
    low, high = model.score_range
    labels = [row.label for row in trend.rows]
    return line_chart(labels, [(trend.title, values)], low, high)


def followup_bars(outcomes: Table) -> list[tuple[str, Bar | None]]:
    bars: list[tuple[str, Bar | None]] = []
    colours = palette(2)
    for row in outcomes.rows:
        share, n = row.cells["yes"], row.cells["n"]
        if share.withheld or share.value is None or n.value is None:
            bars.append((row.label, None))
            continue
        yes = round(n.value * share.value / 100)
        text = _("%(share)s %% yes of %(n)s answers") % {
            "share": round(share.value),
            "n": int(n.value),
        }
        bars.append(
            (
                row.label,
                stacked_bar(
                    [
                        (_("yes"), yes, colours[1], "value"),
                        (_("no"), int(n.value) - yes, colours[0], "value"),
                    ],
                    text,
                ),
            )
        )
    return bars


def dashboard_page(board: Dashboard, lang: str) -> dict[str, Any]:
    context: dict[str, Any] = {
        "board": board,
        "threshold": int(settings.IMSCAN_MIN_ORGANISATIONS),
        "activity_chart": activity_chart(board.year, board.started, board.finished),
    }
    if board.version is not None and board.levels is not None and board.parts is not None:
        model = engine_model(board.version)
        context["model"] = model
        context["level_bars"] = level_bars(model, board.levels)
        context["parts_chart"] = parts_chart(model, board.parts)
        context["model_title"] = tr(model.title, lang)
        if board.trend is not None:
            context["trend_chart"] = trend_chart(model, board.trend)
    context["followup_bars"] = followup_bars(board.followup[1])
    return context
