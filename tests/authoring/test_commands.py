"""`imscan diff`, `imscan export_xlsx` and `imscan import_xlsx` as management commands."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from imscan.engine import load_model_path

from ..conftest import SHIPPED_MODELS

IMS = SHIPPED_MODELS / "ims-gov.yaml"
STATUS = SHIPPED_MODELS / "project-status.yaml"


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


def test_diff_identical_and_different() -> None:
    assert run("diff", str(IMS), str(IMS)) == (
        0,
        "ims-gov 1.0 and ims-gov 1.0 are identical: every score is comparable.\n",
        "",
    )
    code, out, err = run("diff", str(IMS), str(STATUS))
    assert (code, err) == (1, "")
    assert out.startswith("ims-gov 1.0 -> project-status 1.0: ")
    code, out, _ = run("diff", "--json", str(IMS), str(STATUS))
    assert code == 1 and json.loads(out)["identical"] is False


def test_diff_bad_file(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(IMS.read_text(encoding="utf-8").replace("scale: agree5", "scale: x", 1))
    code, out, err = run("diff", str(IMS), str(broken))
    assert (code, out) == (2, "")
    assert err.startswith(f"{broken}:") and "unknown scale 'x'" in err


@pytest.mark.parametrize("model", [IMS, STATUS], ids=lambda path: path.stem)
def test_export_then_import(tmp_path: Path, model: Path) -> None:
    workbook, back = tmp_path / "model.xlsx", tmp_path / "back.yaml"
    assert run("export_xlsx", str(model), "--output", str(workbook)) == (
        0,
        f"{workbook}: written from {model}\n",
        "",
    )
    assert run("import_xlsx", str(workbook), "--output", str(back)) == (
        0,
        f"{back}: written from {workbook}\n",
        "",
    )
    assert load_model_path(back) == load_model_path(model)
    assert run("diff", str(model), str(back))[0] == 0


def test_export_an_invalid_model(tmp_path: Path) -> None:
    code, out, err = run("export_xlsx", "/nonexistent.yaml", "--output", str(tmp_path / "x.xlsx"))
    assert (code, out) == (1, "")
    assert err.startswith("/nonexistent.yaml:1:1: cannot read the file")
    assert not (tmp_path / "x.xlsx").exists()


def test_import_problems_write_nothing(tmp_path: Path) -> None:
    source = tmp_path / "notes.xlsx"
    source.write_bytes(b"not a workbook")
    target = tmp_path / "model.yaml"
    code, out, err = run("import_xlsx", str(source), "--output", str(target))
    assert (code, out) == (1, "")
    assert err == (
        f"{source}: not an XLSX workbook (an .xlsx file as saved by Excel, LibreOffice or "
        "similar)\n"
    )
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [source]  # no temporary file left behind


def test_import_size_limit(tmp_path: Path) -> None:
    workbook = tmp_path / "model.xlsx"
    assert run("export_xlsx", str(IMS), "--output", str(workbook))[0] == 0
    size = workbook.stat().st_size
    code, _, err = run(
        "import_xlsx", str(workbook), "--output", str(tmp_path / "m.yaml"), "--max-bytes", "5000"
    )
    assert code == 1
    assert err == f"{workbook}: the file is {size} bytes, over the limit of 5000 bytes\n"


def test_the_authoring_package_needs_no_django() -> None:
    code = (
        "import sys, imscan.authoring, imscan.authoring.cli; "
        "sys.exit(any(m.split('.')[0] == 'django' for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
