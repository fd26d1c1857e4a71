"""What the results pages show of the insights: the benchmark panel and the organisations
to learn from. Both are computed per request from stored measurements (never cached), so
a withdrawn choice is respected on the very next page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, level_start, tr
from imscan.insights import peer_learning
from imscan.insights.benchmark import Figures, GroupFigures, peers, with_fingerprint
from imscan.insights.dashboard import TOTAL, Dashboard
from imscan.insights.forms import BenchmarkFilterForm
from imscan.insights.models import Measurement
from imscan.insights.tables import Table
from imscan.organisations.models import Organisation
from imscan.permissions import Action, can
from imscan.reports.charts import (
    Bar,
    LineChart,
    RangeChart,
    line_chart,
    palette,
    range_chart,
    stacked_bar,
)
from imscan.reports.presenters import level_name
from imscan.scans.models import Scan
from imscan.scans.presenters import part_numbers


@dataclass(frozen=True)
class Cell:
    """A group's figures for one part, as shown: None fields are withheld or missing."""

    median: float | None
    q1: float | None
    q3: float | None
    level: int | None
    level_name: str


@dataclass(frozen=True)
class PanelRow:
    number: int | None
    title: str
    own: float | None
    own_level: int | None
    own_level_name: str
    everyone: Cell
    chosen: Cell | None


def _cell(model: MaturityModel, figures: Figures | None, lang: str) -> Cell:
    if figures is None:
        return Cell(None, None, None, None, "")
    level = level_for_score(model, figures.median)
    return Cell(figures.median, figures.q1, figures.q3, level, level_name(model, level, lang))


def _chart(model: MaturityModel, rows: list[PanelRow], compared: str, lang: str) -> RangeChart:
    low, high = model.score_range
    bands = []
    if model.scoring.method == "mean-bands":
        bands = [(level_start(model, level.level), "") for level in model.levels]
    entries = []
    for row in rows:
        cell = row.chosen if compared == "chosen" and row.chosen else row.everyone
        label = f"{row.number}. {row.title}" if row.number else row.title
        entries.append((label, cell.q1, cell.median, cell.q3, row.own))
    return range_chart(entries, low, high, bands=bands)


def _filters(query: QueryDict, own: Organisation | None) -> BenchmarkFilterForm:
    """The chosen group; an organisation's own type is the first choice, until one is made."""
    if "type" in query or "size" in query:
        form = BenchmarkFilterForm(query, own=own)
    else:
        initial = {"type": own.kind if own else "", "size": ""}
        form = BenchmarkFilterForm(initial, own=own)
    form.is_valid()
    return form


def benchmark_panel(
    measurement: Measurement, query: QueryDict, lang: str, url: str
) -> dict[str, Any] | None:
    """The benchmark panel of a scan's results page; None when the scan has no figures."""
    if not measurement.comparable:
        return None
    model = engine_model(measurement.benchmark_version)
    own_model = engine_model(measurement.model_version)
    own = measurement.organisation
    form = _filters(query, own)
    data = form.cleaned_data if form.is_valid() else {}
    kind, size = data.get("type") or None, data.get("size") or None
    fingerprint = None
    if hasattr(measurement, "peers_count"):  # fetched with_fingerprint: no query needed
        fingerprint = (measurement.peers_stamp or 0, measurement.peers_count or 0)
    release = peers(measurement.benchmark_version, fingerprint)
    everyone = release.group()
    chosen: GroupFigures | None = None
    if kind or size:
        chosen = release.group(kind, size)
    numbers = part_numbers(model)
    rows = []
    overall_level = measurement.overall_level
    rows.append(
        PanelRow(
            number=None,
            title=tr(model.title, lang),
            own=measurement.overall_score,
            own_level=overall_level,
            own_level_name=level_name(own_model, overall_level, lang),
            everyone=_cell(model, everyone.overall, lang),
            chosen=_cell(model, chosen.overall, lang) if chosen else None,
        )
    )
    for part in model.parts():
        own_score = measurement.part_scores.get(part.id)
        own_level = level_for_score(own_model, own_score)
        rows.append(
            PanelRow(
                number=numbers.get(part.id),
                title=tr(part.title, lang),
                own=own_score,
                own_level=own_level,
                own_level_name=level_name(own_model, own_level, lang),
                everyone=_cell(model, (everyone.parts or {}).get(part.id), lang),
                chosen=_cell(model, (chosen.parts or {}).get(part.id), lang) if chosen else None,
            )
        )
    compared = "chosen" if chosen is not None and chosen.shown else "everyone"
    shown = everyone.shown or (chosen is not None and chosen.shown)
    return {
        "form": form,
        "url": url,
        "threshold": release.threshold,
        "version": measurement.benchmark_version,
        "everyone": everyone,
        "chosen": chosen,
        "chosen_label": _group_label(kind, size),
        "rows": rows,
        "part_rows": rows[1:],
        "chart": _chart(model, rows[1:], compared, lang) if shown else None,
        "compared_label": _group_label(kind, size) if compared == "chosen" else "",
        "counted": measurement.counted,
        "kind": measurement.scan_kind,
        "score_low": model.score_range[0],
        "score_high": model.score_range[1],
    }


def _group_label(kind: str | None, size: str | None) -> str:
    labels = []
    if kind:
        labels.append(str(dict(_plain_choices("type"))[kind]))
    if size:
        labels.append(str(dict(_plain_choices("size"))[size]))
    return ", ".join(labels)


def _plain_choices(name: str) -> list[tuple[str, Any]]:
    field = BenchmarkFilterForm.base_fields[name]
    assert hasattr(field, "choices")
    return list(field.choices)


def result_extras(request: Any, scan: Scan, lang: str) -> dict[str, Any]:
    """The insights sections of a results page: the benchmark panel, and for a signed-in
    member of the scan's organisation the organisations to learn from."""
    measurement = (
        with_fingerprint(Measurement.objects.filter(scan=scan))
        .select_related("organisation", "benchmark_version", "model_version")
        .defer("benchmark_version__source", "model_version__source")
        .first()
    )
    if measurement is None:
        return {}
    extras: dict[str, Any] = {}
    panel = benchmark_panel(measurement, request.GET, lang, request.path)
    if panel is not None:
        extras["benchmark"] = panel
    organisation = measurement.organisation
    if (
        panel is not None
        and organisation is not None
        and can(request.user, Action.VIEW, organisation)
    ):
        extras["learn_from"] = {
            "suggestions": peer_learning.learn_from(measurement, lang),
            "settings_url": (
                reverse("org-participation", kwargs={"org_id": organisation.public_id})
                if can(request.user, Action.MANAGE, organisation)
                else ""
            ),
            "contactable": peer_learning.is_contactable(organisation),
        }
    return extras


# ---- the programme dashboard ----


def _nice_top(value: float) -> tuple[float, float]:
    """A round top for a count axis, and its step: 0-5, 0-10, 0-20, 0-50, 0-100, ..."""
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


def activity_chart(started: Table, finished: Table) -> LineChart:
    series = [
        (started.title, _values(started, TOTAL)),
        (finished.title, _values(finished, TOTAL)),
    ]
    highest = max([v for _label, values in series for v in values if v is not None] or [0])
    top, step = _nice_top(highest)
    labels = [row.label[:3] for row in started.rows if not row.total]
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
        "activity_chart": activity_chart(board.started, board.finished),
    }
    if board.model is not None and board.levels is not None and board.parts is not None:
        context["level_bars"] = level_bars(board.model, board.levels)
        context["parts_chart"] = parts_chart(board.model, board.parts)
        context["model_title"] = tr(board.model.title, lang)
        if board.trend is not None:
            context["trend_chart"] = trend_chart(board.model, board.trend)
    context["followup_bars"] = followup_bars(board.followup[1])
    return context
