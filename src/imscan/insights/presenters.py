"""What the results pages show of the insights: the benchmark panel and the organisations
to learn from. Both are computed per request from stored measurements (the benchmark from
a cache keyed by the database's state), so a withdrawn choice shows on the very next
page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, level_start, tr
from imscan.insights import peer_learning
from imscan.insights.benchmark import Figures, GroupFigures, peers, with_fingerprint
from imscan.insights.forms import BenchmarkFilterForm
from imscan.insights.models import Measurement
from imscan.organisations.models import Organisation
from imscan.permissions import Action, can
from imscan.reports.charts import RangeChart, range_chart
from imscan.scans.models import Scan
from imscan.scans.presenters import part_numbers


@dataclass(frozen=True)
class Cell:
    """A score as shown: its figures for the chart, and its text (written here rather than
    in the template, which would take as long as the rest of the page for the table)."""

    median: float | None
    q1: float | None
    q3: float | None
    score_text: str  # "3,1", or "" when withheld or missing
    level_text: str  # "level 3"
    range_text: str  # the middle half, from the first to the third quartile


@dataclass(frozen=True)
class PanelRow:
    number: int | None
    title: str
    own: Cell
    everyone: Cell
    chosen: Cell | None

    @property
    def cells(self) -> list[Cell]:
        """The table's cells in column order: own, everyone, and the chosen group."""
        return [self.own, self.everyone] + ([self.chosen] if self.chosen else [])


def _number(value: float) -> str:
    return number_format(value, decimal_pos=1)


def _cell(model: MaturityModel, figures: Figures | None) -> Cell:
    if figures is None:
        return Cell(None, None, None, "", "", "")
    level = level_for_score(model, figures.median)
    return Cell(
        figures.median,
        figures.q1,
        figures.q3,
        _number(figures.median),
        _("level %(level)s") % {"level": level},
        f"{_number(figures.q1)} – {_number(figures.q3)}",
    )


def _own(model: MaturityModel, score: float | None) -> Cell:
    if score is None:
        return Cell(None, None, None, "", "", "")
    level = level_for_score(model, score)
    return Cell(score, None, None, _number(score), _("level %(level)s") % {"level": level}, "")


def _chart(model: MaturityModel, rows: list[PanelRow], compared: str, lang: str) -> RangeChart:
    low, high = model.score_range
    bands = []
    if model.scoring.method == "mean-bands":
        bands = [(level_start(model, level.level), "") for level in model.levels]
    entries = []
    for row in rows:
        cell = row.chosen if compared == "chosen" and row.chosen else row.everyone
        label = f"{row.number}. {row.title}" if row.number else row.title
        entries.append((label, cell.q1, cell.median, cell.q3, row.own.median))
    return range_chart(entries, low, high, bands=bands)


def _filters(query: QueryDict, own: Organisation | None) -> BenchmarkFilterForm:
    """The chosen group; an organisation's own type is the first choice, until one is made."""
    if "type" in query or "size" in query:
        form = BenchmarkFilterForm(query, own=own)
    else:
        initial = {"type": own.kind if own else "", "size": ""}
        form = BenchmarkFilterForm(initial, own=own)
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
        stamp, count = getattr(measurement, "peers_stamp", 0), measurement.peers_count
        fingerprint = (stamp or 0, count or 0)
    release = peers(measurement.benchmark_version, fingerprint)
    everyone = release.group()
    chosen: GroupFigures | None = None
    if kind or size:
        chosen = release.group(kind, size)
    numbers = part_numbers(model)
    rows = [
        PanelRow(
            number=None,
            title=_("Overall"),
            own=_own(own_model, measurement.overall_score),
            everyone=_cell(model, everyone.overall),
            chosen=_cell(model, chosen.overall) if chosen else None,
        )
    ]
    for part in model.parts():
        rows.append(
            PanelRow(
                number=numbers.get(part.id),
                title=tr(part.title, lang),
                own=_own(own_model, measurement.part_scores.get(part.id)),
                everyone=_cell(model, (everyone.parts or {}).get(part.id)),
                chosen=_cell(model, (chosen.parts or {}).get(part.id)) if chosen else None,
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
        "chart": _chart(model, rows[1:], compared, lang) if shown else None,
        "compared_label": _group_label(kind, size) if compared == "chosen" else "",
        "counted": measurement.counted,
        "kind": measurement.scan_kind,
        "score_low": model.score_range[0],
        "score_high": model.score_range[1],
    }


def _group_label(kind: str | None, size: str | None) -> str:
    """The chosen group in words: "Municipality, 100 to 499 employees"."""
    labels = [Organisation.Kind(kind).label] if kind else []
    labels += [Organisation.Size(size).label] if size else []
    return ", ".join(str(label) for label in labels)


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
