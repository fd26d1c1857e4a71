"""Authoring models without writing YAML: spreadsheets in and out. Pure Python, no Django."""

from imscan.authoring.xlsx import (
    MAX_BYTES,
    SheetProblem,
    WorkbookError,
    model_to_xlsx,
    xlsx_to_model,
)

__all__ = ["MAX_BYTES", "SheetProblem", "WorkbookError", "model_to_xlsx", "xlsx_to_model"]
