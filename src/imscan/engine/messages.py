"""Pydantic's errors in the words of someone editing a YAML file.

Shared by the model validator and the roadmap content validator: both read YAML, both
report `file:line:column: message`.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from pydantic_core import ErrorDetails

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "list_type": "a list",
}


def describe_value(value: object) -> str:
    """A value as the author would call it in YAML terms."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        # YAML 1.1 reads yes/no/on/off as booleans: `label: {en: No}` is a classic.
        return f"{str(value).lower()} (put text such as yes, no, on or off in quotes)"
    if isinstance(value, float):
        return f"the number {value}"
    if isinstance(value, int):
        # Python refuses to print ints of thousands of digits; nobody needs to read them.
        return f"the number {value}" if abs(value) < 10**15 else "a very large number"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__  # pragma: no cover - YAML gives no other types


def common_message(error: ErrorDetails, known_keys: Sequence[str]) -> str | None:
    """The message for an error every YAML format has (a wrong type, a missing or unknown
    key, an empty value), or None for one its validator words itself."""
    kind, value = error["type"], error["input"]
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"expected text, got {describe_value(value)} (put it in quotes)"
    if kind in _EXPECTED:
        return f"expected {_EXPECTED[kind]}, got {describe_value(value)}"
    if kind == "missing":
        return f"missing key '{error['loc'][-1]}'"
    if kind == "extra_forbidden":
        key = error["loc"][-1]
        close = difflib.get_close_matches(str(key), known_keys, n=1)
        return f"unknown key {key!r}" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind in ("string_too_short", "too_short"):
        return "must not be empty"
    return None


def pydantic_message(error: ErrorDetails) -> str:
    """A pydantic error no table knows yet: its own words are still clear."""
    message = error["msg"]
    return message[:1].lower() + message[1:]
