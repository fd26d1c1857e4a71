"""Progress over time: an organisation's repeated scans of one model, compared.

Which scans count: guided scans with at least their anonymity threshold of finished
respondents (their team score), and self-scans claimed into the organisation once they
are finished. Scans of different versions of one model are compared on the parts the
versions share, by id. Explained in docs/scoring.md, "Progress over time".
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, ScoreResult, score_many, tr
from imscan.organisations.models import Organisation
from imscan.reports import presenters
from imscan.reports.charts import LineChart, line_chart
from imscan.reports.selectors import ScanAnswers
from imscan.scans.models import Scan
from imscan.scans.presenters import part_numbers

# A part "moved" when its level changed, or its score by at least this much (up or down).
# Defined once: the page and docs/scoring.md explain it with this figure.
MOVE_THRESHOLD = 0.3
_EPSILON = 1e-9

UP = "up"
DOWN = "down"


@dataclass(frozen=True)
class ScanPoint:
    """One counted scan: its date, what it is, and its (team) result."""

    scan: Scan
    date: datetime.datetime
    title: str
    guided: bool
    version: str
    respondents: int
    model: MaturityModel
    result: ScoreResult


def change_text(change: float | None) -> str:
    """A change with its sign, in the current language's number format."""
    if change is None:
        return ""
    shown = round(change, 2)
    sign = "+" if shown > 0 else "−" if shown < 0 else "±"
    return sign + number_format(abs(shown), decimal_pos=2)


@dataclass(frozen=True)
class Cell:
    label: str  # the scan's date, as the charts show it
    score: float | None
    level: int | None
    level_name: str
    change: float | None  # since the previous scan; None for the first or without a score
    moved: str  # UP, DOWN or ""

    @property
    def change_text(self) -> str:
        return change_text(self.change)


@dataclass(frozen=True)
class SeriesRow:
    """The overall score or one part, across the scans."""

    id: str  # "" for the overall score
    title: str
    number: int | None
    cells: list[Cell]
    chart: LineChart

    @property
    def moved(self) -> str:
        """How the latest scan moved against the one before it: UP, DOWN or ""."""
        return self.cells[-1].moved if self.cells else ""


@dataclass(frozen=True)
class Movement:
    row: SeriesRow
    before: Cell
    after: Cell


@dataclass(frozen=True)
class ModelProgress:
    model_id: str
    title: str
    points: list[ScanPoint]
    labels: list[str]  # a short label per scan (its date), for the charts and tables
    versions: list[str]  # the versions used, oldest first
    left_out: list[str]  # titles of parts not in every version
    overall: SeriesRow
    parts: list[SeriesRow]
    moved: list[Movement]  # the latest scan against the one before it
    # The development plans made after these scans, and whether their parts moved by the
    # next scan (imscan.plans.follow_up); added by the view.
    follow_ups: list[Any] = field(default_factory=list)

    @property
    def latest(self) -> ScanPoint:
        return self.points[-1]

    @property
    def previous(self) -> ScanPoint | None:
        return self.points[-2] if len(self.points) >= 2 else None


@dataclass(frozen=True)
class Skipped:
    title: str
    reason: str


def movement(
    before_score: float | None,
    before_level: int | None,
    score: float | None,
    level: int | None,
) -> tuple[float | None, str]:
    """The change between two measurements of one node, and whether it moved: UP, DOWN or
    "" (a level change, or a change of at least MOVE_THRESHOLD)."""
    if before_score is None or score is None:
        return None, ""
    change = score - before_score
    level_changed = level is not None and before_level is not None and level != before_level
    if abs(change) + _EPSILON < MOVE_THRESHOLD and not level_changed:
        return change, ""
    if change > _EPSILON:
        return change, UP
    if change < -_EPSILON:
        return change, DOWN
    return change, UP if (level or 0) > (before_level or 0) else DOWN


def _moved(before: Cell | None, score: float | None, level: int | None) -> tuple[float | None, str]:
    if before is None:
        return None, ""
    return movement(before.score, before.level, score, level)


def _cells(
    points: Sequence[ScanPoint], labels: Sequence[str], node_id: str, lang: str
) -> list[Cell]:
    cells: list[Cell] = []
    for point, label in zip(points, labels, strict=True):
        node = point.result.overall if not node_id else point.result.nodes[node_id]
        change, moved = _moved(cells[-1] if cells else None, node.score, node.level)
        cells.append(
            Cell(
                label=label,
                score=node.score,
                level=node.level,
                level_name=presenters.level_name(point.model, node.level, lang),
                change=change,
                moved=moved,
            )
        )
    return cells


def _bands(model: MaturityModel) -> list[tuple[float, str]]:
    if model.scoring.method == "mean-bands":
        starts = [(band.from_, band.level) for band in model.scoring.bands or ()]
    else:
        starts = [(float(level.level), level.level) for level in model.levels]
    return [(start, _("level %(level)s") % {"level": level}) for start, level in starts]


def _counted(item: ScanAnswers, now: datetime.datetime) -> tuple[bool, str]:
    scan, finished = item.scan, len(item.respondents)
    if scan.kind == Scan.Kind.GUIDED:
        if not scan.is_closed(now):
            return False, _("The scan is still open: it counts once it closes.")
        if finished >= scan.anonymity_threshold:
            return True, ""
        return False, _(
            "%(finished)s of the %(needed)s respondents needed to show a result have finished."
        ) % {"finished": finished, "needed": scan.anonymity_threshold}
    if finished:
        return True, ""
    return False, _("The self-scan is not finished yet.")


def _point(item: ScanAnswers) -> ScanPoint:
    scan = item.scan
    model = engine_model(scan.model_version)
    guided = scan.kind == Scan.Kind.GUIDED
    # A guided scan counts only once closed (see _counted): it is dated by its closing.
    date = (scan.closed_at or scan.closes_at) if guided else item.latest_finished
    assert date is not None  # a counted scan has a finished respondent
    return ScanPoint(
        scan=scan,
        date=date,
        title=scan.title or (_("Guided scan") if guided else _("Self-scan")),
        guided=guided,
        version=scan.model_version.version,
        respondents=len(item.respondents),
        model=model,
        result=score_many(model, item.respondents),
    )


def _model_progress(points: list[ScanPoint], lang: str) -> ModelProgress:
    newest = points[-1].model
    shared = [
        part for part in newest.parts() if all(_has_part(point.model, part.id) for point in points)
    ]
    shared_ids = {part.id for part in shared}
    left_out = sorted(
        {
            tr(part.title, lang)
            for point in points
            for part in point.model.parts()
            if part.id not in shared_ids
        }
    )
    low, high = newest.score_range
    bands = _bands(newest)
    # Short dates: "3 Dec 2026", "3 dec 2026" (Dutch writes months in lower case).
    short = "j b Y" if lang == "nl" else "j M Y"
    labels = [date_format(timezone.localtime(point.date), short) for point in points]
    numbers = part_numbers(newest)

    def row(node_id: str, title: str, number: int | None, large: bool) -> SeriesRow:
        cells = _cells(points, labels, node_id, lang)
        chart = line_chart(
            labels,
            [(title, [cell.score for cell in cells])],
            low,
            high,
            bands=bands,
            width=640 if large else 360,
            height=300 if large else 200,
            ends_only=not large,
        )
        return SeriesRow(node_id, title, number, cells, chart)

    overall = row("", _("Overall score"), None, large=True)
    parts = [row(part.id, tr(part.title, lang), numbers[part.id], large=False) for part in shared]
    moved = []
    if len(points) >= 2:
        for series in [overall, *parts]:
            if series.moved:
                moved.append(Movement(series, series.cells[-2], series.cells[-1]))
    return ModelProgress(
        model_id=newest.id,
        title=tr(newest.title, lang),
        points=points,
        labels=labels,
        versions=list(dict.fromkeys(point.version for point in points)),
        left_out=left_out,
        overall=overall,
        parts=parts,
        moved=moved,
    )


def _has_part(model: MaturityModel, node_id: str) -> bool:
    try:
        return model.node(node_id).is_part
    except KeyError:
        return False


def progress(
    organisation: Organisation,
    scans: Sequence[ScanAnswers],
    lang: str,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The context of reports/progress.html."""
    now = now or timezone.now()
    per_model: dict[str, list[ScanPoint]] = {}
    skipped = []
    for item in scans:
        counted, reason = _counted(item, now)
        if not counted:
            skipped.append(Skipped(item.scan.title or str(item.scan.get_kind_display()), reason))
            continue
        point = _point(item)
        per_model.setdefault(point.model.id, []).append(point)
    models = []
    for points in per_model.values():
        points.sort(key=lambda point: (point.date, point.scan.pk))
        models.append(_model_progress(points, lang))
    return {
        "organisation": organisation,
        "models": models,
        "skipped": skipped,
        "move_threshold": MOVE_THRESHOLD,
    }
