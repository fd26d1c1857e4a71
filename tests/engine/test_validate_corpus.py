"""Model files, valid and broken: every broken file states its problems in `# expect:` lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from imscan.engine import (
    ModelValidationError,
    Problem,
    load_model_path,
    load_model_text,
    validate_path,
    validate_text,
    yamlpos,
)

from .conftest import BROKEN, MODELS

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "imscan" / "content" / "models"
BROKEN_FILES = sorted(BROKEN.glob("*.yaml"))
LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}


def expected(path: Path) -> list[str]:
    prefix = "# expect: "
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line[len(prefix) :] for line in lines if line.startswith(prefix)]


def test_the_corpus_covers_many_rules() -> None:
    assert len(BROKEN_FILES) >= 40


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.stem)
def test_broken_file_reports_exactly_its_expected_problems(
    path: Path, loader: type | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if loader is None:
        pytest.skip("PyYAML without libyaml")
    # Both parsers must give the same positions and messages for the corpus.
    monkeypatch.setattr(yamlpos, "_Loader", loader)
    problems = validate_path(path)
    assert [f"{p.line}:{p.column}: {p.message}" for p in problems] == expected(path)
    assert all(problem.source == str(path) for problem in problems)


@pytest.mark.parametrize("path", BROKEN_FILES, ids=lambda path: path.stem)
def test_broken_file_does_not_load(path: Path) -> None:
    with pytest.raises(ModelValidationError) as caught:
        load_model_path(path)
    assert caught.value.problems == validate_path(path)
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("name", ["mean-bands", "staircase", "cumulative"])
def test_test_models_are_valid(name: str) -> None:
    assert validate_path(MODELS / f"{name}.yaml") == []


@pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda path: path.name)
def test_shipped_models_are_valid(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    if "- PART " in text:
        pytest.skip("the parts of this model are still placeholders")
    assert [str(problem) for problem in validate_text(text, str(path))] == []


def test_problem_prints_as_file_line_column_message() -> None:
    problem = Problem("models/x.yaml", 12, 5, "no band for level 2")
    assert str(problem) == "models/x.yaml:12:5: no band for level 2"


def test_problems_are_sorted_by_position() -> None:
    problems = validate_path(BROKEN / "many-problems.yaml")
    assert len(problems) == 5
    assert problems == sorted(problems, key=lambda p: (p.line, p.column))


def test_source_defaults_to_string() -> None:
    assert str(validate_text("- 1\n")[0]).startswith("<string>:1:1: ")


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    [problem] = validate_path(path)
    assert (problem.source, problem.line, problem.column) == (str(path), 1, 1)
    assert problem.message.startswith("cannot read the file: ")
    with pytest.raises(ModelValidationError):
        load_model_path(path)


def test_directory_is_a_problem(tmp_path: Path) -> None:
    [problem] = validate_path(tmp_path)
    assert problem.message.startswith("cannot read the file: ")


def test_invalid_utf8_is_a_problem_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\ntitle: {en: caf\xe9}\n")
    assert [str(p) for p in validate_path(path)] == [f"{path}:2:16: not UTF-8 text: byte 0xe9"]


def test_control_character_is_a_problem_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "bell.yaml"
    path.write_text("id: x\ntitle: {en: ding\x07}\n", encoding="utf-8")
    assert [str(p) for p in validate_path(path)] == [
        f"{path}:2:17: character U+0007 is not allowed in a YAML file"
    ]


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + (MODELS / "mean-bands.yaml").read_bytes())
    assert validate_path(path) == []


def test_windows_line_ends_keep_positions() -> None:
    text = (BROKEN / "unknown-scale.yaml").read_text(encoding="utf-8")
    problems = validate_text(text.replace("\n", "\r\n"))
    assert [f"{p.line}:{p.column}: {p.message}" for p in problems] == expected(
        BROKEN / "unknown-scale.yaml"
    )


def test_load_model_text_returns_the_model() -> None:
    model = load_model_text((MODELS / "mean-bands.yaml").read_text(encoding="utf-8"))
    assert (model.id, model.version) == ("test-mean-bands", "1.0")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "---\n",
        "~\n",
        "42\n",
        "just text\n",
        "[1, 2]\n",
        "{}\n",
        "id: x\n",
        "\x00\x01\x02",
        "\ud800",
        "{" * 5000,
        "- " * 5000 + "x",
        "a: &a [*a]\n",
        "? [a, b]\n: c\n",
        "!!binary aGk=\n",
        "%TAG ! tag:example.com,2000:\n--- !foo\nx: 1\n",
    ],
)
def test_garbage_gives_problems_not_exceptions(text: str) -> None:
    problems = validate_text(text)
    assert problems
    assert all(problem.line >= 1 and problem.column >= 1 for problem in problems)
