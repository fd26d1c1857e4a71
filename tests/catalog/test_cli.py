"""The `imscan` console script: validate, score and models, as other tools would call it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SHIPPED_MODELS

IMS = SHIPPED_MODELS / "ims-gov.yaml"


def imscan(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    return subprocess.run(
        [sys.executable, "-m", "imscan", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_validate_accepts_the_shipped_model() -> None:
    result = imscan("validate", str(IMS))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def test_validate_reports_every_problem_with_its_position(tmp_path: Path) -> None:
    text = IMS.read_text(encoding="utf-8")
    broken = text.replace("scale: agree5", "scale: agree7", 1).replace(
        "id: culture-2", "id: culture-1", 1
    )
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    result = imscan("validate", str(path), str(IMS))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    line_of = {n + 1: line for n, line in enumerate(broken.splitlines())}
    for reported in lines:
        location, message = reported.split(": ", 1)
        file, line, column = location.rsplit(":", 2)
        assert file == str(path)
        assert int(column) >= 1
        if "agree7" in message:
            assert "agree7" in line_of[int(line)]
        else:
            assert "culture-1" in message and "culture-1" in line_of[int(line)]


def test_score_prints_one_json_object(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"culture-1": 4, "culture-2": None}}))
    result = imscan("score", str(IMS), str(answers))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["overall"] == {"score": 4.0, "level": 4}
    assert data["nodes"]["culture"] == {"score": 4.0, "level": 4, "answered": 1, "total": 5}
    assert data["nodes"]["leadership"]["score"] is None
    assert isinstance(data["development_points"], list)


def test_score_many_respondents_adds_the_spread(tmp_path: Path) -> None:
    answers = tmp_path / "team.json"
    answers.write_text(
        json.dumps(
            {
                "respondents": [
                    {"group": "management", "answers": {"culture-1": 5}},
                    {"group": "staff", "answers": {"culture-1": 1}},
                ]
            }
        )
    )
    result = imscan("score", str(IMS), str(answers))
    assert result.returncode == 0, result.stderr
    culture = json.loads(result.stdout)["nodes"]["culture"]
    assert culture["score"] == 3.0
    assert culture["spread"] == {"n": 2, "sd": 2.0, "min": 1.0, "max": 5.0}


def test_score_refuses_answers_off_the_scale(tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"answers": {"culture-1": 9}}))
    result = imscan("score", str(IMS), str(answers))
    assert result.returncode == 2
    assert "culture-1" in result.stderr
    assert result.stdout == ""


def test_models_lists_id_version_and_path() -> None:
    result = imscan("models")
    assert result.returncode == 0, result.stderr
    assert f"ims-gov\t1.0\t{IMS}" in result.stdout.splitlines()
