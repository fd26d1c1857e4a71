"""The worked examples of docs/scoring.md, recomputed: the doc cannot drift from the code.

Each `<!-- example: FILE -->` table gives answers to a model in tests/engine/models/; the
next `<!-- result -->` table gives the scores. `<!-- development-points -->` lists the
development points of every example. Numbers are compared at the precision shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest

from imscan.engine import (
    MaturityModel,
    RespondentAnswers,
    ScoreResult,
    level_start,
    load_model_path,
    score,
    score_many,
)

from .conftest import MODELS

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
MARKER = re.compile(r"<!-- ([a-z-]+)(?:: (.+?))? -->")
# The columns of an answers table that describe the statement, not an answer.
DESCRIPTIVE = {"Statement", "Part", "Level", "Weight"}

Table = list[dict[str, str]]


@dataclass
class Example:
    model: MaturityModel
    answers: Table
    results: Table = field(default_factory=list)


def table_after(lines: list[str], start: int) -> Table:
    """The markdown table that follows line `start`, as rows of column -> cell."""
    index = start + 1
    while not lines[index].startswith("|"):
        index += 1
    rows = []
    while index < len(lines) and lines[index].startswith("|"):
        rows.append([cell.strip() for cell in lines[index].strip().strip("|").split("|")])
        index += 1
    header, _rule, *body = rows
    return [dict(zip(header, row, strict=True)) for row in body]


def parse_doc() -> tuple[list[Example], Table]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    examples: list[Example] = []
    points: Table = []
    for number, line in enumerate(lines):
        match = MARKER.fullmatch(line.strip())
        if match is None:
            continue
        kind, argument = match.groups()
        if kind == "example":
            model = load_model_path(MODELS / argument)
            examples.append(Example(model, table_after(lines, number)))
        elif kind == "result":
            examples[-1].results = table_after(lines, number)
        elif kind == "development-points":
            points = table_after(lines, number)
    return examples, points


EXAMPLES, POINTS = parse_doc()


def answer(model: MaturityModel, statement_id: str, cell: str) -> float | None:
    if cell.lower() == "don't know":
        return None
    try:
        return float(cell)
    except ValueError:
        options = model.scale_of(statement_id).options
        [value] = [o.value for o in options if o.label["en"].lower() == cell.lower()]
        return value


def respondents(example: Example) -> dict[str, dict[str, float | None]]:
    names = [column for column in example.answers[0] if column not in DESCRIPTIVE]
    return {
        name: {
            row["Statement"]: answer(example.model, row["Statement"], row[name])
            for row in example.answers
        }
        for name in names
    }


def result_of(example: Example) -> ScoreResult:
    team = respondents(example)
    if list(team) == ["Answer"]:
        return score(example.model, team["Answer"])
    return score_many(example.model, [RespondentAnswers(name, a) for name, a in team.items()])


def node_id(model: MaturityModel, title: str) -> str:
    [found] = [node.id for node in model.nodes() if node.title["en"] == title]
    return found


def assert_shown(cell: str, value: float | None) -> None:
    """The value, rounded as the doc shows it (an en dash for no score)."""
    if cell == "–":
        assert value is None
        return
    assert value is not None
    if "/" in cell:
        assert value == pytest.approx(float(Fraction(cell)), abs=1e-12)
        return
    decimals = len(cell.partition(".")[2])
    assert round(value, decimals) == float(cell), (cell, value)


def test_the_doc_has_its_examples() -> None:
    assert [example.model.scoring.method for example in EXAMPLES] == [
        "mean-bands",
        "staircase",
        "cumulative",
        "mean-bands",
    ]
    assert all(example.results for example in EXAMPLES)
    assert POINTS


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.model.id)
def test_answer_tables_match_the_model(example: Example) -> None:
    model = example.model
    for row in example.answers:
        statement = model.statement(row["Statement"])
        part = model.parent_of(statement.id)
        assert part is not None and part.title["en"] == row["Part"]
        assert statement.weight == float(row["Weight"])
        if "Level" in row:
            assert statement.level == int(row["Level"])


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.model.id)
def test_result_tables_match_the_engine(example: Example) -> None:
    model = example.model
    result = result_of(example)
    singles = {name: score(model, answers) for name, answers in respondents(example).items()}
    for row in example.results:
        is_overall = row["Node"] == "Overall"
        node = result.overall if is_overall else result.nodes[node_id(model, row["Node"])]
        assert_shown(row["Score"], node.score)
        assert node.level == int(row["Level"])
        for name, single in singles.items():
            if name in row:
                mine = single.overall if is_overall else single.nodes[node.node_id]
                assert_shown(row[name], mine.score)
        if "Spread (sd)" in row:
            assert node.spread is not None
            assert_shown(row["Spread (sd)"], node.spread.sd)
            assert_shown(row["Lowest"], node.spread.min)
            assert_shown(row["Highest"], node.spread.max)


@pytest.mark.parametrize("number", range(1, len(EXAMPLES) + 1))
def test_development_points_match_the_engine(number: int) -> None:
    example = EXAMPLES[number - 1]
    model = example.model
    rows = [row for row in POINTS if row["Example"] == str(number)]
    points = result_of(example).development_points
    assert [point.node_id for point in points] == [node_id(model, row["Part"]) for row in rows]
    for point, row in zip(points, rows, strict=True):
        assert_shown(row["Score"], point.score)
        assert point.target_level == int(row["Target level"])
        assert_shown(row["Share"], model.share(point.node_id))
        assert_shown(row["Gap"], level_start(model, point.target_level) - point.score)
        assert_shown(row["Priority"], point.priority)
