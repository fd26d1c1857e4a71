"""The engine's command-line work, as plain functions: the Django management commands
(`imscan validate`, `imscan score`, `imscan models`, `imscan diff`) parse arguments and
call these."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

from imscan.engine.answers import AnswerError, check_answers
from imscan.engine.diff import diff_models, format_report
from imscan.engine.problems import ModelValidationError
from imscan.engine.results import RespondentAnswers, ScoreResult
from imscan.engine.schema import MaturityModel
from imscan.engine.scoring import score, score_many
from imscan.engine.validate import load_model_path, validate_path


class Output(Protocol):
    """Where a command writes: a text stream, or Django's OutputWrapper around one."""

    def write(self, text: str, /) -> object: ...


# Exit codes of score_main.
OK, BAD_MODEL, BAD_ANSWERS = 0, 1, 2
# Exit codes of diff_main.
IDENTICAL, DIFFERENT, BAD_FILE = 0, 1, 2


def validate_main(paths: Sequence[str], out: Output) -> int:
    """Print every problem in the files, one per line; 1 if there was any, else 0."""
    failed = False
    for path in paths:
        for problem in validate_path(path):
            print(problem, file=out)
            failed = True
    return 1 if failed else 0


class _AnswersFileError(Exception):
    pass


def _answers(value: object, where: str) -> dict[str, float | None]:
    if not isinstance(value, dict):
        raise _AnswersFileError(f"{where} must be an object of statement id: value")
    for statement_id, answer in value.items():
        if answer is not None and (isinstance(answer, bool) or not isinstance(answer, int | float)):
            raise _AnswersFileError(f"{where}.{statement_id} must be a number or null")
    return value


def _score_file(model: MaturityModel, data: object) -> ScoreResult:
    """Score the parsed answers file: {"answers": {...}} or {"respondents": [...]}."""
    if isinstance(data, dict) and set(data) == {"answers"}:
        answers = _answers(data["answers"], "answers")
        _check(model, answers, "answers")
        return score(model, answers)
    if isinstance(data, dict) and set(data) == {"respondents"}:
        if not isinstance(data["respondents"], list):
            raise _AnswersFileError("respondents must be a list")
        team = []
        for index, item in enumerate(data["respondents"]):
            where = f"respondents[{index}]"
            if not isinstance(item, dict) or not set(item) <= {"group", "answers"}:
                raise _AnswersFileError(f"{where} must be an object with group and answers")
            group = item.get("group", "")
            if not isinstance(group, str):
                raise _AnswersFileError(f"{where}.group must be a string")
            answers = _answers(item.get("answers"), f"{where}.answers")
            _check(model, answers, f"{where}.answers")
            team.append(RespondentAnswers(group, answers))
        return score_many(model, team)
    raise _AnswersFileError(
        'expected {"answers": {...}} for one respondent or {"respondents": [...]} for many'
    )


def _check(model: MaturityModel, answers: Mapping[str, float | None], where: str) -> None:
    try:
        check_answers(model, answers)
    except AnswerError as error:
        raise _AnswersFileError(f"{where}: {error}") from None


def score_main(model_path: str, answers_path: str, out: Output, err: Output) -> int:
    """Score an answers file against a model and print the result as JSON.

    Exit 1 (problems on err) for a bad model, 2 (`file: message` on err) for bad answers.
    """
    try:
        model = load_model_path(model_path)
    except ModelValidationError as error:
        for problem in error.problems:
            print(problem, file=err)
        return BAD_MODEL
    try:
        text = Path(answers_path).read_text(encoding="utf-8")
        result = _score_file(model, json.loads(text))
    except OSError as error:
        print(f"{answers_path}: cannot read the file: {error.strerror or error}", file=err)
        return BAD_ANSWERS
    except UnicodeDecodeError:
        print(f"{answers_path}: not UTF-8 text", file=err)
        return BAD_ANSWERS
    except json.JSONDecodeError as error:
        print(
            f"{answers_path}: not valid JSON: {error.msg} at line {error.lineno}, "
            f"column {error.colno}",
            file=err,
        )
        return BAD_ANSWERS
    except _AnswersFileError as error:
        print(f"{answers_path}: {error}", file=err)
        return BAD_ANSWERS
    json.dump(result.to_json(), out, ensure_ascii=False, indent=2)
    out.write("\n")
    return OK


def _model_files(paths: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        else:
            files.append(path)
    return files


def models_main(paths: Sequence[Path], out: Output, err: Output | None = None) -> int:
    """Print `id<TAB>version<TAB>path` per model file (a directory: its *.yaml files).

    The problems of a file that does not load go to err (stderr by default); exit 1 then.
    """
    failed = False
    for path in _model_files(paths):
        try:
            model = load_model_path(path)
        except ModelValidationError as error:
            for problem in error.problems:
                print(problem, file=err or sys.stderr)
            failed = True
            continue
        print(f"{model.id}\t{model.version}\t{path}", file=out)
    return 1 if failed else 0


def diff_main(
    old_path: str, new_path: str, out: Output, err: Output, *, as_json: bool = False
) -> int:
    """Print what changed between two model files: a report, or one JSON object.

    Exit 0 when the models are identical, 1 when they differ, 2 when either file does not
    load (its problems on err, as `file:line:column: message`, for both files).
    """
    models: list[MaturityModel] = []
    failed = False
    for path in (old_path, new_path):
        try:
            models.append(load_model_path(path))
        except ModelValidationError as error:
            for problem in error.problems:
                print(problem, file=err)
            failed = True
    if failed:
        return BAD_FILE
    diff = diff_models(models[0], models[1])
    if as_json:
        data = diff.to_json()
        data["old"]["path"], data["new"]["path"] = old_path, new_path
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(format_report(diff))
    return IDENTICAL if diff.identical else DIFFERENT
