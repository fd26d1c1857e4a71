"""The shipped Project Status Scan: a second model, scored with partial credit (cumulative)."""

from __future__ import annotations

import pytest

from imscan.engine import MaturityModel, load_model_path, score

from ..conftest import SHIPPED_MODELS

PATH = SHIPPED_MODELS / "project-status.yaml"
PARTS = {
    "goal-mandate": ["mandate", "business-case"],
    "planning-resources": ["planning", "people-budget"],
    "stakeholders": ["stakeholder-map", "communication"],
    "risks-quality": ["risks", "quality"],
    "delivery-transfer": ["delivery", "transfer"],
}


@pytest.fixture(scope="module")
def model() -> MaturityModel:
    return load_model_path(PATH)


def test_it_is_shaped_as_documented(model: MaturityModel) -> None:
    assert (model.id, model.version, model.languages) == ("project-status", "1.0", ["nl", "en"])
    assert {top.id: [child.id for child in top.children or []] for top in model.dimensions} == (
        PARTS
    )
    assert model.statement_total == 40
    assert [level.level for level in model.levels] == [1, 2, 3, 4, 5]
    for part in model.parts():
        # One criterion per level 2..5, ids named after their level.
        assert [s.level for s in part.statements or []] == [2, 3, 4, 5]
        assert [s.id for s in part.statements or []] == [f"{part.id}-{n}" for n in range(2, 6)]
        assert sorted(part.advice) == [1, 2, 3, 4], part.id
        assert part.description is not None


def test_it_differs_from_the_ims_model(model: MaturityModel) -> None:
    ims = load_model_path(SHIPPED_MODELS / "ims-gov.yaml")
    assert (ims.scoring.method, model.scoring.method) == ("mean-bands", "cumulative")
    labels = [option.label["en"] for option in model.scales["status"].options]
    assert labels == [
        "Not started",
        "Started",
        "Half in place",
        "Largely in place",
        "Fully in place",
        "Don't know",
    ]
    assert model.scales["status"].values == [0, 0.25, 0.5, 0.75, 1]
    assert [level.name["en"] for level in model.levels] != [
        level.name["en"] for level in ims.levels
    ]


def test_everything_in_place_reaches_the_top(model: MaturityModel) -> None:
    result = score(model, {statement.id: 1 for statement in model.statements()})
    assert (result.overall.score, result.overall.level) == (5.0, 5)
    assert all(node.level == 5 for node in result.nodes.values())
    assert result.development_points == []


def test_nothing_started_stays_at_the_bottom(model: MaturityModel) -> None:
    result = score(model, {statement.id: 0 for statement in model.statements()})
    assert (result.overall.score, result.overall.level) == (1.0, 1)
    assert all(node.score == 1.0 and node.level == 1 for node in result.nodes.values())
    # Everything is a development point; equal priorities keep the model's order.
    points = result.development_points
    assert [point.node_id for point in points] == [part.id for part in model.parts()]
    assert all(point.target_level == 2 and point.advice is not None for point in points)


def test_half_everywhere_is_the_middle(model: MaturityModel) -> None:
    result = score(model, {statement.id: 0.5 for statement in model.statements()})
    # 1 + 4 levels x 0.5 credit.
    assert (result.overall.score, result.overall.level) == (3.0, 3)


def test_dont_know_everywhere_gives_no_score(model: MaturityModel) -> None:
    result = score(model, {statement.id: None for statement in model.statements()})
    assert (result.overall.score, result.overall.level) == (None, None)
    assert result.development_points == []


def test_a_worked_example(model: MaturityModel) -> None:
    answers: dict[str, float | None] = {
        # Assignment: 1 + 1 + 0.5 + 0.25 + 0 (don't know earns nothing) = 2.75, level 2.
        "mandate-2": 1,
        "mandate-3": 0.5,
        "mandate-4": 0.25,
        "mandate-5": None,
        # Benefits: 1 + 1 + 1 + 0.75 + 0 = 3.75, level 3.
        "business-case-2": 1,
        "business-case-3": 1,
        "business-case-4": 0.75,
        "business-case-5": 0,
        # Schedule: all in place, 5. People and money: 1 + 0.5 = 1.5, level 1.
        "planning-2": 1,
        "planning-3": 1,
        "planning-4": 1,
        "planning-5": 1,
        "people-budget-2": 0.5,
        "people-budget-3": 0,
        "people-budget-4": 0,
        "people-budget-5": 0,
    }
    result = score(model, answers)
    expected = {
        "mandate": (2.75, 2, 3),
        "business-case": (3.75, 3, 4),
        "goal-mandate": (3.25, 3, 7),
        "planning": (5.0, 5, 4),
        "people-budget": (1.5, 1, 4),
        "planning-resources": (3.25, 3, 8),
        "stakeholders": (None, None, 0),
    }
    for node_id, (value, level, answered) in expected.items():
        node = result.nodes[node_id]
        assert (node.score, node.level, node.answered) == (value, level, answered), node_id
    # Unanswered clusters are left out: (3.25 + 3.25) / 2.
    assert (result.overall.score, result.overall.level) == (3.25, 3)
    # Target level 4. Each part has 1/5 x 1/2 = 1/10 of the overall score; priority is
    # share x gap: people and money 2.5, assignment 1.25 and benefits 0.25 below 4.
    points = [(p.node_id, p.level, p.target_level, p.priority) for p in result.development_points]
    assert points == [
        ("people-budget", 1, 4, pytest.approx(0.25)),
        ("mandate", 2, 4, pytest.approx(0.125)),
        ("business-case", 3, 4, pytest.approx(0.025)),
    ]
    advice = result.development_points[0].advice
    assert advice is not None
    assert advice == model.node("people-budget").advice[1]
