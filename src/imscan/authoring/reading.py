"""Reading a workbook's cells into rows, defensively.

The file is checked before openpyxl sees it (size, unpacked size, a zip with a workbook
in it), then opened read-only without evaluating anything: a formula gives its stored
value. Sheets are read up to MAX_ROWS rows and MAX_COLUMNS columns whatever size they
claim. Every problem becomes a SheetProblem on the Reader; nothing raises.
"""

from __future__ import annotations

import difflib
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from imscan.authoring.layout import FIELDS, SHEETS, Field, SheetProblem
from imscan.authoring.yamlwriter import Origin, plain_number
from imscan.engine.schema import LANGUAGE_PATTERN

UNPACK_RATIO = 50  # a workbook may unpack to at most this many times its size limit
MAX_ROWS = 20_000  # per sheet, far above any model
MAX_COLUMNS = 100  # cells further right are not read

_LANGUAGE = re.compile(LANGUAGE_PATTERN)
_INTEGER = re.compile(r"\s*[+-]?\d+\s*")
_NUMBER = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*")


# Cells


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return f"the number {plain_number(value)!r}"
    if isinstance(value, datetime | date | time):
        return f"a date or time ({value.isoformat()})"
    if isinstance(value, timedelta):
        return "a duration"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    return type(value).__name__  # pragma: no cover - openpyxl gives no other types


class _CellError(Exception):
    pass


def _convert(kind: str, value: object) -> object:
    """A cell's value as the field needs it; _CellError says what is wrong."""
    if kind in ("string", "text"):
        if isinstance(value, str):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)  # 12 typed into a cell: the text "12"
        raise _CellError(f"expected text, got {_describe(value)}")
    if kind == "version":
        if isinstance(value, str):
            return value
        raise _CellError(
            f"expected text, got {_describe(value)}: format the cell as text, so that "
            "a version such as 1.10 is kept as written"
        )
    if kind == "languages":
        if not isinstance(value, str):
            raise _CellError(f"expected language codes such as 'nl, en', got {_describe(value)}")
        return [code for code in re.split(r"[,\s]+", value) if code]
    if kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and _INTEGER.fullmatch(value):
            return int(value)
        raise _CellError(f"expected a whole number, got {_describe(value)}")
    if kind == "number":
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and _NUMBER.fullmatch(value):
            number = int(value) if _INTEGER.fullmatch(value) else float(value)
        else:
            raise _CellError(f"expected a number, got {_describe(value)}")
        if isinstance(number, float) and not math.isfinite(number):
            raise _CellError("expected a finite number")
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str) and value.strip().lower() in _BOOLEANS:
            return _BOOLEANS[value.strip().lower()]
        raise _CellError(f"expected TRUE or FALSE, got {_describe(value)}")
    raise AssertionError(kind)  # pragma: no cover


_BOOLEANS = {"true": True, "false": False, "yes": True, "no": False, "ja": True, "nee": False}


@dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # field -> value, texts merged

    def origin(self, column: str | None = None) -> Origin:
        return Origin(self.sheet, self.number, column)

    def get(self, name: str) -> Any:
        return self.values.get(name)


class Reader:
    """Reads the sheets' cells into rows, collecting every problem it meets."""

    def __init__(self) -> None:
        self.problems: list[SheetProblem] = []
        self.letters: dict[tuple[str, str], str] = {}  # (sheet, header) -> column letter
        self.headers: dict[str, set[str]] = {}

    def problem(
        self, message: str, sheet: str, row: int | None = None, column: str | None = None
    ) -> None:
        letter = self.letters.get((sheet, column)) if column is not None else None
        self.problems.append(SheetProblem(message, sheet, row, column, letter))

    def at(self, message: str, sheet: str, row: int, letter: str) -> None:
        self.problems.append(SheetProblem(message, sheet, row, None, letter))

    def header(
        self, name: str, cells: tuple[object, ...]
    ) -> dict[int, tuple[str, Field, str | None]] | None:
        """Column index -> (header, field, language), from the sheet's first row."""
        fields = {item.name: item for item in FIELDS[name]}
        columns: dict[int, tuple[str, Field, str | None]] = {}
        seen: dict[str, str] = {}
        ok = True
        for index, cell in enumerate(cells):
            letter = get_column_letter(index + 1)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            if not isinstance(cell, str):
                self.at(f"a column header must be text, not {_describe(cell)}", name, 1, letter)
                ok = False
                continue
            header = cell.strip()
            base, colon, language = header.partition(":")
            item = fields.get(base)
            if item is None or (item.kind == "text") != bool(colon):
                self.at(f"unknown column '{header}'{_suggest(name, header)}", name, 1, letter)
                ok = False
            elif colon and not _LANGUAGE.fullmatch(language):
                message = f"invalid language code {language!r} in column '{header}'"
                self.at(message + ": use a code such as nl or en", name, 1, letter)
                ok = False
            elif header in seen:
                message = f"column '{header}' appears twice (first in column {seen[header]})"
                self.at(message, name, 1, letter)
                ok = False
            else:
                seen[header] = letter
                self.letters[(name, header)] = letter
                columns[index] = (header, item, language or None)
        self.headers[name] = set(seen)
        for item in FIELDS[name]:
            if item.column_required and item.kind != "text" and item.name not in seen:
                self.problem(f"missing column '{item.name}'", name)
                ok = False
        return columns if ok else None

    def require_texts(self, name: str, languages: list[str]) -> bool:
        """Every required text of the sheet has a column for every model language."""
        ok = True
        for item in FIELDS[name]:
            if item.kind != "text" or not item.column_required:
                continue
            for language in languages:
                header = f"{item.name}:{language}"
                if header not in self.headers.get(name, set()):
                    message = f"missing column '{header}' (the model's languages are "
                    self.problem(message + f"{', '.join(languages)})", name)
                    ok = False
        return ok

    def rows(self, name: str, sheet: Any) -> list[Row] | None:
        """The sheet's data rows, each cell checked; None if the header is wrong."""
        iterator = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        first: tuple[object, ...] = next(iterator, ())
        columns = self.header(name, first)
        if columns is None:
            return None
        result: list[Row] = []
        for number, cells in enumerate(iterator, start=2):
            if number > MAX_ROWS + 1:
                self.problem(f"more than {MAX_ROWS} rows, far more than a model has", name)
                return None
            if all(_empty(cell) for cell in cells):
                continue
            row = Row(name, number)
            failed: set[str] = set()
            for index, cell in enumerate(cells):
                if cell is None or cell == "":
                    continue
                if index not in columns:
                    if not _empty(cell):
                        message = "a value in a column without a header"
                        self.at(message, name, number, get_column_letter(index + 1))
                    continue
                header, item, language = columns[index]
                try:
                    value = _convert(item.kind, cell)
                except _CellError as error:
                    self.problem(str(error), name, number, header)
                    failed.add(item.name)
                    continue
                if language is None:
                    row.values[item.name] = value
                else:
                    row.values.setdefault(item.name, {})[language] = value
            for item in FIELDS[name]:
                if item.value_required and item.name not in {*row.values, *failed}:
                    self.problem("missing value", name, number, item.name)
            result.append(row)
        return result


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _suggest(sheet: str, header: str) -> str:
    names = [item.name for item in FIELDS[sheet]]
    base = header.partition(":")[0]
    texts = [item.name for item in FIELDS[sheet] if item.kind == "text"]
    if base in texts:
        return f" (a text has one column per language, such as '{base}:en')"
    close = difflib.get_close_matches(base, names, n=1)
    if not close:
        return f" (the columns of this sheet: {', '.join(names)})"
    suggestion = close[0] + (header[len(base) :] if close[0] in texts else "")
    return f" (did you mean '{suggestion}'?)"


# Opening the workbook


def _check_zip(data: bytes, max_bytes: int) -> SheetProblem | None:
    if len(data) > max_bytes:
        return SheetProblem(f"the file is {len(data)} bytes, over the limit of {max_bytes} bytes")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return SheetProblem(
            "not an XLSX workbook (an .xlsx file as saved by Excel, LibreOffice or similar)"
        )
    if "[Content_Types].xml" not in names:
        return SheetProblem("not an XLSX workbook: a zip file, but not a spreadsheet")
    if unpacked > max_bytes * UNPACK_RATIO:
        return SheetProblem("the workbook unpacks to far more than a model needs; refused")
    return None


def read_workbook(data: bytes, max_bytes: int, reader: Reader) -> dict[str, list[Row]]:
    """The rows of every sheet; problems go to the reader (then the result is incomplete)."""
    bad = _check_zip(data, max_bytes)
    if bad is not None:
        reader.problems.append(bad)
        return {}
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        reader.problems.append(SheetProblem(f"not a readable XLSX workbook ({_reason(error)})"))
        return {}
    tables: dict[str, list[Row]] = {}
    try:
        missing = [name for name in SHEETS if name not in workbook.sheetnames]
        if missing:
            found = ", ".join(f"'{name}'" for name in workbook.sheetnames) or "none"
            names = ", ".join(f"'{name}'" for name in missing)
            plural = "s" if len(missing) > 1 else ""
            reader.problems.append(SheetProblem(f"missing sheet{plural} {names} (found: {found})"))
            return {}
        for name in SHEETS:
            sheet = workbook[name]
            if not hasattr(sheet, "iter_rows"):
                reader.problem("not a sheet of cells (a chart?)", name)
                continue
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()  # the size a file claims for a sheet may be a lie
            rows = reader.rows(name, sheet)
            if rows is not None:
                tables[name] = rows
    except Exception as error:  # a damaged sheet shows only while it is read
        reader.problems.append(SheetProblem(f"not a readable XLSX workbook ({_reason(error)})"))
        return {}
    finally:
        workbook.close()
    return tables


def _reason(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {text[:80]}" if text else type(error).__name__


def model_languages(tables: dict[str, list[Row]], reader: Reader) -> list[str] | None:
    """The languages of the model sheet's one row; None (with a problem) if they are wrong."""
    rows = tables.get("model")
    if rows is None:
        return None
    if len(rows) != 1:
        message = "the model sheet needs exactly one row below its header, found"
        reader.problem(f"{message} {len(rows)}", "model")
        return None
    languages = rows[0].get("languages")
    if not isinstance(languages, list) or not languages:
        return None  # reported as a missing value or a wrong type
    for code in languages:
        if not _LANGUAGE.fullmatch(code):
            message = f"invalid language code {code!r}: use a code such as nl or en"
            reader.problem(message, "model", rows[0].number, "languages")
            return None
    return list(dict.fromkeys(languages))
