"""Helpers for the export tests: run a command, read back CSV and XLSX."""

from __future__ import annotations

import csv
import io

from django.core.management import call_command
from openpyxl import load_workbook

from imscan.catalog.models import ModelVersion
from imscan.scans.models import Scan
from tests.factories import respondent_with_token
from tests.reports.teams import model_of, uniform


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    else:
        code = 0
    return code, out.getvalue(), err.getvalue()


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def xlsx_rows(content: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def self_scan(version: ModelVersion, value: float | None = 4.0, **fields: object) -> Scan:
    scan = Scan.objects.create(model_version=version, kind=Scan.Kind.SELF, language="nl", **fields)
    respondent_with_token(scan, None, uniform(model_of(version), value))
    return scan
