"""Bad workbooks give clear problems at their sheet, row and column; never a trace."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from imscan.authoring import WorkbookError, model_to_xlsx, xlsx_to_model
from imscan.authoring.xlsx import SHEETS, SheetProblem
from imscan.engine import ModelValidationError

MODELS = Path(__file__).resolve().parents[1] / "engine" / "models"
SOURCE = (MODELS / "mean-bands.yaml").read_text(encoding="utf-8")
WORKBOOK = model_to_xlsx(SOURCE)


def edited(change: Callable[[Workbook], object], data: bytes = WORKBOOK) -> bytes:
    workbook = load_workbook(io.BytesIO(data))
    change(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def problems(data: bytes, **options: int) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        xlsx_to_model(data, **options)
    assert str(caught.value) == "\n".join(str(p) for p in caught.value.problems)
    return [str(problem) for problem in caught.value.problems]


def row_of(sheet: Worksheet, value: str, column: int = 1) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row=row, column=column).value == value:
            return row
    raise LookupError(value)


def column_of(sheet: Worksheet, header: str) -> int:
    return next(cell.column for cell in sheet[1] if cell.value == header)


def set_cell(sheet: str, key: str, header: str, value: object) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        ws = workbook[sheet]
        ws.cell(row=row_of(ws, key), column=column_of(ws, header)).value = value

    return change


def test_a_workbook_made_by_the_export_imports() -> None:
    assert xlsx_to_model(WORKBOOK).startswith("# A maturity model")


def test_an_invalid_model_is_not_exported() -> None:
    with pytest.raises(ModelValidationError):
        model_to_xlsx("id: broken\n")


def test_a_text_a_spreadsheet_cannot_hold_is_not_exported() -> None:
    source = SOURCE.replace("{nl: Testscan, en: Test scan}", '{nl: Testscan, en: "Test\\rscan"}')
    with pytest.raises(WorkbookError) as caught:
        model_to_xlsx(source)
    assert str(caught.value) == (
        "sheet 'model', row 2, column G (title:en): the text holds a control character "
        "(U+000D) that a spreadsheet cannot keep"
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an XLSX workbook (an .xlsx file as saved by Excel, LibreOffice or similar)"),
        (
            b"id: ims\n",
            "not an XLSX workbook (an .xlsx file as saved by Excel, LibreOffice or similar)",
        ),
        (
            WORKBOOK[: len(WORKBOOK) // 2],
            "not an XLSX workbook (an .xlsx file as saved by Excel, LibreOffice or similar)",
        ),
    ],
    ids=["empty", "yaml", "truncated"],
)
def test_not_a_workbook(data: bytes, message: str) -> None:
    assert problems(data) == [message]


def test_a_zip_that_is_no_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert problems(buffer.getvalue()) == [
        "not an XLSX workbook: a zip file, but not a spreadsheet"
    ]


def test_a_damaged_workbook() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/workbook.xml":
                content = content[:100]
            target.writestr(item, content)
    [message] = problems(buffer.getvalue())
    assert message.startswith("not a readable XLSX workbook (")


def test_the_size_limit() -> None:
    assert problems(WORKBOOK, max_bytes=1000) == [
        f"the file is {len(WORKBOOK)} bytes, over the limit of 1000 bytes"
    ]


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(WORKBOOK)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", b"\0" * 60_000_000)
    assert len(buffer.getvalue()) < 1_000_000
    assert problems(buffer.getvalue()) == [
        "the workbook unpacks to far more than a model needs; refused"
    ]


def test_a_missing_sheet() -> None:
    data = edited(lambda wb: wb.remove(wb["links"]))
    assert problems(data) == [
        "missing sheet 'links' (found: 'model', 'scales', 'levels', 'dimensions', "
        "'statements', 'advice')"
    ]


def test_extra_sheets_are_left_alone() -> None:
    data = edited(lambda wb: wb.create_sheet("notes").append(["anything", 1]))
    assert xlsx_to_model(data) == xlsx_to_model(WORKBOOK)


def test_a_missing_column() -> None:
    def change(workbook: Workbook) -> None:
        ws = workbook["statements"]
        ws.delete_cols(column_of(ws, "scale"))
        ws = workbook["dimensions"]
        ws.delete_cols(column_of(ws, "title:en"))

    assert problems(edited(change)) == [
        "sheet 'statements': missing column 'scale'",
        "sheet 'dimensions': missing column 'title:en' (the model's languages are nl, en)",
    ]


def test_unknown_and_duplicate_columns() -> None:
    def change(workbook: Workbook) -> None:
        ws = workbook["dimensions"]
        ws.cell(row=1, column=column_of(ws, "weight"), value="wieght")
        ws.cell(row=1, column=ws.max_column + 1, value="title")
        ws.cell(row=1, column=ws.max_column + 1, value="title:nl")
        ws.cell(row=1, column=ws.max_column + 1, value="title:Dutch")
        ws.cell(row=1, column=ws.max_column + 1, value="notes")

    assert problems(edited(change)) == [
        "sheet 'dimensions', row 1, column D: unknown column 'wieght' (did you mean 'weight'?)",
        "sheet 'dimensions', row 1, column I: unknown column 'title' (a text has one column "
        "per language, such as 'title:en')",
        "sheet 'dimensions', row 1, column J: column 'title:nl' appears twice (first in column E)",
        "sheet 'dimensions', row 1, column K: invalid language code 'Dutch' in column "
        "'title:Dutch': use a code such as nl or en",
        "sheet 'dimensions', row 1, column L: unknown column 'notes' (the columns of this sheet: "
        "id, parent, order, weight, title, description)",
    ]


def test_wrong_types_in_cells() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-2", "weight", "heavy")(workbook)
        set_cell("statements", "goals-3", "text:en", datetime(2024, 1, 31))(workbook)
        set_cell("levels", 2, "lead_time_min", 1.5)(workbook)  # type: ignore[arg-type]
        set_cell("model", "test-mean-bands", "version", 1.0)(workbook)
        set_cell("scales", "agree5", "not_applicable", "maybe")(workbook)

    assert problems(edited(change)) == [
        "sheet 'model', row 2, column B (version): expected text, got the number 1: format the "
        "cell as text, so that a version such as 1.10 is kept as written",
        "sheet 'scales', row 2, column C (not_applicable): expected TRUE or FALSE, got the text "
        "'maybe'",
        "sheet 'levels', row 3, column F (lead_time_min): expected a whole number, got the "
        "number 1.5",
        "sheet 'statements', row 3, column F (weight): expected a number, got the text 'heavy'",
        "sheet 'statements', row 4, column H (text:en): expected text, got a date or time "
        "(2024-01-31T00:00:00)",
    ]


def test_numbers_typed_as_text_are_numbers() -> None:
    data = edited(set_cell("statements", "goals-3", "weight", " 2.0 "))
    assert xlsx_to_model(data) == xlsx_to_model(WORKBOOK)


def test_missing_values() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-2", "part", None)(workbook)
        set_cell("statements", "goals-3", "id", None)(workbook)

    assert problems(edited(change)) == [
        "sheet 'statements', row 3, column B (part): missing value",
        "sheet 'statements', row 4, column A (id): missing value",
    ]


def test_duplicate_ids() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-2", "id", "goals-1")(workbook)
        set_cell("statements", "people-1", "id", "culture")(workbook)

    assert problems(edited(change)) == [
        "sheet 'statements', row 3, column A (id): duplicate id 'goals-1' (first at row 2)",
        "sheet 'statements', row 7, column A (id): duplicate id 'culture' (first at sheet "
        "'dimensions', row 5)",
    ]


def test_references_that_go_nowhere() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-2", "part", "aims")(workbook)
        set_cell("dimensions", "people", "parent", "cultuur")(workbook)
        set_cell("advice", "commitment", "part", "commitments")(workbook)
        set_cell("links", "goals", "level", 5)(workbook)

    assert problems(edited(change)) == [
        "sheet 'dimensions', row 6, column B (parent): unknown parent 'cultuur': no row of the "
        "dimensions sheet has that id",
        "sheet 'statements', row 3, column B (part): unknown part 'aims': no row of the "
        "dimensions sheet has that id",
        "sheet 'advice', row 6, column A (part): unknown part 'commitments': no row of the "
        "dimensions sheet has that id",
        "sheet 'links', row 2, column B (level): a link for 'goals' at level 5, but no advice "
        "for it on the advice sheet",
        "sheet 'links', row 3, column B (level): a link for 'commitment' at level 1, but no "
        "advice for it on the advice sheet",
    ]


def test_a_cycle_of_parents() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("dimensions", "leadership", "parent", "goals")(workbook)

    assert problems(edited(change)) == [
        "sheet 'dimensions', row 2, column B (parent): 'leadership' is its own ancestor: "
        "leadership > goals > leadership"
    ]


def test_a_duplicate_order() -> None:
    data = edited(set_cell("statements", "goals-2", "order", 1))
    assert problems(data) == [
        "sheet 'statements', row 3, column C (order): duplicate order 1 under the same parent "
        "(first at row 2)"
    ]


def test_rows_are_put_in_order_by_the_order_column() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-3", "order", 1.5)(workbook)

    text = xlsx_to_model(edited(change))
    assert text.index("id: goals-3") < text.index("id: goals-2")


def test_the_model_sheet_has_one_row() -> None:
    def change(workbook: Workbook) -> None:
        workbook["model"].append(["other", "1.0", "nl, en", "mean-bands"])

    assert problems(edited(change)) == [
        "sheet 'model': the model sheet needs exactly one row below its header, found 2"
    ]


def test_a_value_without_a_column() -> None:
    def change(workbook: Workbook) -> None:
        ws = workbook["advice"]
        ws.cell(row=3, column=ws.max_column + 2, value="stray")

    assert problems(edited(change)) == [
        "sheet 'advice', row 3, column F: a value in a column without a header"
    ]


def test_a_new_language_needs_its_columns() -> None:
    data = edited(set_cell("model", "test-mean-bands", "languages", "nl, en, de"))
    found = problems(data)
    assert (
        found[0]
        == "sheet 'model': missing column 'title:de' (the model's languages are nl, en, de)"
    )
    assert (
        "sheet 'statements': missing column 'info:de' (the model's languages are nl, en, de)"
        in found
    )
    assert len(found) == 9  # title, label, name, description, title, text, info, text, title


def test_problems_found_by_the_validator_point_at_cells() -> None:
    def change(workbook: Workbook) -> None:
        set_cell("statements", "goals-2", "scale", "agree7")(workbook)
        set_cell("statements", "people-1", "text:en", None)(workbook)
        set_cell("levels", 3, "band_from", 3.5)(workbook)  # type: ignore[arg-type]
        set_cell("dimensions", "goals", "weight", -1)(workbook)
        set_cell("scales", "agree5", "label:nl", "  ")(workbook)

    assert problems(edited(change)) == [
        "sheet 'scales', row 2, column D (label:nl): label is empty for 'nl'",
        "sheet 'levels', row 5, column H (band_from): band for level 4 starts at 3.4, not "
        "above the band before it (3.5)",
        "sheet 'dimensions', row 3, column D (weight): must be greater than 0",
        "sheet 'statements', row 3, column D (scale): unknown scale 'agree7' (known: agree5)",
        "sheet 'statements', row 7, column H (text:en): missing translation 'en' in text",
    ]


def test_a_formula_is_never_evaluated() -> None:
    # A formula's stored result is read (none here: openpyxl does not calculate), never
    # the formula itself.
    data = edited(set_cell("dimensions", "goals", "title:en", "=UPPER(F2)"))
    assert problems(data) == [
        "sheet 'dimensions', row 3, column F (title:en): missing translation 'en' in title"
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_damaged_bytes_never_raise_anything_else(data: st.DataObject) -> None:
    raw = bytearray(WORKBOOK)
    for _ in range(data.draw(st.integers(1, 8))):
        position = data.draw(st.integers(0, len(raw) - 1))
        raw[position] = data.draw(st.integers(0, 255))
    try:
        xlsx_to_model(bytes(raw))
    except WorkbookError as error:
        assert error.problems and all(isinstance(p, SheetProblem) for p in error.problems)


def patched(sheet: str, far_cell: bytes) -> bytes:
    """The workbook with a sheet that claims the largest size there is, plus a cell."""
    number = SHEETS.index(sheet) + 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == f"xl/worksheets/sheet{number}.xml":
                content, count = re.subn(
                    rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content
                )
                assert count == 1
                content = content.replace(b"</sheetData>", far_cell + b"</sheetData>")
            target.writestr(item, content)
    return buffer.getvalue()


def test_a_sheet_that_claims_to_be_huge() -> None:
    # Only what is there is read: columns up to the hundredth, rows up to a limit.
    far_right = b'<row r="60"><c r="XFD60" t="inlineStr"><is><t>x</t></is></c></row>'
    assert xlsx_to_model(patched("advice", far_right)) == xlsx_to_model(WORKBOOK)
    far_down = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    assert problems(patched("advice", far_down)) == [
        "sheet 'advice': more than 20000 rows, far more than a model has"
    ]


def test_a_tree_too_deep() -> None:
    def change(workbook: Workbook) -> None:
        ws = workbook["dimensions"]
        parent = "goals"
        for depth in range(50):
            ws.append([f"deep-{depth}", parent, 1, 1, "D", "D"])
            parent = f"deep-{depth}"

    [message] = problems(edited(change))
    assert message.startswith("sheet 'dimensions', row ")
    assert message.endswith(", column B (parent): the tree is more than 45 levels deep")
