"""The shipped Innovation Project Scan: a maturity model for one innovation project."""

from __future__ import annotations

import pytest

from imscan.engine import MaturityModel, load_model_path, score
from imscan.roadmap_content import CONTENT_DIR, load_content

PATH = CONTENT_DIR / "drafts" / "innovation-project.yaml"
PARTS = {
    "problem-and-people": ["problem-insight", "team-sponsor"],
    "evidence-and-value": ["experiment-evidence", "value-case"],
    "landing-and-scaling": ["process-embedding", "scaling-readiness"],
}


@pytest.fixture(scope="module")
def model() -> MaturityModel:
    return load_model_path(PATH)


def test_it_is_shaped_as_documented(model: MaturityModel) -> None:
    assert (model.id, model.version, model.languages) == ("innovation-project", "1.0", ["nl", "en"])
    assert {top.id: [child.id for child in top.children or []] for top in model.dimensions} == (
        PARTS
    )
    assert model.statement_total == 30
    assert model.scoring.method == "mean-bands"
    lead_times = [level.lead_time_months for level in model.levels]
    assert lead_times[-1] is None
    assert all(lead_time is not None for lead_time in lead_times[:-1])
    for part in model.parts():
        assert len(part.statements or []) == 5
        assert sorted(part.advice) == [1, 2, 3, 4], part.id


def test_every_advice_links_to_the_roadmap(model: MaturityModel) -> None:
    content = load_content()
    for part in model.parts():
        for level, advice in part.advice.items():
            urls = [link.url for link in advice.links]
            assert urls, (part.id, level)
            for url in urls:
                assert url.startswith("/roadmap/") and content.is_target(url), url


def test_all_best_answers_reach_level_5(model: MaturityModel) -> None:
    result = score(model, {statement.id: 5 for statement in model.statements()})
    assert (result.overall.score, result.overall.level) == (5.0, 5)
    assert all(node.level == 5 for node in result.nodes.values())
    assert result.development_points == []


def test_all_worst_answers_stay_at_level_1(model: MaturityModel) -> None:
    result = score(model, {statement.id: 1 for statement in model.statements()})
    assert (result.overall.score, result.overall.level) == (1.0, 1)
    assert all(node.level == 1 for node in result.nodes.values())
    points = result.development_points
    assert [point.node_id for point in points] == [part.id for part in model.parts()]
    assert all(point.advice is not None and point.advice.links for point in points)


def test_a_team_in_the_middle_gets_advice_for_the_next_level(model: MaturityModel) -> None:
    answers: dict[str, float | None] = {s.id: 3 for s in model.statements()}
    answers.update({f"process-embedding-{n}": 1 for n in range(1, 6)})
    result = score(model, answers)
    assert result.nodes["process-embedding"].level == 1
    assert result.nodes["problem-insight"].level == 3
    first = result.development_points[0]
    assert first.node_id == "process-embedding"
    assert first.advice == model.node("process-embedding").advice[1]
