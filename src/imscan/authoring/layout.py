"""The workbook's layout: its sheets, their columns, and the problems found in one.

Shared by the export (xlsx.py) and the import (reading.py, building.py). The layout is
documented in docs/model-format.md, "Editing a model in a spreadsheet".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MAX_BYTES = 1_000_000  # the default limit on a workbook's size
SHEETS = ("model", "scales", "levels", "dimensions", "statements", "advice", "links")


@dataclass(frozen=True)
class SheetProblem:
    """A problem in a workbook: at a cell, a row, a sheet, or the whole file."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None  # the header of the column
    letter: str | None = None  # the column's letter, where known

    def __str__(self) -> str:
        if self.sheet is None:
            return self.message
        where = f"sheet '{self.sheet}'"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            letter = f"{self.letter} " if self.letter else ""
            where += f", column {letter}({self.column})"
        elif self.letter is not None:
            where += f", column {self.letter}"
        return f"{where}: {self.message}"


class WorkbookError(Exception):
    """A workbook that cannot be turned into a valid model (or a model into a workbook)."""

    def __init__(self, problems: Iterable[SheetProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# The columns of each sheet. A text field has one column per language: `title:nl`.


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # string | version | languages | int | number | bool | text
    column_required: bool = True  # the column must be in the sheet
    value_required: bool = False  # every row needs a value in it


_F = Field
FIELDS: dict[str, tuple[Field, ...]] = {
    "model": (
        _F("id", "string", value_required=True),
        _F("version", "version", value_required=True),
        _F("languages", "languages", value_required=True),
        _F("method", "string", value_required=True),
        _F("pass_from", "number", column_required=False),
        _F("title", "text"),
        _F("description", "text", column_required=False),
    ),
    "scales": (
        _F("scale", "string", value_required=True),
        _F("value", "number"),
        _F("not_applicable", "bool", column_required=False),
        _F("label", "text"),
    ),
    "levels": (
        _F("level", "int", value_required=True),
        _F("name", "text"),
        _F("description", "text"),
        _F("lead_time_min", "int"),
        _F("lead_time_max", "int"),
        _F("band_from", "number", column_required=False),
    ),
    "dimensions": (
        _F("id", "string", value_required=True),
        _F("parent", "string"),
        _F("order", "number", value_required=True),
        _F("weight", "number", column_required=False),
        _F("title", "text"),
        _F("description", "text", column_required=False),
    ),
    "statements": (
        _F("id", "string", value_required=True),
        _F("part", "string", value_required=True),
        _F("order", "number", value_required=True),
        _F("scale", "string", value_required=True),
        _F("level", "int", column_required=False),
        _F("weight", "number", column_required=False),
        _F("text", "text"),
        _F("info", "text"),
    ),
    "advice": (
        _F("part", "string", value_required=True),
        _F("level", "int", value_required=True),
        _F("text", "text"),
    ),
    "links": (
        _F("part", "string", value_required=True),
        _F("level", "int", value_required=True),
        _F("url", "string", value_required=True),
        _F("title", "text"),
    ),
}
