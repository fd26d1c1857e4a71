"""The spreadsheet commands' work, as plain functions: `imscan export_xlsx` and
`imscan import_xlsx` parse their arguments and call these."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from imscan.authoring.xlsx import MAX_BYTES, WorkbookError, model_to_xlsx, xlsx_to_model
from imscan.engine import validate_path


class Output(Protocol):
    def write(self, text: str, /) -> object: ...


def _write_atomically(path: Path, data: bytes) -> None:
    """Write the whole file or nothing: a half-written model file must never be left."""
    directory = path.parent if str(path.parent) else Path()
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def export_main(model_path: str, output_path: str, out: Output, err: Output) -> int:
    """Write a model file as a workbook; 1 (problems on err) if the model is invalid."""
    problems = validate_path(model_path)
    if problems:
        for problem in problems:
            err.write(f"{problem}\n")
        return 1
    source = Path(model_path).read_text(encoding="utf-8-sig")
    try:
        data = model_to_xlsx(source)
    except WorkbookError as error:
        for sheet_problem in error.problems:
            err.write(f"{model_path}: {sheet_problem}\n")
        return 1
    try:
        _write_atomically(Path(output_path), data)
    except OSError as error:
        err.write(f"{output_path}: cannot write the file: {error.strerror or error}\n")
        return 1
    out.write(f"{output_path}: written from {model_path}\n")
    return 0


def import_main(
    xlsx_path: str, output_path: str, out: Output, err: Output, *, max_bytes: int = MAX_BYTES
) -> int:
    """Write a workbook as a model file; 1 (problems on err, nothing written) if it is bad."""
    path = Path(xlsx_path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            err.write(
                f"{xlsx_path}: the file is {size} bytes, over the limit of {max_bytes} bytes\n"
            )
            return 1
        data = path.read_bytes()
    except OSError as error:
        err.write(f"{xlsx_path}: cannot read the file: {error.strerror or error}\n")
        return 1
    try:
        text = xlsx_to_model(data, max_bytes=max_bytes)
    except WorkbookError as error:
        for problem in error.problems:
            err.write(f"{xlsx_path}: {problem}\n")
        return 1
    try:
        _write_atomically(Path(output_path), text.encode("utf-8"))
    except OSError as error:
        err.write(f"{output_path}: cannot write the file: {error.strerror or error}\n")
        return 1
    out.write(f"{output_path}: written from {xlsx_path}\n")
    return 0
