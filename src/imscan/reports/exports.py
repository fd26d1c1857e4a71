"""A scan's answers and scores as CSV or XLSX: pure functions over the scan's data.

Only finished respondents count. A guided scan can be exported once it is closed, with the
anonymity threshold of the team result page applied (engine `team_report`): a group whose
figures the page would not show is not named (its respondents' group column is empty), and
respondents are numbered in an order that does not give their group away. Every text cell
that a spreadsheet would take for a formula is neutralised. See docs/exports.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, RespondentAnswers, ScoreResult, score, team_report, tr
from imscan.reports.selectors import NO_GROUP, group_key
from imscan.scans.models import Respondent, RespondentGroup, Scan

KINDS = ("answers", "scores", "report")
FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# A cell beginning with one of these is taken for a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# Control characters an XLSX file cannot hold (openpyxl refuses them).
_ILLEGAL_XML = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
_DECIMALS = 4

Cell = str | int | float | None
# The columns of the tables below as JSON keys, in column order (the API's JSON exports).
ANSWER_FIELDS = ("respondent", "group", "part", "statement_id", "statement", "value", "answer")
SCORE_FIELDS = (
    "id",
    "title",
    "score",
    "level",
    "level_name",
    "respondents",
    "standard_deviation",
    "lowest",
    "highest",
)


class ExportUnavailable(Exception):
    """The scan cannot be exported (yet): the message says why, for the user."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[Cell]]


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    filename: str
    content_type: str


@dataclass(frozen=True)
class _Respondent:
    number: int
    group: str  # the group's name, or "" when it may not be shown
    answers: dict[str, float | None]


@dataclass(frozen=True)
class _Data:
    model: MaturityModel
    respondents: list[_Respondent]
    result: ScoreResult
    team: bool  # a guided scan: spread columns


def neutralise(value: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _number(value: float | None) -> int | float | None:
    if value is None:
        return None
    value = round(value, _DECIMALS)
    return int(value) if value.is_integer() else value


def _shuffle_key(scan: Scan, respondent_id: int) -> str:
    # A fixed order that says nothing about when someone answered or was invited.
    return hashlib.sha256(f"{scan.public_id}:{respondent_id}".encode()).hexdigest()


def _load(scan: Scan) -> _Data:
    """The finished respondents as they may be exported, and the result; or
    ExportUnavailable."""
    model = engine_model(scan.model_version)
    rows = (
        Respondent.objects.filter(scan=scan, finished_at__isnull=False)
        .values_list("id", "group_id", "answers__statement_id", "answers__value")
        .order_by()
    )
    answers: dict[int, dict[str, float | None]] = {}
    groups_of: dict[int, str] = {}
    for respondent_id, group_id, statement_id, value in rows:
        given = answers.setdefault(respondent_id, {})
        groups_of[respondent_id] = group_key(group_id)
        if statement_id is not None:
            given[statement_id] = value
    if not answers:
        raise ExportUnavailable(_("Nobody has finished this scan yet."))
    if scan.kind == Scan.Kind.SELF:
        # One respondent (the first to finish, should there ever be more).
        first = min(answers)
        result = score(model, answers[first])
        return _Data(model, [_Respondent(1, "", answers[first])], result, team=False)

    if not scan.is_closed():
        raise ExportUnavailable(_("A guided scan can be exported once it is closed."))
    names = dict(
        RespondentGroup.objects.filter(scan=scan)
        .order_by("position", "pk")
        .values_list("id", "name")
    )
    order = [str(pk) for pk in names]
    report = team_report(
        model,
        [RespondentAnswers(groups_of[pk], answers[pk]) for pk in sorted(answers)],
        threshold=scan.result_threshold,
        group_order=order,
    )
    if report.team is None:
        raise ExportUnavailable(
            _("Fewer respondents finished than the anonymity threshold of %(n)d.")
            % {"n": report.threshold}
        )
    shown = set(report.shown)
    position = {key: index for index, key in enumerate(report.shown)}

    def sort_key(pk: int) -> tuple[int, str]:
        key = groups_of[pk]
        # Shown groups in the scan's order; every respondent whose group is not shown
        # together at the end, shuffled, so no block of rows marks a small group.
        return (position.get(key, len(position)), _shuffle_key(scan, pk))

    people = []
    for number, pk in enumerate(sorted(answers, key=sort_key), start=1):
        key = groups_of[pk]
        name = names.get(int(key), "") if key != NO_GROUP and key in shown else ""
        people.append(_Respondent(number, name, answers[pk]))
    return _Data(model, people, report.team, team=True)


def answers_table(scan: Scan, lang: str) -> Table:
    """One row per finished respondent per statement of the model, in model order."""
    data = _load(scan)
    model = data.model
    with translation.override(lang):
        header = [
            _("respondent"),
            _("group"),
            _("part"),
            _("statement id"),
            _("statement"),
            _("value"),
            _("answer"),
        ]
        dont_know = _("don't know")
    statements = []
    for part in model.parts():
        for statement in part.statements or ():
            scale = model.scale_of(statement.id)
            labels = {o.value: tr(o.label, lang) for o in scale.options if o.value is not None}
            na = scale.not_applicable_option
            statements.append(
                (
                    tr(part.title, lang),
                    statement.id,
                    tr(statement.text, lang),
                    labels,
                    tr(na.label, lang) if na is not None else dont_know,
                )
            )
    rows: list[list[Cell]] = []
    for person in data.respondents:
        for part_title, sid, text, labels, na_label in statements:
            row: list[Cell] = [person.number, person.group, part_title, sid, text]
            if sid not in person.answers:
                row += [None, None]
            elif (value := person.answers[sid]) is None:
                row += [None, na_label]
            else:
                row += [_number(value), labels.get(value, "")]
            rows.append(row)
    return Table(header, rows)


def scores_table(scan: Scan, lang: str) -> Table:
    """The whole model's score first (id empty), then one row per node in model order."""
    data = _load(scan)
    model, result = data.model, data.result
    with translation.override(lang):
        header = [_("id"), _("title"), _("score"), _("level"), _("level name")]
        if data.team:
            header += [_("respondents (n)"), _("standard deviation"), _("lowest"), _("highest")]
        overall_title = _("overall")

    def level_name(level: int | None) -> str:
        return tr(model.level(level).name, lang) if level is not None else ""

    rows: list[list[Cell]] = [
        [
            "",
            overall_title,
            _number(result.overall.score),
            result.overall.level,
            level_name(result.overall.level),
        ]
    ]
    if data.team:
        rows[0] += [result.respondents, None, None, None]
    for node in model.nodes():
        node_score = result.nodes[node.id]
        row: list[Cell] = [
            node.id,
            tr(node.title, lang),
            _number(node_score.score),
            node_score.level,
            level_name(node_score.level),
        ]
        if data.team:
            spread = node_score.spread
            row += (
                [spread.n, _number(spread.sd), _number(spread.min), _number(spread.max)]
                if spread is not None
                else [None] * 4
            )
        rows.append(row)
    return Table(header, rows)


def records(table: Table, fields: tuple[str, ...]) -> list[dict[str, Cell]]:
    """The table's rows as JSON objects; a self-scan's scores have no spread columns."""
    return [dict(zip(fields[: len(row)], row, strict=True)) for row in table.rows]


def _text(cell: Cell) -> Cell:
    return neutralise(cell) if isinstance(cell, str) else cell


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads the accents), comma-separated, CRLF."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_text(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow(["" if cell is None else _text(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table, sheet_title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(sheet_title))

    def clean(cell: Cell) -> Cell:
        if isinstance(cell, str):
            return neutralise(_ILLEGAL_XML.sub("", cell))
        return cell

    sheet.append([clean(cell) for cell in table.header])
    for row in table.rows:
        sheet.append([clean(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "", title)[:31] or "export"


def supported(kind: str, fmt: str) -> bool:
    """The report comes as PDF only, the tables as CSV or XLSX only."""
    return kind in KINDS and fmt in FORMATS and (kind == "report") == (fmt == "pdf")


def export_file(scan: Scan, kind: str, fmt: str, lang: str) -> ExportFile:
    """The file to download or write; ValueError for an unknown kind or format,
    ExportUnavailable when the scan cannot be exported."""
    if kind not in KINDS:
        raise ValueError(f"unknown export kind {kind!r}")
    if fmt not in FORMATS or not supported(kind, fmt):
        raise ValueError(f"unknown export format {fmt!r}")
    filename = f"imscan-{scan.public_id}-{kind}-{lang}.{fmt}"
    if kind == "report":
        from imscan.reports.pdf import report_pdf  # WeasyPrint only when a PDF is asked for

        return ExportFile(report_pdf(scan, lang), filename, CONTENT_TYPES[fmt])
    table = answers_table(scan, lang) if kind == "answers" else scores_table(scan, lang)
    if fmt == "csv":
        content = to_csv(table)
    else:
        with translation.override(lang):
            sheet = _("answers") if kind == "answers" else _("scores")
        content = to_xlsx(table, sheet)
    return ExportFile(content, filename, CONTENT_TYPES[fmt])
