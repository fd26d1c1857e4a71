"""Reading answers from a posted form: `s-<statement id>` = a scale value or `na`."""

from __future__ import annotations

import math

from django.http import QueryDict
from django.utils.translation import gettext as _

from imscan.scans.services import InvalidAnswer

FIELD_PREFIX = "s-"
NOT_APPLICABLE = "na"


def field_name(statement_id: str) -> str:
    return FIELD_PREFIX + statement_id


def field_value(value: float | None) -> str:
    """How a scale value is written in a form: `3`, `0.25`, or `na` for don't know."""
    if value is None:
        return NOT_APPLICABLE
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def posted_answers(data: QueryDict) -> dict[str, float | None]:
    answers: dict[str, float | None] = {}
    for name in data:
        if not name.startswith(FIELD_PREFIX):
            continue
        statement_id = name.removeprefix(FIELD_PREFIX)
        raw = (data.get(name) or "").strip()
        if raw == NOT_APPLICABLE:
            answers[statement_id] = None
            continue
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value):
            raise InvalidAnswer(
                _("The answer to “%(statement)s” is not a number: “%(value)s”.")
                % {"statement": statement_id, "value": raw[:40]}
            )
        answers[statement_id] = value
    return answers
