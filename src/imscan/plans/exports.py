"""A development plan as CSV or XLSX: one row per action, and a row for each chosen part
without actions, so every part of the plan is there. Free text (what, who) is neutralised
against formula injection by the writers of imscan.reports.exports."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from imscan.plans.presenters import ActionRow, PartInfo, PlanView
from imscan.reports.exports import CONTENT_TYPES, ExportFile, Table, to_csv, to_xlsx
from imscan.reports.xlsx import Cell

FORMATS = ("csv", "xlsx")
_DECIMALS = 2


def _part_cells(info: PartInfo | None) -> list[Cell]:
    if info is None:
        return [None, _("across the board"), None, None]
    score = round(info.score, _DECIMALS) if info.score is not None else None
    return [info.number, info.title, score, info.level]


def _action_cells(row: ActionRow | None) -> list[Cell]:
    if row is None:
        return [None, None, None, None, None]
    action = row.action
    return [
        action.what,
        action.owner or None,
        action.due_date.isoformat() if action.due_date else None,
        row.status_label,
        timezone.localtime(action.updated_at).date().isoformat(),
    ]


def plan_table(view: PlanView, lang: str) -> Table:
    with translation.override(lang):
        header = [
            _("part"),
            _("title"),
            _("score"),
            _("level"),
            _("action"),
            _("who"),
            _("due date"),
            _("status"),
            _("last changed"),
        ]
        rows: list[list[Cell]] = []
        for part in view.parts:
            actions: list[ActionRow | None] = [*part.actions] or [None]
            rows += [_part_cells(part.info) + _action_cells(row) for row in actions]
        rows += [_part_cells(None) + _action_cells(row) for row in view.general]
    return Table.of(header, rows)


def plan_file(view: PlanView, fmt: str, lang: str) -> ExportFile:
    if fmt not in FORMATS:
        raise ValueError(f"unknown plan format {fmt!r}")
    table = plan_table(view, lang)
    filename = f"imscan-plan-{view.plan.public_id}-{lang}.{fmt}"
    if fmt == "csv":
        return ExportFile(to_csv(table), filename, CONTENT_TYPES[fmt])
    with translation.override(lang):
        sheet = _("development plan")
    return ExportFile(to_xlsx(table, sheet), filename, CONTENT_TYPES[fmt])
