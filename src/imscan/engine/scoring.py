"""Answers in; scores, levels, spread and development points out. Explained in docs/scoring.md.

Deterministic by construction: statements and nodes are visited in model order whatever
order the answers come in, and sums over respondents use math.fsum, which is exact before
its single rounding and therefore does not depend on the order of the respondents.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from imscan.engine.answers import check_answers
from imscan.engine.results import (
    DevelopmentPoint,
    NodeScore,
    RespondentAnswers,
    ScoreResult,
    Spread,
)
from imscan.engine.schema import MaturityModel, Node

Answers = Mapping[str, float | None]
# Scores a hair below a level boundary because of float rounding still reach the level.
EPSILON = 1e-9


@dataclass(frozen=True, slots=True)
class _Sheet:
    """One respondent's scores: per node, and overall."""

    scores: dict[str, float | None]
    answered: dict[str, int]
    overall: float | None


def _mean_bands_part(
    model: MaturityModel, part: Node, answers: Answers
) -> tuple[float | None, int]:
    total = weights = 0.0
    answered = 0
    for statement in part.statements or ():
        value = answers.get(statement.id)
        if value is not None:
            total += statement.weight * value
            weights += statement.weight
            answered += 1
    return (total / weights if answered else None), answered


def _staircase_part(model: MaturityModel, part: Node, answers: Answers) -> tuple[float | None, int]:
    pass_from = model.scoring.pass_from
    assert pass_from is not None  # the rules require it for this method
    lowest_failed = model.level_count + 1
    answered = 0
    for statement in part.statements or ():
        value = answers.get(statement.id)
        if value is None:
            continue  # an unanswered criterion is neither met nor failed
        answered += 1
        assert statement.level is not None  # the rules require it for this method
        if value < pass_from and statement.level < lowest_failed:
            lowest_failed = statement.level
    return (float(lowest_failed - 1) if answered else None), answered


def _cumulative_part(
    model: MaturityModel, part: Node, answers: Answers
) -> tuple[float | None, int]:
    credit: dict[int, float] = {}
    weights: dict[int, float] = {}
    answered = 0
    for statement in part.statements or ():
        value = answers.get(statement.id)
        if value is None:
            continue
        assert statement.level is not None  # the rules require it for this method
        credit[statement.level] = credit.get(statement.level, 0.0) + statement.weight * value
        weights[statement.level] = weights.get(statement.level, 0.0) + statement.weight
        answered += 1
    if not answered:
        return None, 0
    # A level without any answer adds nothing: there is no evidence of credit for it.
    return 1.0 + sum(credit[level] / weights[level] for level in sorted(weights)), answered


_PART_SCORERS: dict[str, Callable[[MaturityModel, Node, Answers], tuple[float | None, int]]] = {
    "mean-bands": _mean_bands_part,
    "staircase": _staircase_part,
    "cumulative": _cumulative_part,
}


def _weighted_mean(nodes: Sequence[Node], scores: Mapping[str, float | None]) -> float | None:
    """The weighted mean of the nodes' scores, leaving out those without one."""
    total = weights = 0.0
    for node in nodes:
        node_score = scores[node.id]
        if node_score is not None:
            total += node.weight * node_score
            weights += node.weight
    return total / weights if weights else None


def _sheet(model: MaturityModel, answers: Answers) -> _Sheet:
    score_part = _PART_SCORERS[model.scoring.method]
    scores: dict[str, float | None] = {}
    answered: dict[str, int] = {}
    # Reversed depth-first order reaches every child before its parent.
    for node in reversed(model.nodes()):
        if node.statements is not None:
            scores[node.id], answered[node.id] = score_part(model, node, answers)
        else:
            children = node.children or []
            scores[node.id] = _weighted_mean(children, scores)
            answered[node.id] = sum(answered[child.id] for child in children)
    return _Sheet(scores, answered, _weighted_mean(model.dimensions, scores))


def level_for_score(model: MaturityModel, score: float | None) -> int | None:
    """The level a score falls in: its band (mean-bands), else its whole part, within 1..N."""
    if score is None:
        return None
    if model.scoring.method == "mean-bands":
        level = 1
        for band in model.scoring.bands or ():  # validated: in level order, `from` rising
            if band.from_ <= score + EPSILON:
                level = band.level
        return level
    return max(1, min(model.level_count, math.floor(score + EPSILON)))


def level_start(model: MaturityModel, level: int) -> float:
    """The lowest score at the given level."""
    if model.scoring.method == "mean-bands":
        return next(band.from_ for band in model.scoring.bands or () if band.level == level)
    return float(level)


def _development_points(
    model: MaturityModel, overall_level: int | None, nodes: Mapping[str, NodeScore]
) -> list[DevelopmentPoint]:
    if overall_level is None:
        return []
    target = min(overall_level + 1, model.level_count)
    threshold = level_start(model, target)
    points = []
    for part in model.parts():
        node = nodes[part.id]
        if node.score is None or node.level is None or node.score + EPSILON >= threshold:
            continue
        priority = model.share(part.id) * (threshold - node.score)
        advice = part.advice.get(node.level)
        points.append(DevelopmentPoint(part.id, node.score, node.level, target, priority, advice))
    # Rounded so that priorities equal but for float noise keep model order (sort is stable).
    return sorted(points, key=lambda point: -round(point.priority, 9))


def _result(
    model: MaturityModel, respondents: int, overall: NodeScore, nodes: dict[str, NodeScore]
) -> ScoreResult:
    return ScoreResult(
        model_id=model.id,
        model_version=model.version,
        method=model.scoring.method,
        respondents=respondents,
        overall=overall,
        nodes=nodes,
        development_points=_development_points(model, overall.level, nodes),
    )


def score(model: MaturityModel, answers: Answers) -> ScoreResult:
    """Score one respondent. Missing statements and None answers count as unanswered.

    Raises AnswerError for an unknown statement id or a value not on its scale.
    """
    check_answers(model, answers)
    sheet = _sheet(model, answers)
    nodes = {
        node.id: NodeScore(
            node.id,
            sheet.scores[node.id],
            level_for_score(model, sheet.scores[node.id]),
            sheet.answered[node.id],
            model.statement_count(node.id),
        )
        for node in model.nodes()
    }
    overall = NodeScore(
        "",
        sheet.overall,
        level_for_score(model, sheet.overall),
        sum(sheet.answered[node.id] for node in model.dimensions),
        model.statement_total,
    )
    return _result(model, 1, overall, nodes)


def _team(values: Sequence[float | None]) -> tuple[float | None, Spread]:
    present = [value for value in values if value is not None]
    if not present:
        return None, Spread(0, None, None, None)
    mean = math.fsum(present) / len(present)
    sd = math.sqrt(math.fsum((value - mean) ** 2 for value in present) / len(present))
    return mean, Spread(len(present), sd, min(present), max(present))


def score_many(model: MaturityModel, respondents: Sequence[RespondentAnswers]) -> ScoreResult:
    """Score a team: per node the mean of the respondents' scores, with their spread.

    Every node carries a spread, even for a single respondent, so a team result always has
    one shape. Raises AnswerError as score() does.
    """
    sheets = []
    for respondent in respondents:
        check_answers(model, respondent.answers)
        sheets.append(_sheet(model, respondent.answers))
    nodes = {}
    for node in model.nodes():
        team_score, spread = _team([sheet.scores[node.id] for sheet in sheets])
        nodes[node.id] = NodeScore(
            node.id,
            team_score,
            level_for_score(model, team_score),
            sum(sheet.answered[node.id] for sheet in sheets),
            model.statement_count(node.id) * len(sheets),
            spread,
        )
    overall_score, overall_spread = _team([sheet.overall for sheet in sheets])
    overall = NodeScore(
        "",
        overall_score,
        level_for_score(model, overall_score),
        sum(nodes[top.id].answered for top in model.dimensions),
        model.statement_total * len(sheets),
        overall_spread,
    )
    return _result(model, len(sheets), overall, nodes)


def score_by_group(
    model: MaturityModel, respondents: Sequence[RespondentAnswers]
) -> dict[str, ScoreResult]:
    """A team result per group (e.g. managers, staff), groups in order of first appearance."""
    groups: dict[str, list[RespondentAnswers]] = {}
    for respondent in respondents:
        groups.setdefault(respondent.group, []).append(respondent)
    return {group: score_many(model, members) for group, members in groups.items()}
