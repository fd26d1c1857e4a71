"""A team's result beyond the scores: how the answers are spread per statement, where the
team disagrees most (the discussion agenda), how groups differ, and which figures may be
shown without singling anyone out. Explained in docs/scoring.md, "Team results".

Deterministic like scoring.py: statements, nodes and groups are visited in a fixed order
whatever order the respondents come in, and sums use math.fsum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from imscan.engine.answers import check_answers
from imscan.engine.results import RespondentAnswers, ScoreResult
from imscan.engine.schema import MaturityModel
from imscan.engine.scoring import score_many

# A statement needs at least this many answers (not "don't know") to be on the agenda:
# a difference between two people is a conversation between two people, not a team's.
AGENDA_MIN_ANSWERS = 3
AGENDA_SIZE = 10
# Disagreements equal to this many decimals count as equal, so float noise never decides.
_DECIMALS = 9


@dataclass(frozen=True, slots=True)
class Distribution:
    """How a team answered one statement, or all statements of a node together.

    `values` are the scale's answer values in scale order and `counts` the number of
    answers with each; "don't know" and unanswered statements are counted apart and left
    out of the mean and the standard deviation (the population one: divided by n).
    """

    item_id: str  # a statement id, or a node id for a node's answers together
    values: tuple[float, ...]
    counts: tuple[int, ...]
    dont_know: int
    unanswered: int
    mean: float | None
    sd: float | None
    # sd as a share of the largest sd the scale allows (half the team at each end): 0..1.
    disagreement: float | None

    @property
    def answered(self) -> int:
        """Answers with a value: the n of the mean and the standard deviation."""
        return sum(self.counts)

    @property
    def total(self) -> int:
        """Every answer slot: answered, "don't know" and left open."""
        return self.answered + self.dont_know + self.unanswered


@dataclass(frozen=True, slots=True)
class GroupGap:
    """One node compared across groups: each group's mean and the gap between them."""

    node_id: str  # "" for the overall score
    means: dict[str, float | None]  # per group, in group order
    gap: float | None  # highest minus lowest group mean; None with fewer than two means
    lowest: str | None  # the group with the lowest mean (the first in order on a tie)
    highest: str | None


@dataclass(frozen=True, slots=True)
class TeamReport:
    """Everything a team result may show, with the anonymity threshold applied.

    Groups are in `group_order` first, then the others by name. A group's figures are
    shown only when it has at least `threshold` respondents, and only when the respondents
    of the groups not shown number none or at least `threshold` too: otherwise they could
    be worked out as the difference between the whole team and the groups shown. To
    prevent that, the smallest groups shown are hidden as well (`protecting`).
    Everything is empty (and `team` None) when the whole team is below the threshold.
    """

    respondents: int
    threshold: int
    group_sizes: dict[str, int]
    shown: tuple[str, ...]  # groups with figures
    too_small: tuple[str, ...]  # groups below the threshold
    protecting: tuple[str, ...]  # large enough, but hidden to protect the small ones
    team: ScoreResult | None
    groups: dict[str, ScoreResult]  # the shown groups' results
    statements: dict[str, Distribution]  # per statement, in model order
    nodes: dict[str, Distribution | None]  # per node; None when its scales differ
    agenda: list[Distribution]
    gaps: list[GroupGap]  # per node, largest gap first; empty with fewer than two groups
    overall_gap: GroupGap | None

    @property
    def team_shown(self) -> bool:
        return self.team is not None


def _distribution(
    item_id: str, values: Sequence[float], counts: Sequence[int], dont_know: int, unanswered: int
) -> Distribution:
    # Sums over the counts in scale order: the order of the answers can never matter.
    n = sum(counts)
    pairs = list(zip(values, counts, strict=True))
    mean = sd = disagreement = None
    if n:
        mean = math.fsum(value * count for value, count in pairs) / n
        sd = math.sqrt(math.fsum(count * (value - mean) ** 2 for value, count in pairs) / n)
        largest = (max(values) - min(values)) / 2  # half the team at each end of the scale
        disagreement = sd / largest if largest > 0 else 0.0
    return Distribution(
        item_id=item_id,
        values=tuple(values),
        counts=tuple(counts),
        dont_know=dont_know,
        unanswered=unanswered,
        mean=mean,
        sd=sd,
        disagreement=disagreement,
    )


def statement_distributions(
    model: MaturityModel, respondents: Sequence[RespondentAnswers]
) -> dict[str, Distribution]:
    """Per statement (in model order) the team's answers: counts, mean and spread.

    Raises AnswerError for an unknown statement or a value not on its scale.
    """
    for respondent in respondents:
        check_answers(model, respondent.answers)
    return _statement_distributions(model, respondents)


def _statement_distributions(
    model: MaturityModel, respondents: Sequence[RespondentAnswers]
) -> dict[str, Distribution]:
    """statement_distributions for answers already checked."""
    statements = model.statements()
    counts = {s.id: dict.fromkeys(model.scale_of(s.id).values, 0) for s in statements}
    dont_know = dict.fromkeys(counts, 0)
    for respondent in respondents:
        for statement_id, value in respondent.answers.items():
            if value is None:
                dont_know[statement_id] += 1
            else:
                counts[statement_id][value] += 1
    out = {}
    for statement in statements:
        given = counts[statement.id]
        answered = sum(given.values()) + dont_know[statement.id]
        out[statement.id] = _distribution(
            statement.id,
            list(given),
            list(given.values()),
            dont_know[statement.id],
            len(respondents) - answered,
        )
    return out


def node_distributions(
    model: MaturityModel, statements: Mapping[str, Distribution]
) -> dict[str, Distribution | None]:
    """Per node the answers to all its statements together; None if their scales differ.

    Every answer counts once, so a node's mean here is the plain mean of its answers, not
    the node's score (which weighs statements and parts).
    """
    out: dict[str, Distribution | None] = {}
    for node in reversed(model.nodes()):  # children before their parents
        if node.statements is not None:
            parts = [statements[statement.id] for statement in node.statements]
        else:
            below = [out[child.id] for child in node.children or ()]
            parts = [part for part in below if part is not None]
            if len(parts) != len(below):
                out[node.id] = None
                continue
        if not parts or any(part.values != parts[0].values for part in parts):
            out[node.id] = None
            continue
        values = parts[0].values
        out[node.id] = _distribution(
            node.id,
            values,
            [sum(part.counts[i] for part in parts) for i in range(len(values))],
            sum(part.dont_know for part in parts),
            sum(part.unanswered for part in parts),
        )
    return {node.id: out[node.id] for node in model.nodes()}


def agenda(
    statements: Mapping[str, Distribution],
    *,
    size: int = AGENDA_SIZE,
    min_answers: int = AGENDA_MIN_ANSWERS,
) -> list[Distribution]:
    """The statements the team disagrees on most: the discussion agenda.

    Ranked by disagreement (the standard deviation as a share of the largest the scale
    allows), then by the number of answers (a split among more people first), then in the
    order given (model order). Statements with fewer than `min_answers` answers, or on
    which everyone gave the same answer, are left out.
    """
    candidates = [
        item
        for item in statements.values()
        if item.answered >= min_answers and item.disagreement is not None and item.sd
    ]
    ranked = sorted(
        candidates,
        key=lambda item: (-round(item.disagreement or 0.0, _DECIMALS), -item.answered),
    )
    return ranked[:size]


def _gap(node_id: str, means: dict[str, float | None]) -> GroupGap:
    present = [(group, mean) for group, mean in means.items() if mean is not None]
    if len(present) < 2:
        return GroupGap(node_id, means, None, None, None)
    lowest = min(present, key=lambda item: item[1])
    highest = max(present, key=lambda item: item[1])
    return GroupGap(node_id, means, highest[1] - lowest[1], lowest[0], highest[0])


def group_gaps(
    model: MaturityModel, groups: Mapping[str, ScoreResult]
) -> tuple[list[GroupGap], GroupGap]:
    """Per node each group's mean and the gap between the highest and lowest; largest first.

    Nodes without a gap (fewer than two groups with a score) come last; equal gaps keep
    model order. The second value compares the overall scores.
    """
    gaps = [
        _gap(node.id, {group: result.nodes[node.id].score for group, result in groups.items()})
        for node in model.nodes()
    ]
    ranked = sorted(
        gaps,
        key=lambda gap: (gap.gap is None, -round(gap.gap or 0.0, _DECIMALS)),
    )
    overall = _gap("", {group: result.overall.score for group, result in groups.items()})
    return ranked, overall


def _order_groups(sizes: Mapping[str, int], group_order: Sequence[str]) -> list[str]:
    known = [group for group in dict.fromkeys(group_order) if group in sizes]
    return known + sorted(group for group in sizes if group not in known)


def visible_groups(
    sizes: Mapping[str, int], threshold: int, order: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """Split the groups (in `order`) into shown, too small, and hidden to protect the small.

    A group is too small below `threshold`. If the too-small groups together hold some,
    but fewer than `threshold`, respondents, the difference between the whole team and the
    groups shown would give their figures away, so the smallest shown group (the last in
    order on a tie) is hidden too, until the hidden respondents number at least
    `threshold`, or no group is shown.
    """
    too_small = [group for group in order if sizes[group] < threshold]
    shown = [group for group in order if sizes[group] >= threshold]
    hidden = sum(sizes[group] for group in too_small)
    protecting: list[str] = []
    while shown and 0 < hidden < threshold:
        smallest = min(reversed(shown), key=lambda group: sizes[group])
        shown.remove(smallest)
        protecting.append(smallest)
        hidden += sizes[smallest]
    return shown, too_small, [group for group in order if group in protecting]


def team_report(
    model: MaturityModel,
    respondents: Sequence[RespondentAnswers],
    *,
    threshold: int = 3,
    group_order: Sequence[str] = (),
    agenda_size: int = AGENDA_SIZE,
) -> TeamReport:
    """The team result as it may be shown, with the anonymity threshold applied.

    `threshold` is the smallest number of respondents whose figures may be shown (at least
    1); `group_order` orders the groups (e.g. as the scan lists them).
    """
    threshold = max(1, threshold)
    counted: dict[str, int] = {}
    for respondent in respondents:
        counted[respondent.group] = counted.get(respondent.group, 0) + 1
    order = _order_groups(counted, group_order)
    sizes = {group: counted[group] for group in order}
    total = len(respondents)
    if total < threshold:
        return TeamReport(
            respondents=total,
            threshold=threshold,
            group_sizes=sizes,
            shown=(),
            too_small=tuple(group for group in order if sizes[group] < threshold),
            protecting=(),
            team=None,
            groups={},
            statements={},
            nodes={},
            agenda=[],
            gaps=[],
            overall_gap=None,
        )
    shown, too_small, protecting = visible_groups(sizes, threshold, order)
    team = score_many(model, respondents)
    groups = {
        group: score_many(model, [r for r in respondents if r.group == group]) for group in shown
    }
    statements = _statement_distributions(model, respondents)  # checked by score_many
    gaps, overall_gap = group_gaps(model, groups) if len(groups) >= 2 else ([], None)
    return TeamReport(
        respondents=total,
        threshold=threshold,
        group_sizes=sizes,
        shown=tuple(shown),
        too_small=tuple(too_small),
        protecting=tuple(protecting),
        team=team,
        groups=groups,
        statements=statements,
        nodes=node_distributions(model, statements),
        agenda=agenda(statements, size=agenda_size, min_answers=max(AGENDA_MIN_ANSWERS, threshold)),
        gaps=gaps,
        overall_gap=overall_gap,
    )
