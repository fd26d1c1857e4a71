"""What the results page shows, computed from the model and one engine result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from imscan.engine import MaturityModel, ScoreResult, tr
from imscan.reports.radar import Axis, Radar, radar
from imscan.scans.presenters import part_numbers


@dataclass(frozen=True)
class Row:
    """A line of the results table: a cluster, or a part beneath it."""

    id: str
    title: str
    number: int | None  # parts are numbered 1..N as in the scan and the chart
    is_part: bool
    score: float | None
    level: int | None
    level_name: str
    answered: int
    total: int


@dataclass(frozen=True)
class Point:
    """A development point: a part holding the level back, with its advice."""

    id: str
    number: int
    title: str
    score: float
    level: int
    level_name: str
    target_level: int
    priority: float
    advice: str
    links: list[dict[str, str]]


def level_name(model: MaturityModel, level: int | None, lang: str) -> str:
    return tr(model.level(level).name, lang) if level is not None else ""


def rows(model: MaturityModel, result: ScoreResult, lang: str) -> list[Row]:
    numbers = part_numbers(model)
    out: list[Row] = []

    def walk(node: Any) -> None:
        score = result.nodes[node.id]
        out.append(
            Row(
                id=node.id,
                title=tr(node.title, lang),
                number=numbers.get(node.id),
                is_part=node.id in numbers,
                score=score.score,
                level=score.level,
                level_name=level_name(model, score.level, lang),
                answered=score.answered,
                total=score.total,
            )
        )
        for child in node.children or ():
            walk(child)

    for node in model.top_nodes():
        walk(node)
    return out


def development_points(model: MaturityModel, result: ScoreResult, lang: str) -> list[Point]:
    numbers = part_numbers(model)
    points = []
    for point in result.development_points:
        advice = point.advice
        points.append(
            Point(
                id=point.node_id,
                number=numbers[point.node_id],
                title=tr(model.node(point.node_id).title, lang),
                score=point.score,
                level=point.level,
                level_name=level_name(model, point.level, lang),
                target_level=point.target_level,
                priority=point.priority,
                advice=tr(advice.text, lang) if advice else "",
                links=[
                    {"title": tr(link.title, lang), "url": link.url}
                    for link in (advice.links if advice else [])
                ],
            )
        )
    return points


def chart(model: MaturityModel, result: ScoreResult, lang: str) -> Radar:
    low, high = model.score_range
    axes = [Axis(tr(part.title, lang), result.nodes[part.id].score) for part in model.parts()]
    return radar(axes, low, high)


def results(model: MaturityModel, result: ScoreResult, lang: str) -> dict[str, Any]:
    level = result.overall.level
    current = model.level(level) if level is not None else None
    following = model.level(level + 1) if level is not None and level < len(model.levels) else None
    table = rows(model, result, lang)
    return {
        "model": model,
        "result": result,
        "level": current,
        "next_level": following,
        "rows": table,
        "part_rows": [row for row in table if row.is_part],
        "radar": chart(model, result, lang),
        "points": development_points(model, result, lang),
        "levels": model.levels,
        "method": model.scoring.method,
        "bands": getattr(model.scoring, "bands", None),
        "score_low": model.score_range[0],
        "score_high": model.score_range[1],
        "answered": sum(row.answered for row in table if row.is_part),
        "total": sum(row.total for row in table if row.is_part),
    }
