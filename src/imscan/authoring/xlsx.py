"""A model as an XLSX workbook, and back: for authors who edit in a spreadsheet, not YAML.

`model_to_xlsx(yaml_text)` writes a workbook with one sheet per kind of thing (model,
scales, levels, dimensions, statements, advice, links), one column per language for every
text. `xlsx_to_model(data)` reads such a workbook back into a model file's YAML text. The
round trip YAML -> XLSX -> YAML gives the same model (layout and comments of the YAML
aside). The layout is documented in docs/model-format.md, "Editing a model in a
spreadsheet".

Reading is defensive: the workbook is opened read-only without evaluating anything
(formulas give their stored value), its size and unpacked size are limited, and every
problem is reported as a `SheetProblem` (sheet, row, column) inside one `WorkbookError`,
never as an exception trace. The YAML produced is checked by the engine's validator, and
its problems are reported at the cells they came from.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from imscan.authoring.building import Builder
from imscan.authoring.layout import (
    FIELDS,
    MAX_BYTES,
    SHEETS,
    Field,
    SheetProblem,
    WorkbookError,
)
from imscan.authoring.reading import Reader, model_languages, read_workbook
from imscan.authoring.yamlwriter import Origin, plain_number
from imscan.engine import MaturityModel, Node, load_model_text, validate_text

__all__ = ["MAX_BYTES", "SHEETS", "SheetProblem", "WorkbookError", "model_to_xlsx", "xlsx_to_model"]

_MISSING_TRANSLATION = re.compile(r"missing translation '([^']+)' in (\w+)")
# Characters an XLSX cell cannot hold (XML 1.0), and a carriage return, which XML turns
# into a line feed on reading: a text holding one cannot make the round trip.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")


# Export


def _texts(model: MaturityModel) -> Iterator[Mapping[str, str]]:
    yield model.title
    if model.description:
        yield model.description
    for scale in model.scales.values():
        for option in scale.options:
            yield option.label
    for level in model.levels:
        yield level.name
        yield level.description
    for node in model.nodes():
        yield node.title
        if node.description:
            yield node.description
        for advice in node.advice.values():
            yield advice.text
            for link in advice.links:
                yield link.title
    for statement in model.statements():
        yield statement.text
        yield statement.info


def _languages(model: MaturityModel) -> list[str]:
    """The model's languages, then any other language a text has, in order of appearance."""
    found = dict.fromkeys(model.languages)
    for text in _texts(model):
        found.update(dict.fromkeys(text))
    return list(found)


class _Sheet:
    """A sheet being written: a header row, then one row per item."""

    def __init__(
        self, workbook: Workbook, name: str, fields: tuple[Field, ...], languages: list[str]
    ) -> None:
        self.name = name
        self.sheet: Worksheet = workbook.create_sheet(name)
        self.columns: list[tuple[str, Field]] = []
        for item in fields:
            if item.kind == "text":
                self.columns += [(f"{item.name}:{language}", item) for language in languages]
            else:
                self.columns.append((item.name, item))
        self.sheet.append([name for name, _ in self.columns])
        self.rows = 1

    def add(self, values: Mapping[str, Any]) -> None:
        """A row; values by column header, texts by field name (a language mapping)."""
        self.rows += 1
        for index, (header, item) in enumerate(self.columns, start=1):
            if item.kind == "text":
                language = header.split(":", 1)[1]
                value = (values.get(item.name) or {}).get(language)
            else:
                value = values.get(header)
            if value is None:
                continue
            self._write(index, header, value)

    def _write(self, index: int, header: str, value: Any) -> None:
        found = _UNWRITABLE.search(value) if isinstance(value, str) else None
        if found is not None:
            code = ord(found.group())
            raise WorkbookError(
                [
                    SheetProblem(
                        f"the text holds a control character (U+{code:04X}) that a "
                        "spreadsheet cannot keep",
                        self.name,
                        self.rows,
                        header,
                        get_column_letter(index),
                    )
                ]
            )
        if isinstance(value, float) and not isinstance(value, bool):
            value = plain_number(value)
            # Spreadsheets keep 16 significant digits; a number that needs 17 goes as
            # text, which the import reads back exactly.
            if isinstance(value, float) and float(f"{value:.16g}") != value:
                value = repr(value)
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**15:
            value = str(value)
        cell = self.sheet.cell(row=self.rows, column=index, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # a text, even one starting with "=": never a formula

    def finish(self) -> None:
        bold = Font(bold=True)
        fill = PatternFill("solid", start_color="DDE4EE")
        wrap = Alignment(wrap_text=True, vertical="top")
        for index, (header, item) in enumerate(self.columns, start=1):
            letter = get_column_letter(index)
            cell = self.sheet.cell(row=1, column=index)
            cell.font, cell.fill = bold, fill
            is_text = item.kind == "text" or header == "url"
            self.sheet.column_dimensions[letter].width = 50 if is_text else max(10, len(header) + 2)
            if is_text:
                for row in range(2, self.rows + 1):
                    self.sheet.cell(row=row, column=index).alignment = wrap
        self.sheet.freeze_panes = "A2"
        last = get_column_letter(max(len(self.columns), 1))
        self.sheet.auto_filter.ref = f"A1:{last}{self.rows}"


def model_to_xlsx(source: str) -> bytes:
    """A model file's text as an XLSX workbook.

    Raises the engine's ModelValidationError for an invalid model file, and WorkbookError
    for a text a spreadsheet cannot hold (a control character).
    """
    model = load_model_text(source)
    languages = _languages(model)
    workbook = Workbook()
    if workbook.active is not None:
        workbook.remove(workbook.active)
    sheets = {name: _Sheet(workbook, name, FIELDS[name], languages) for name in SHEETS}
    sheets["model"].add(
        {
            "id": model.id,
            "version": model.version,
            "languages": ", ".join(model.languages),
            "method": model.scoring.method,
            "pass_from": model.scoring.pass_from,
            "title": model.title,
            "description": model.description,
        }
    )
    for scale_id, scale in model.scales.items():
        for option in scale.options:
            sheets["scales"].add(
                {
                    "scale": scale_id,
                    "value": option.value,
                    "not_applicable": True if option.not_applicable else None,
                    "label": option.label,
                }
            )
    bands = {band.level: band.from_ for band in model.scoring.bands or ()}
    for level in model.levels:
        lead = level.lead_time_months
        sheets["levels"].add(
            {
                "level": level.level,
                "name": level.name,
                "description": level.description,
                "lead_time_min": lead.min if lead else None,
                "lead_time_max": lead.max if lead else None,
                "band_from": bands.get(level.level),
            }
        )
    _export_tree(model.dimensions, None, sheets)
    for sheet in sheets.values():
        sheet.finish()
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _export_tree(nodes: list[Node], parent: str | None, sheets: dict[str, _Sheet]) -> None:
    for order, node in enumerate(nodes, start=1):
        sheets["dimensions"].add(
            {
                "id": node.id,
                "parent": parent,
                "order": order,
                "weight": node.weight,
                "title": node.title,
                "description": node.description,
            }
        )
        for number, statement in enumerate(node.statements or [], start=1):
            sheets["statements"].add(
                {
                    "id": statement.id,
                    "part": node.id,
                    "order": number,
                    "scale": statement.scale,
                    "level": statement.level,
                    "weight": statement.weight,
                    "text": statement.text,
                    "info": statement.info,
                }
            )
        for level, advice in sorted(node.advice.items()):
            sheets["advice"].add({"part": node.id, "level": level, "text": advice.text})
            for link in advice.links:
                sheets["links"].add(
                    {"part": node.id, "level": level, "url": link.url, "title": link.title}
                )
        _export_tree(node.children or [], node.id, sheets)


def xlsx_to_model(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    """A workbook (as made by model_to_xlsx, then edited) as a valid model file's text.

    Raises WorkbookError with every problem found, each at its sheet, row and column.
    """
    reader = Reader()
    tables = read_workbook(data, max_bytes, reader)
    languages = model_languages(tables, reader)
    if languages is not None:
        for name in SHEETS:
            reader.require_texts(name, languages)
    if reader.problems or len(tables) != len(SHEETS) or languages is None:
        raise WorkbookError(reader.problems or [SheetProblem("the workbook has no model")])
    builder = Builder(tables, reader)
    builder.check()
    if reader.problems:
        raise WorkbookError(reader.problems)
    writer = builder.write()
    text = writer.result()
    for problem in validate_text(text, "<workbook>"):
        origin = writer.origin(problem.line) or Origin("model")
        column = origin.column
        missing = _MISSING_TRANSLATION.fullmatch(problem.message)
        if missing is not None:  # point at the empty cell that needs the translation
            column = f"{missing.group(2)}:{missing.group(1)}"
        reader.problem(problem.message, origin.sheet, origin.row, column)
    if reader.problems:
        raise WorkbookError(dict.fromkeys(reader.problems))
    return text
