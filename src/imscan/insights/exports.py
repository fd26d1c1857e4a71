"""Downloads of published figures: the dashboard as CSV. Every cell goes out exactly as
the page shows it (withheld cells empty, marked "withheld"), and text cells are
neutralised against formula injection like every other export."""

from __future__ import annotations

import csv
import io

from imscan.insights.dashboard import Dashboard
from imscan.insights.tables import Table
from imscan.reports.exports import neutralise

DASHBOARD_COLUMNS = [
    "year",
    "model",
    "model_version",
    "table",
    "row",
    "row_label",
    "column",
    "column_label",
    "value",
    "status",
]


def _rows(table: Table) -> list[tuple[str, str, str, str, float | None, str]]:
    out = []
    for row in table.rows:
        for column in table.columns:
            cell = row.cells.get(column.key)
            if cell is None:
                continue
            status = "withheld" if cell.withheld else ("empty" if cell.value is None else "shown")
            out.append((row.key, row.label, column.key, column.label, cell.value, status))
    return out


def dashboard_csv(board: Dashboard) -> bytes:
    """One line per cell of every table, in a long format that spreadsheets and scripts
    read alike; the columns are documented in docs/insights.md."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(DASHBOARD_COLUMNS)
    model = board.version.model_id if board.version else ""
    version = board.version.version if board.version else ""
    for table in board.tables:
        for row_key, row_label, column_key, column_label, value, status in _rows(table):
            writer.writerow(
                [
                    board.year,
                    model,
                    version,
                    table.key,
                    neutralise(row_key),
                    neutralise(row_label),
                    column_key,
                    neutralise(column_label),
                    "" if value is None else value,
                    status,
                ]
            )
    return buffer.getvalue().encode("utf-8")
