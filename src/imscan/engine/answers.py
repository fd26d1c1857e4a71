"""Checking one answer against the model: is it a statement, and a value of its scale?"""

from __future__ import annotations

from collections.abc import Mapping

from imscan.engine.schema import MaturityModel


class AnswerError(ValueError):
    """An answer the model cannot take: unknown statement, or a value not on its scale."""


def _fmt(value: float) -> str:
    return f"{value:g}"


def check_answer(model: MaturityModel, statement_id: str, value: float | None) -> None:
    """Raise AnswerError unless `value` is a valid answer to the statement.

    None means "don't know / not applicable": valid only if the scale offers that option.
    """
    try:
        scale = model.scale_of(statement_id)
    except KeyError:
        raise AnswerError(f"unknown statement '{statement_id}'") from None
    if value is None:
        if scale.not_applicable_option is None:
            raise AnswerError(
                f"'{statement_id}' needs an answer: its scale has no \"don't know\" option"
            )
        return
    # bool is an int to Python, but true/false is never a scale value.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AnswerError(f"the answer to '{statement_id}' must be a number or null, not {value!r}")
    if not scale.has_value(value):
        allowed = ", ".join(_fmt(option) for option in scale.values)
        raise AnswerError(
            f"{value!r} is not a value of the scale of '{statement_id}' (allowed: {allowed})"
        )


def check_answers(model: MaturityModel, answers: Mapping[str, float | None]) -> None:
    """Check a respondent's answers for scoring: None is taken as unanswered here."""
    for statement_id, value in answers.items():
        if value is not None:
            check_answer(model, statement_id, value)
        elif statement_id not in model.statement_ids:
            raise AnswerError(f"unknown statement '{statement_id}'")
