"""The engine's command-line functions: output, error messages and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from imscan.engine.cli import models_main, score_main, validate_main

from .conftest import BROKEN, MODELS

MEAN_BANDS = str(MODELS / "mean-bands.yaml")


def run_score(answers: object, tmp_path: Path, model: str = MEAN_BANDS) -> tuple[int, str, str]:
    path = tmp_path / "answers.json"
    path.write_text(answers if isinstance(answers, str) else json.dumps(answers), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = score_main(model, str(path), out, err)
    return code, out.getvalue(), err.getvalue().replace(str(path), "answers.json")


def test_validate_prints_nothing_for_valid_files() -> None:
    out = io.StringIO()
    assert validate_main([MEAN_BANDS, str(MODELS / "staircase.yaml")], out) == 0
    assert out.getvalue() == ""


def test_validate_prints_each_problem() -> None:
    out = io.StringIO()
    paths = [str(BROKEN / "duplicate-id.yaml"), MEAN_BANDS, str(BROKEN / "unknown-scale.yaml")]
    assert validate_main(paths, out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{BROKEN / 'duplicate-id.yaml'}:26:14: duplicate id 'part-1'")
    assert (
        lines[2] == f"{BROKEN / 'unknown-scale.yaml'}:24:29: unknown scale 'agree7' (known: agree)"
    )


def test_validate_a_missing_file() -> None:
    out = io.StringIO()
    assert validate_main(["/nonexistent/model.yaml"], out) == 1
    assert out.getvalue().startswith("/nonexistent/model.yaml:1:1: cannot read the file: ")


def test_score_one_respondent(tmp_path: Path) -> None:
    code, out, err = run_score({"answers": {"goals-1": 4, "goals-2": None}}, tmp_path)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["respondents"] == 1
    assert data["nodes"]["goals"] == {"score": 4.0, "level": 4, "answered": 1, "total": 3}
    assert "spread" not in data["nodes"]["goals"]


def test_score_many_respondents(tmp_path: Path) -> None:
    answers = {
        "respondents": [{"group": "staff", "answers": {"goals-1": 4}}, {"answers": {"goals-1": 2}}]
    }
    code, out, _ = run_score(answers, tmp_path)
    assert code == 0
    data = json.loads(out)
    assert data["respondents"] == 2
    assert data["nodes"]["goals"]["spread"] == {"n": 2, "sd": 1.0, "min": 2.0, "max": 4.0}


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        (
            "{not json",
            "answers.json: not valid JSON: Expecting property name enclosed in double "
            "quotes at line 1, column 2",
        ),
        (
            [],
            'answers.json: expected {"answers": {...}} for one respondent or '
            '{"respondents": [...]} for many',
        ),
        ({"answers": {}, "extra": 1}, 'answers.json: expected {"answers": {...}}'),
        ({"answers": []}, "answers.json: answers must be an object of statement id: value"),
        ({"answers": {"goals-1": "4"}}, "answers.json: answers.goals-1 must be a number or null"),
        ({"answers": {"goals-1": True}}, "answers.json: answers.goals-1 must be a number or null"),
        ({"answers": {"nope": 1}}, "answers.json: answers: unknown statement 'nope'"),
        (
            {"answers": {"goals-1": 9}},
            "answers.json: answers: 9 is not a value of the scale of "
            "'goals-1' (allowed: 1, 2, 3, 4, 5)",
        ),
        ({"respondents": {}}, "answers.json: respondents must be a list"),
        (
            {"respondents": [1]},
            "answers.json: respondents[0] must be an object with group and answers",
        ),
        (
            {"respondents": [{"group": 1, "answers": {}}]},
            "answers.json: respondents[0].group must be a string",
        ),
        (
            {"respondents": [{"answers": {}}, {"answers": {"goals-1": 0}}]},
            "answers.json: respondents[1].answers: 0 is not a value",
        ),
    ],
)
def test_score_bad_answers_exit_2(tmp_path: Path, answers: object, message: str) -> None:
    code, out, err = run_score(answers, tmp_path)
    assert (code, out) == (2, "")
    assert err.startswith(message), err


def test_score_unreadable_answers_exit_2(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert score_main(MEAN_BANDS, str(tmp_path / "none.json"), out, err) == 2
    assert err.getvalue().startswith(f"{tmp_path / 'none.json'}: cannot read the file: ")
    (tmp_path / "latin1.json").write_bytes(b'{"answers": {"\xe9": 1}}')
    assert score_main(MEAN_BANDS, str(tmp_path / "latin1.json"), out, io.StringIO()) == 2


def test_score_bad_model_exit_1(tmp_path: Path) -> None:
    code, out, err = run_score({"answers": {}}, tmp_path, str(BROKEN / "unknown-scale.yaml"))
    assert (code, out) == (1, "")
    assert err == f"{BROKEN / 'unknown-scale.yaml'}:24:29: unknown scale 'agree7' (known: agree)\n"


def test_models_lists_id_version_and_path(tmp_path: Path) -> None:
    for name in ("mean-bands", "cumulative"):
        (tmp_path / f"{name}.yaml").write_bytes((MODELS / f"{name}.yaml").read_bytes())
    (tmp_path / "notes.txt").write_text("not a model", "utf-8")
    out = io.StringIO()
    assert models_main([tmp_path, MODELS / "staircase.yaml"], out) == 0
    assert out.getvalue().splitlines() == [
        f"test-cumulative\t2.1\t{tmp_path / 'cumulative.yaml'}",
        f"test-mean-bands\t1.0\t{tmp_path / 'mean-bands.yaml'}",
        f"test-staircase\t1.0\t{MODELS / 'staircase.yaml'}",
    ]


def test_models_reports_broken_files() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert models_main([BROKEN / "unknown-scale.yaml", Path(MEAN_BANDS)], out, err) == 1
    assert out.getvalue() == f"test-mean-bands\t1.0\t{MEAN_BANDS}\n"
    assert "unknown scale 'agree7'" in err.getvalue()
