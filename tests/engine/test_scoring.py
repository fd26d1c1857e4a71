"""Scoring: each method, teams, development points, answer checks and the JSON contract."""

from __future__ import annotations

import json

import pytest

from imscan.engine import (
    AnswerError,
    MaturityModel,
    RespondentAnswers,
    check_answer,
    level_for_score,
    level_start,
    load_model_text,
    score,
    score_by_group,
    score_many,
)

from .conftest import BROKEN, MEAN_BANDS_STATEMENTS

# mean-bands


def test_mean_bands_part_is_the_weighted_mean_of_answers(mean_bands: MaturityModel) -> None:
    result = score(mean_bands, {"goals-1": 4, "goals-2": 2, "goals-3": 5})
    goals = result.nodes["goals"]
    assert goals.score == (4 + 2 + 2 * 5) / 4
    assert (goals.level, goals.answered, goals.total) == (4, 3, 3)


def test_dont_know_and_missing_are_left_out(mean_bands: MaturityModel) -> None:
    result = score(mean_bands, {"commitment-1": 2, "commitment-2": None})
    assert result.nodes["commitment"].score == 2
    assert result.nodes["commitment"].answered == 1
    assert result.nodes["goals"].score is None
    assert result.nodes["goals"].level is None


def test_groups_average_their_scored_children_by_weight(mean_bands: MaturityModel) -> None:
    result = score(mean_bands, {"goals-1": 5, "people-1": 2})
    assert result.nodes["leadership"].score == 5  # commitment has no score: left out
    assert result.overall.score == pytest.approx((1 * 5 + 2 * 2) / 3)
    assert result.overall.answered == 2 and result.overall.total == 7


def test_no_answers_no_score(mean_bands: MaturityModel) -> None:
    result = score(mean_bands, {})
    assert result.overall.score is None and result.overall.level is None
    assert all(node.score is None for node in result.nodes.values())
    assert result.development_points == []


@pytest.mark.parametrize(
    ("value", "level"),
    [(1.0, 1), (1.79, 1), (1.8, 2), (1.8 - 1e-12, 2), (2.6, 3), (4.19, 4), (4.2, 5), (5.0, 5)],
)
def test_mean_bands_level_is_the_band_the_score_falls_in(
    mean_bands: MaturityModel, value: float, level: int
) -> None:
    assert level_for_score(mean_bands, value) == level


def test_level_start(mean_bands: MaturityModel, staircase: MaturityModel) -> None:
    assert level_start(mean_bands, 4) == 3.4
    assert level_start(staircase, 3) == 3.0


def test_float_noise_does_not_cost_a_level() -> None:
    text = (BROKEN / "unknown-scale.yaml").read_text(encoding="utf-8").replace("agree7", "agree")
    # With weights 0.1 and 0.2, answers of 1 and 2 average to 1.6666666666666667 (5/3):
    # a band from 1.6666666666666667 must count it in, float noise or not.
    text = (
        text.replace("{id: part-1, scale", "{id: part-1, weight: 0.1, scale")
        .replace(
            "      - {id: part-1,",
            "      - {id: part-2, weight: 0.2, scale: agree, text: {en: T.}, "
            "info: {en: I.}}\n      - {id: part-1,",
        )
        .replace("from: 1.5", "from: 1.6666666666666667")
    )
    model = load_model_text(text)
    result = score(model, {"part-1": 1, "part-2": 2})
    assert result.overall.score == pytest.approx(5 / 3)
    assert result.overall.level == 2


# staircase


def test_staircase_counts_a_level_only_when_it_and_all_below_are_met(
    staircase: MaturityModel,
) -> None:
    result = score(staircase, {"review-2a": 1, "review-2b": 1, "review-3": 0, "review-4": 1})
    assert result.nodes["review"].score == 2.0
    assert result.nodes["review"].level == 2


def test_staircase_failing_level_two_is_level_one(staircase: MaturityModel) -> None:
    result = score(staircase, {"intake-2": 0, "intake-3": 1, "intake-4": 1})
    assert result.nodes["intake"].score == 1.0


def test_staircase_all_met_is_the_top(staircase: MaturityModel) -> None:
    result = score(staircase, {"intake-2": 1, "intake-3": 1, "intake-4": 1})
    assert result.nodes["intake"].score == 4.0
    assert result.nodes["intake"].level == 4


def test_staircase_skips_unanswered_criteria(staircase: MaturityModel) -> None:
    result = score(staircase, {"intake-2": 1, "intake-3": None, "intake-4": 0})
    assert result.nodes["intake"].score == 3.0
    assert score(staircase, {"intake-3": None}).nodes["intake"].score is None


def test_staircase_scores_are_whole(staircase: MaturityModel) -> None:
    result = score(staircase, {"intake-2": 1, "review-2a": 0})
    assert result.nodes["intake"].score == 4.0 and result.nodes["review"].score == 1.0
    assert result.overall.score == 2.5 and result.overall.level == 2


# cumulative


def test_cumulative_sums_the_credit_of_each_level(cumulative: MaturityModel) -> None:
    answers = {"skills-2a": 1, "skills-2b": 0.5, "skills-3": 0.5, "skills-4": 0}
    result = score(cumulative, answers)
    assert result.nodes["skills"].score == 1 + 0.75 + 0.5 + 0
    assert result.nodes["skills"].level == 2


def test_cumulative_level_without_answers_adds_nothing(cumulative: MaturityModel) -> None:
    result = score(cumulative, {"tools-2": 1, "tools-3": None, "tools-4": 0.5})
    assert result.nodes["tools"].score == 2.5
    assert score(cumulative, {"tools-3": None}).nodes["tools"].score is None


def test_cumulative_full_credit_is_the_top(cumulative: MaturityModel) -> None:
    answers = {s.id: 1.0 for s in cumulative.statements()}
    result = score(cumulative, answers)
    assert result.overall.score == 4.0 and result.overall.level == 4
    assert result.development_points == []


# teams


def test_team_score_is_the_mean_of_respondents_with_spread(mean_bands: MaturityModel) -> None:
    team = [
        RespondentAnswers("managers", {"goals-1": 5, "goals-2": 5, "goals-3": 5}),
        RespondentAnswers("staff", {"goals-1": 1, "goals-2": 1, "goals-3": 1}),
        RespondentAnswers("staff", {"people-1": 3}),
    ]
    result = score_many(mean_bands, team)
    goals = result.nodes["goals"]
    assert goals.score == 3 and goals.level == 3
    assert (goals.answered, goals.total) == (6, 9)
    assert goals.spread is not None
    assert (goals.spread.n, goals.spread.sd, goals.spread.min, goals.spread.max) == (2, 2, 1, 5)
    commitment = result.nodes["commitment"]
    assert commitment.score is None and commitment.spread is not None
    assert commitment.spread.n == 0 and commitment.spread.sd is None
    # Overall: the mean of each respondent's overall score (5, 1 and 3).
    assert result.overall.score == 3 and result.respondents == 3
    assert result.overall.answered == 7 and result.overall.total == 21


def test_a_team_of_one_still_has_spread(mean_bands: MaturityModel) -> None:
    result = score_many(mean_bands, [RespondentAnswers("", {"goals-1": 2})])
    spread = result.nodes["goals"].spread
    assert spread is not None and (spread.n, spread.sd) == (1, 0)
    assert score(mean_bands, {"goals-1": 2}).nodes["goals"].spread is None


def test_an_empty_team(mean_bands: MaturityModel) -> None:
    result = score_many(mean_bands, [])
    assert result.respondents == 0 and result.overall.score is None
    assert result.nodes["goals"].total == 0


def test_score_by_group(mean_bands: MaturityModel) -> None:
    team = [
        RespondentAnswers("staff", {"goals-1": 1}),
        RespondentAnswers("managers", {"goals-1": 5}),
        RespondentAnswers("staff", {"goals-1": 3}),
    ]
    groups = score_by_group(mean_bands, team)
    assert list(groups) == ["staff", "managers"]
    assert groups["staff"].nodes["goals"].score == 2
    assert groups["managers"].respondents == 1


# development points


def test_development_points_are_parts_below_the_next_level(mean_bands: MaturityModel) -> None:
    answers = {
        "goals-1": 4,
        "goals-2": 2,
        "goals-3": 5,
        "commitment-1": 2,
        "people-1": 3,
        "people-2": 3,
    }
    result = score(mean_bands, answers)
    assert result.overall.level == 3
    points = result.development_points
    # people: 2/3 x (3.4 - 3.0) = 0.2667 comes before commitment: 1/6 x (3.4 - 2.0) = 0.2333.
    assert [p.node_id for p in points] == ["people", "commitment"]
    assert [p.target_level for p in points] == [4, 4]
    assert points[0].priority == pytest.approx(2 / 3 * 0.4)
    assert points[1].priority == pytest.approx(1 / 6 * 1.4)
    assert points[0].advice is None
    assert points[1].advice is not None and points[1].advice.text["en"].startswith("Give")


def test_equal_priorities_keep_model_order(mean_bands: MaturityModel) -> None:
    # goals and commitment have the same share and the same score.
    answers = {"goals-1": 1, "goals-2": 1, "goals-3": 1, "commitment-1": 1, "commitment-2": 1}
    points = score(mean_bands, answers).development_points
    assert [p.node_id for p in points] == ["goals", "commitment"]


def test_a_part_at_the_threshold_is_not_a_development_point(mean_bands: MaturityModel) -> None:
    answers = {"goals-1": 2, "goals-2": 2, "goals-3": 2, "people-1": 3, "people-2": 3}
    # overall (2 + 2 * 3) / 3 = 2.67: level 3, target 4 from 3.4; people 3 < 3.4, goals too.
    assert [p.node_id for p in score(mean_bands, answers).development_points] == [
        "people",
        "goals",
    ]
    answers = {"goals-1": 1, "people-1": 1, "people-2": 3}
    # overall 5/3 = 1.67: level 1, target 2 from 1.8; people at 2.0 is past it.
    assert [p.node_id for p in score(mean_bands, answers).development_points] == ["goals"]


def test_at_the_top_level_the_target_stays_the_top(mean_bands: MaturityModel) -> None:
    answers = dict.fromkeys(MEAN_BANDS_STATEMENTS, 5) | {"commitment-1": 2, "commitment-2": 2}
    result = score(mean_bands, answers)
    assert result.overall.level == 5  # (3.5 + 2 x 5) / 3 = 4.5
    [point] = result.development_points
    assert (point.node_id, point.level, point.target_level) == ("commitment", 2, 5)
    assert point.advice is not None and point.advice.text["en"] == "Give the sponsor a role."


def test_staircase_development_points(staircase: MaturityModel) -> None:
    answers = {"intake-2": 1, "intake-3": 1, "intake-4": 0, "review-2a": 1, "review-3": 0}
    [point] = score(staircase, answers).development_points
    assert (point.node_id, point.score, point.level, point.target_level) == ("review", 2, 2, 3)
    assert point.priority == 0.5
    assert point.advice is not None


# answers


def test_check_answer(mean_bands: MaturityModel) -> None:
    check_answer(mean_bands, "goals-1", 3)
    check_answer(mean_bands, "goals-1", 3.0)
    check_answer(mean_bands, "goals-1", None)  # the scale has "don't know"
    with pytest.raises(AnswerError, match="unknown statement 'nope'"):
        check_answer(mean_bands, "nope", 3)
    with pytest.raises(AnswerError, match=r"3\.5 is not a value .* \(allowed: 1, 2, 3, 4, 5\)"):
        check_answer(mean_bands, "goals-1", 3.5)
    with pytest.raises(AnswerError, match="must be a number or null, not True"):
        check_answer(mean_bands, "goals-1", True)
    with pytest.raises(AnswerError):
        check_answer(mean_bands, "goals-1", float("nan"))
    with pytest.raises(AnswerError):
        check_answer(mean_bands, "goals-1", "3")  # type: ignore[arg-type]


def test_none_needs_a_dont_know_option() -> None:
    text = (BROKEN / "unknown-scale.yaml").read_text(encoding="utf-8").replace("agree7", "agree")
    model = load_model_text(text)
    with pytest.raises(AnswerError, match='has no "don\'t know" option'):
        check_answer(model, "part-1", None)
    # For scoring, None is simply unanswered.
    assert score(model, {"part-1": None}).overall.score is None


def test_score_rejects_bad_answers(mean_bands: MaturityModel) -> None:
    with pytest.raises(AnswerError, match="unknown statement"):
        score(mean_bands, {"nope": None})
    with pytest.raises(AnswerError):
        score(mean_bands, {"goals-1": 6})
    with pytest.raises(AnswerError):
        score_many(mean_bands, [RespondentAnswers("", {"goals-1": 0})])


# JSON


def test_json_shape_for_one_respondent(mean_bands: MaturityModel) -> None:
    data = score(mean_bands, {"goals-1": 1, "goals-2": 2, "goals-3": 2, "people-1": 1}).to_json()
    assert list(data) == [
        "model",
        "method",
        "respondents",
        "overall",
        "nodes",
        "development_points",
    ]
    assert data["model"] == {"id": "test-mean-bands", "version": "1.0"}
    assert data["method"] == "mean-bands" and data["respondents"] == 1
    assert data["overall"] == {"score": 1.25, "level": 1}  # (1.75 + 2 x 1) / 3
    assert list(data["nodes"]) == ["leadership", "goals", "commitment", "culture", "people"]
    assert data["nodes"]["goals"] == {"score": 1.75, "level": 1, "answered": 3, "total": 3}
    assert data["nodes"]["commitment"] == {"score": None, "level": None, "answered": 0, "total": 2}
    first = data["development_points"][0]
    assert first == {
        "node": "people",
        "score": 1.0,
        "level": 1,
        "target_level": 2,
        "priority": 0.5333,
        "advice": None,
        "links": [],
    }
    second = data["development_points"][1]
    assert second["advice"] == {"nl": "Formuleer doelen.", "en": "Set goals."}
    assert json.loads(json.dumps(data)) == data


def test_json_links_of_advice(mean_bands: MaturityModel) -> None:
    data = score(mean_bands, {"commitment-1": 1, "people-1": 5}).to_json()
    [point] = [p for p in data["development_points"] if p["node"] == "commitment"]
    assert point["links"] == [
        {"title": {"nl": "Sponsor", "en": "Sponsor"}, "url": "/canvases/sponsor"}
    ]


def test_json_shape_for_a_team(mean_bands: MaturityModel) -> None:
    team = [RespondentAnswers("a", {"goals-1": 1}), RespondentAnswers("b", {"goals-1": 2})]
    data = score_many(mean_bands, team).to_json()
    assert data["respondents"] == 2
    assert data["nodes"]["goals"] == {
        "score": 1.5,
        "level": 1,
        "answered": 2,
        "total": 6,
        "spread": {"n": 2, "sd": 0.5, "min": 1.0, "max": 2.0},
    }
    assert data["nodes"]["people"]["spread"] == {"n": 0, "sd": None, "min": None, "max": None}
    assert set(data["overall"]) == {"score", "level"}
