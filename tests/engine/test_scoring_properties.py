"""Properties of scoring that must hold for any answers, checked with hypothesis."""

from __future__ import annotations

import json
from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imscan.engine import (
    MaturityModel,
    RespondentAnswers,
    ScoreResult,
    level_start,
    load_model_path,
    load_model_text,
    score,
    score_many,
)

from .builders import ims_like_model
from .conftest import MODELS

MISSING = object()
MODELS_BY_NAME = {
    name: load_model_path(MODELS / f"{name}.yaml")
    for name in ("mean-bands", "staircase", "cumulative")
} | {"ims-like": load_model_text(ims_like_model())}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def model_and_answers(
    draw: st.DrawFn, names: tuple[str, ...] = tuple(MODELS_BY_NAME)
) -> tuple[MaturityModel, dict[str, float | None]]:
    model = MODELS_BY_NAME[draw(st.sampled_from(names))]
    answers: dict[str, float | None] = {}
    for statement in model.statements():
        choices: list[object] = [*model.scale_of(statement.id).values, None, MISSING]
        value = draw(st.sampled_from(choices))
        if value is not MISSING:
            answers[statement.id] = value  # type: ignore[assignment]
    return model, answers


def scores(result: ScoreResult) -> list[float]:
    values = [node.score for node in result.nodes.values()] + [result.overall.score]
    return [value for value in values if value is not None]


@FAST
@given(model_and_answers())
def test_scores_stay_in_the_score_range(
    case: tuple[MaturityModel, dict[str, float | None]],
) -> None:
    model, answers = case
    low, high = model.score_range
    result = score(model, answers)
    for value in scores(result):
        assert low - 1e-9 <= value <= high + 1e-9
    for node in [*result.nodes.values(), result.overall]:
        assert node.level is None or 1 <= node.level <= model.level_count
        assert (node.score is None) == (node.level is None)
        assert 0 <= node.answered <= node.total


@FAST
@given(model_and_answers(), st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(
    case: tuple[MaturityModel, dict[str, float | None]], random: object
) -> None:
    model, answers = case
    items = list(answers.items())
    random.shuffle(items)  # type: ignore[attr-defined]
    assert score(model, dict(items)) == score(model, answers)


@FAST
@given(model_and_answers(("mean-bands", "ims-like")), st.data())
def test_dont_know_never_scores_lower_than_the_lowest_answer(
    case: tuple[MaturityModel, dict[str, float | None]], data: st.DataObject
) -> None:
    model, answers = case
    statement = data.draw(st.sampled_from(model.statements()))
    lowest = model.scale_of(statement.id).lowest
    not_applicable = score(model, answers | {statement.id: None}).overall.score
    answered_lowest = score(model, answers | {statement.id: lowest}).overall.score
    assert answered_lowest is not None
    if not_applicable is not None:
        assert not_applicable >= answered_lowest - 1e-9


@FAST
@given(model_and_answers(("staircase",)), st.data())
def test_dont_know_is_never_a_failed_criterion(
    case: tuple[MaturityModel, dict[str, float | None]], data: st.DataObject
) -> None:
    model, answers = case
    statement = data.draw(st.sampled_from(model.statements()))
    part = model.parent_of(statement.id)
    assert part is not None and model.scoring.pass_from is not None
    unknown = score(model, answers | {statement.id: None}).nodes[part.id].score
    met = score(model, answers | {statement.id: model.scoring.pass_from}).nodes[part.id].score
    failed = score(model, answers | {statement.id: 0}).nodes[part.id].score
    assert met is not None and failed is not None
    if unknown is not None:
        assert unknown == met  # as if met: it holds nothing back ...
        assert unknown >= failed  # ... and never counts as failed


@FAST
@given(model_and_answers())
def test_json_round_trips(case: tuple[MaturityModel, dict[str, float | None]]) -> None:
    model, answers = case
    data = score(model, answers).to_json()
    assert json.loads(json.dumps(data, allow_nan=False)) == data


@FAST
@given(st.lists(model_and_answers(("mean-bands",)), max_size=6), st.randoms(use_true_random=False))
def test_team_scores(
    cases: list[tuple[MaturityModel, dict[str, float | None]]], rng: Random
) -> None:
    model = MODELS_BY_NAME["mean-bands"]
    team = [RespondentAnswers(f"g{n % 2}", answers) for n, (_, answers) in enumerate(cases)]
    result = score_many(model, team)
    low, high = model.score_range
    for node in result.nodes.values():
        assert node.spread is not None
        assert node.total == model.statement_count(node.node_id) * len(team)
        if node.score is None:
            assert node.spread.n == 0
            continue
        assert node.spread.min is not None and node.spread.max is not None
        assert low <= node.spread.min <= node.score + 1e-9 <= node.spread.max + 2e-9 <= high + 2e-9
        assert node.spread.sd is not None and node.spread.sd >= 0
    shuffled = list(team)
    rng.shuffle(shuffled)
    assert score_many(model, shuffled) == result
    assert json.loads(json.dumps(result.to_json(), allow_nan=False)) == result.to_json()


@pytest.mark.parametrize("name", sorted(MODELS_BY_NAME))
def test_development_points_point_up(name: str) -> None:
    model = MODELS_BY_NAME[name]
    result = score(model, {s.id: model.scale_of(s.id).lowest for s in model.statements()})
    assert result.overall.level == 1
    assert {p.node_id for p in result.development_points} == {p.id for p in model.parts()}
    assert all(p.target_level == 2 for p in result.development_points)
    # Every part is gap below level 2; the shares of the parts add up to 1.
    overall = result.overall.score
    assert overall is not None
    gap = level_start(model, 2) - overall
    assert sum(p.priority for p in result.development_points) == pytest.approx(gap)
