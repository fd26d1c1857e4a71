"""Load and validate model files: YAML, then the schema, then the rules, all in one pass."""

from __future__ import annotations

import re
from pathlib import Path as FilePath

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from imscan.engine import schema
from imscan.engine.messages import common_message, describe_value, pydantic_message
from imscan.engine.problems import Finding, ModelValidationError, Problem
from imscan.engine.rules import check_rules
from imscan.engine.yamlpos import YamlDocument, read_yaml

_SCHEMA_CLASSES: tuple[type[BaseModel], ...] = (
    schema.MaturityModel,
    schema.Scale,
    schema.ScaleOption,
    schema.Level,
    schema.LeadTime,
    schema.Scoring,
    schema.Band,
    schema.Node,
    schema.Advice,
    schema.Link,
    schema.Statement,
)
# Every key the format knows, to suggest one for a misspelt key.
_KNOWN_KEYS = sorted(
    {field.alias or name for cls in _SCHEMA_CLASSES for name, field in cls.model_fields.items()}
)

_LANGUAGE = re.compile(schema.LANGUAGE_PATTERN)


def _message(error: ErrorDetails) -> str:
    common = common_message(error, _KNOWN_KEYS)
    if common is not None:
        return common
    kind, value, context = error["type"], error["input"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch" and context.get("pattern") == schema.ID_PATTERN:
        return (
            f"invalid id {value!r}: use lower-case letters and digits, with single dashes "
            "between words"
        )
    if kind == "string_pattern_mismatch":
        return f"invalid language code {value!r}: use a code such as nl or en"
    if kind == "literal_error":
        return f"unknown value {value!r}: expected {context['expected']}"
    if kind == "greater_than":
        return f"must be greater than {context['gt']:g}"
    if kind == "greater_than_equal":
        return f"must be at least {context['ge']:g}"
    if kind == "finite_number":
        return "must be a finite number"
    return pydantic_message(error)


def _is_split_text(error: ErrorDetails) -> bool:
    """`{nl: Soms wel, soms niet}`: the comma made "soms niet" a key without a value."""
    key = error["loc"][-1]
    return (
        error["type"] == "string_type"
        and error["input"] is None
        and isinstance(key, str)
        and key not in _KNOWN_KEYS
        and not _LANGUAGE.match(key)
    )


def _schema_findings(error: ValidationError) -> list[Finding]:
    findings = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        if detail["type"] == "missing":
            # Point at the mapping that lacks the key: the key itself is not in the file.
            findings.append(Finding(loc[:-1], _message(detail)))
        elif _is_split_text(detail):
            key = loc[-1]
            message = (
                f"{key!r} is not a language but a piece of text: put text that holds "
                "a comma in quotes, since a comma inside {...} starts a new key"
            )
            findings.append(Finding(loc, message, at_key=True))
        elif loc[-1:] == ("[key]",):
            findings.append(Finding(loc[:-1], _message(detail), at_key=True))
        else:
            at_key = detail["type"] == "extra_forbidden"
            findings.append(Finding(loc, _message(detail), at_key=at_key))
    return findings


def _problem(document: YamlDocument, finding: Finding, source: str) -> Problem:
    if finding.at_key:
        position = document.key_position(finding.path)
    else:
        position = document.value_position(finding.path)
    message = finding.message
    if finding.first is not None:
        first = document.value_position(finding.first)
        message += f" (first at line {first.line}, column {first.column})"
    return Problem(source, position.line, position.column, message)


def _check(text: str, source: str) -> tuple[schema.MaturityModel | None, list[Problem]]:
    document, problems = read_yaml(text, source)
    if document is None:
        return None, problems
    if document.data is None:
        return None, [*problems, Problem(source, 1, 1, "the file is empty: expected a model")]
    if not isinstance(document.data, dict):
        position = document.value_position(())
        message = (
            f"the top level must be a mapping with keys such as id, version and title, "
            f"not {describe_value(document.data)}"
        )
        return None, [*problems, Problem(source, position.line, position.column, message)]
    model: schema.MaturityModel | None = None
    findings: list[Finding] = []
    try:
        model = schema.MaturityModel.model_validate(document.data)
    except ValidationError as error:
        findings.extend(_schema_findings(error))
    findings.extend(check_rules(document.data))
    problems.extend(
        _problem(document, finding, source)
        for finding in findings
        if not document.is_unreadable(finding.path)
    )
    unique = sorted(set(problems), key=lambda p: (p.line, p.column, p.message))
    return (model if not unique else None), unique


def validate_text(text: str, source: str = "<string>") -> list[Problem]:
    """Every problem in a model file's text, sorted by position; [] when it is valid."""
    return _check(text, source)[1]


def _read(path: str | FilePath) -> tuple[str | None, list[Problem]]:
    source = str(path)
    try:
        data = FilePath(path).read_bytes()
    except OSError as error:
        return None, [Problem(source, 1, 1, f"cannot read the file: {error.strerror or error}")]
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = data[error.start]
        return None, [Problem(source, line, column, f"not UTF-8 text: byte 0x{byte:02x}")]


def validate_path(path: str | FilePath) -> list[Problem]:
    """Every problem in a model file; an unreadable file is a problem too, not an exception."""
    text, problems = _read(path)
    return problems if text is None else validate_text(text, str(path))


def load_model_text(text: str, source: str = "<string>") -> schema.MaturityModel:
    """The model in a file's text; ModelValidationError lists every problem if it has any."""
    model, problems = _check(text, source)
    if model is None:
        raise ModelValidationError(problems)
    return model


def load_model_path(path: str | FilePath) -> schema.MaturityModel:
    text, problems = _read(path)
    if text is None:
        raise ModelValidationError(problems)
    return load_model_text(text, str(path))
