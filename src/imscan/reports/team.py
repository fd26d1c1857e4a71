"""What the team results page shows, from a scan's TeamReport (imscan.engine.team).

The anonymity threshold is applied in the engine: this module only lays out what the
report holds, so it cannot show a figure the report left out.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from imscan.engine import (
    AGENDA_MIN_ANSWERS,
    Distribution,
    MaturityModel,
    ScoreResult,
    TeamReport,
    tr,
)
from imscan.reports import presenters
from imscan.reports.charts import DONT_KNOW_COLOUR, OPEN_COLOUR, Bar, palette, stacked_bar
from imscan.reports.radar import Axis, Radar, radar
from imscan.reports.selectors import NO_GROUP, ScanState
from imscan.scans.models import Scan
from imscan.scans.presenters import part_numbers

SHOWN = "shown"
TOO_SMALL = "too-small"
PROTECTING = "protecting"


@dataclass(frozen=True)
class GroupRow:
    key: str  # selectors.group_key: the group's id, or NO_GROUP
    name: str
    finished: int
    total: int
    status: str  # SHOWN, TOO_SMALL or PROTECTING
    style: int | None  # its line on the radar chart, when groups are compared


@dataclass(frozen=True)
class Category:
    """An answer category of a distribution: a scale value, "don't know" or open."""

    label: str
    short: str  # the column heading: the value, or the label
    colour: str
    kind: str


@dataclass(frozen=True)
class NodeRow:
    id: str
    title: str
    number: int | None
    is_part: bool
    score: float | None
    level: int | None
    level_name: str
    sd: float | None
    low: float | None
    high: float | None
    respondents: int  # with a score for the node
    bar: Bar | None
    counts: list[int]  # per category (values, don't know, open)


@dataclass(frozen=True)
class GapRow:
    id: str
    title: str
    number: int | None
    is_part: bool
    means: list[float | None]  # per compared group, in group order
    gap: float | None
    highest: str
    lowest: str


@dataclass(frozen=True)
class AgendaItem:
    statement_id: str
    text: str
    part_number: int
    part_title: str
    bar: Bar
    counts: list[tuple[Category, int]]
    answered: int
    dont_know: int
    mean: float | None
    sd: float | None


def group_name(name: str, key: str) -> str:
    return _("No group") if key == NO_GROUP and not name else name


def categories(model: MaturityModel, statement_id: str, lang: str) -> list[Category]:
    """The scale's values, then "don't know" and "no answer", as the distributions count."""
    scale = model.scale_of(statement_id)
    values = [option for option in scale.options if option.value is not None]
    colours = palette(len(values))
    out = [
        Category(
            f"{option.value:g} {tr(option.label, lang)}",
            f"{option.value:g}",
            colour,
            "value",
        )
        for option, colour in zip(values, colours, strict=True)
    ]
    dont_know = scale.not_applicable_option
    label = tr(dont_know.label, lang) if dont_know is not None else _("Don't know")
    out.append(Category(label, label, DONT_KNOW_COLOUR, "dont-know"))
    out.append(Category(_("No answer"), _("No answer"), OPEN_COLOUR, "open"))
    return out


def distribution_counts(distribution: Distribution) -> list[int]:
    return [*distribution.counts, distribution.dont_know, distribution.unanswered]


def bar(distribution: Distribution, cats: list[Category]) -> Bar:
    counts = distribution_counts(distribution)
    text = "; ".join(
        f"{category.label}: {count}"
        for category, count in zip(cats, counts, strict=True)
        if count or category.kind == "value"
    )
    return stacked_bar(
        [
            (category.label, count, category.colour, category.kind)
            for category, count in zip(cats, counts, strict=True)
        ],
        _("Answers: %(counts)s") % {"counts": text},
    )


def _node_rows(
    model: MaturityModel, team: ScoreResult, report: TeamReport, lang: str, show_open: bool
) -> list[NodeRow]:
    numbers = part_numbers(model)
    rows = []
    for node in model.nodes():
        node_score = team.nodes[node.id]
        spread = node_score.spread
        distribution = report.nodes.get(node.id)
        cats = categories(model, _first_statement(model, node.id), lang)
        rows.append(
            NodeRow(
                id=node.id,
                title=tr(node.title, lang),
                number=numbers.get(node.id),
                is_part=node.is_part,
                score=node_score.score,
                level=node_score.level,
                level_name=presenters.level_name(model, node_score.level, lang),
                sd=spread.sd if spread else None,
                low=spread.min if spread else None,
                high=spread.max if spread else None,
                respondents=spread.n if spread else 0,
                bar=bar(distribution, cats) if distribution is not None else None,
                counts=(
                    distribution_counts(distribution)[: None if show_open else -1]
                    if distribution is not None
                    else []
                ),
            )
        )
    return rows


def _first_statement(model: MaturityModel, node_id: str) -> str:
    node = model.node(node_id)
    while node.statements is None:
        node = (node.children or [])[0]
    return node.statements[0].id


def _gap_rows(
    model: MaturityModel, report: TeamReport, names: dict[str, str], lang: str
) -> list[GapRow]:
    numbers = part_numbers(model)
    rows = []
    gaps = [report.overall_gap] if report.overall_gap is not None else []
    for gap in [*gaps, *report.gaps]:
        node = model.node(gap.node_id) if gap.node_id else None
        rows.append(
            GapRow(
                id=gap.node_id,
                title=tr(node.title, lang) if node is not None else _("Overall"),
                number=numbers.get(gap.node_id),
                is_part=node is not None and node.is_part,
                means=[gap.means[group] for group in report.shown],
                gap=gap.gap,
                highest=names.get(gap.highest or "", ""),
                lowest=names.get(gap.lowest or "", ""),
            )
        )
    return rows


def _agenda(model: MaturityModel, report: TeamReport, lang: str) -> list[AgendaItem]:
    numbers = part_numbers(model)
    items = []
    for distribution in report.agenda:
        statement = model.statement(distribution.item_id)
        part = model.parent_of(statement.id)
        assert part is not None  # a statement always sits in a part
        cats = categories(model, statement.id, lang)
        counts = distribution_counts(distribution)
        items.append(
            AgendaItem(
                statement_id=statement.id,
                text=tr(statement.text, lang),
                part_number=numbers[part.id],
                part_title=tr(part.title, lang),
                bar=bar(distribution, cats),
                counts=[
                    (category, count)
                    for category, count in zip(cats, counts, strict=True)
                    if count or category.kind == "value"
                ],
                answered=distribution.answered,
                dont_know=distribution.dont_know,
                mean=distribution.mean,
                sd=distribution.sd,
            )
        )
    return items


def _chart(model: MaturityModel, report: TeamReport, names: dict[str, str], lang: str) -> Radar:
    assert report.team is not None
    low, high = model.score_range
    parts = model.parts()
    axes = [Axis(tr(part.title, lang), report.team.nodes[part.id].score) for part in parts]
    series = []
    if len(report.groups) >= 2:
        series = [
            (names[group], [result.nodes[part.id].score for part in parts])
            for group, result in report.groups.items()
        ]
    return radar(axes, low, high, series=series)


@dataclass(frozen=True)
class TeamOverview:
    """What a team result shows whatever the figures: the groups and whether the figures
    may be shown at all. The one place that decides it, for the page, the PDF and the API."""

    names: dict[str, str]  # group key -> the name to show
    group_rows: list[GroupRow]
    compared: bool  # two or more groups shown: their figures side by side
    final: bool  # nobody can answer any more: closed, or a self-scan
    closed_on: datetime.datetime | None
    figures_shown: bool


def team_overview(
    scan: Scan, state: ScanState, report: TeamReport, now: datetime.datetime | None = None
) -> TeamOverview:
    names = {group.key: group_name(group.name, group.key) for group in state.groups}
    names.update({key: group_name("", key) for key in report.group_sizes if key not in names})
    compared = len(report.groups) >= 2
    styles = {group: style for style, group in enumerate(report.shown, start=1)}
    statuses = {group: SHOWN for group in report.shown}
    statuses.update({group: PROTECTING for group in report.protecting})
    group_rows = [
        GroupRow(
            key=group.key,
            name=names[group.key],
            finished=report.group_sizes.get(group.key, 0),
            total=group.total,
            status=statuses.get(group.key, TOO_SMALL),
            style=styles.get(group.key) if compared else None,
        )
        for group in state.groups
    ]
    # A self-scan's answers are final once its only respondent has finished.
    final = scan.is_closed(now) or scan.kind == Scan.Kind.SELF
    return TeamOverview(
        names=names,
        group_rows=group_rows,
        compared=compared,
        final=final,
        closed_on=(scan.closed_at or scan.closes_at) if final else None,
        # While the scan is open its figures stay hidden: comparing the result before and
        # after one person finishes would give away that person's answers.
        figures_shown=final and report.team is not None,
    )


def team_results(
    model: MaturityModel,
    scan: Scan,
    state: ScanState,
    report: TeamReport,
    lang: str,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The context of reports/team_results.html."""
    overview = team_overview(scan, state, report, now)
    names, group_rows, compared = overview.names, overview.group_rows, overview.compared
    context: dict[str, Any] = {
        "self_scan": scan.kind == Scan.Kind.SELF,
        "scan": scan,
        "organisation": scan.organisation,
        "model": model,
        "threshold": report.threshold,
        "finished": report.respondents,
        "total": state.total,
        "final": overview.final,
        "closed_on": overview.closed_on,
        "group_rows": group_rows,
        "has_groups": any(group.key != NO_GROUP for group in state.groups),
        "any_too_small": any(row.status == TOO_SMALL for row in group_rows),
        "any_protecting": any(row.status == PROTECTING for row in group_rows),
        "team_shown": overview.figures_shown,
        "levels": model.levels,
        "method": model.scoring.method,
        "bands": model.scoring.bands,
        "score_low": model.score_range[0],
        "score_high": model.score_range[1],
    }
    team = report.team
    if team is None or not overview.figures_shown:
        return context
    level = team.overall.level
    # "No answer" gets a column only when someone left a statement open.
    show_open = any(item.unanswered for item in report.statements.values())
    rows = _node_rows(model, team, report, lang, show_open)
    cats = categories(model, _first_statement(model, model.top_nodes()[0].id), lang)
    if not show_open:
        cats = [category for category in cats if category.kind != "open"]
    context.update(
        {
            "result": team,
            "level": model.level(level) if level is not None else None,
            "next_level": (
                model.level(level + 1) if level is not None and level < model.level_count else None
            ),
            "rows": rows,
            "categories": cats,
            "value_categories": [category for category in cats if category.kind == "value"],
            "radar": _chart(model, report, names, lang),
            "compared_groups": [names[group] for group in report.shown] if compared else [],
            "gap_rows": _gap_rows(model, report, names, lang) if compared else [],
            "agenda": _agenda(model, report, lang),
            "agenda_min_answers": max(AGENDA_MIN_ANSWERS, report.threshold),
            "points": presenters.development_points(model, team, lang),
            "answered": team.overall.answered,
            "answer_total": team.overall.total,
        }
    )
    return context
