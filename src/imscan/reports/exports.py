"""A scan's answers and scores as CSV or XLSX: pure functions over the scan's data.

Only finished respondents count. A guided scan can be exported once it is closed, with the
anonymity threshold of the team result page applied (engine `visible_groups`): a group whose
figures the page would not show is not named (its respondents' group column is empty), and
respondents are numbered in an order that does not give their group away. Every text cell
that a spreadsheet would take for a formula is neutralised. See docs/exports.md.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import (
    MaturityModel,
    RespondentAnswers,
    ScoreResult,
    score,
    score_many,
    tr,
    visible_groups,
)
from imscan.reports.selectors import NO_GROUP, group_key
from imscan.reports.xlsx import Cell, Encoded, Piece, number_text, write_xlsx
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
_DECIMALS = 4

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
    """A header and rows of cells. Each row is given as pieces that rows may share: the
    answers repeat a statement's cells (part, id, text, value, label) on every
    respondent's rows and a respondent's cells on every statement's, so a row is two
    shared pieces, and the writers encode each distinct piece once."""

    header: list[str]
    pieces: list[tuple[Piece, ...]]

    @classmethod
    def of(cls, header: list[str], rows: Iterable[Sequence[Cell]]) -> Table:
        """A table of plain rows (each row one piece)."""
        return cls(header, [(tuple(row),) for row in rows])

    @property
    def rows(self) -> list[list[Cell]]:
        return [[cell for piece in row for cell in piece] for row in self.pieces]


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
    team: bool  # a guided scan


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


@dataclass(frozen=True)
class _Finished:
    """A scan's finished respondents: their answers and group keys, by respondent id."""

    model: MaturityModel
    answers: dict[int, dict[str, float | None]]
    groups: dict[int, str]

    def respondents(self) -> list[RespondentAnswers]:
        return [RespondentAnswers(self.groups[pk], self.answers[pk]) for pk in sorted(self.answers)]


def _finished(scan: Scan) -> _Finished:
    """Every finished respondent's answers in one query; or ExportUnavailable."""
    rows = (
        Respondent.objects.filter(scan=scan, finished_at__isnull=False)
        .values_list("id", "group_id", "answers__statement_id", "answers__value")
        .order_by()
    )
    answers: dict[int, dict[str, float | None]] = {}
    groups: dict[int, str] = {}
    for respondent_id, group_id, statement_id, value in rows:
        given = answers.get(respondent_id)
        if given is None:
            given = answers[respondent_id] = {}
            groups[respondent_id] = group_key(group_id)
        if statement_id is not None:
            given[statement_id] = value
    if not answers:
        raise ExportUnavailable(_("Nobody has finished this scan yet."))
    if scan.kind != Scan.Kind.SELF and not scan.is_closed():
        raise ExportUnavailable(_("A guided scan can be exported once it is closed."))
    return _Finished(engine_model(scan.model_version), answers, groups)


def _below_threshold(threshold: int) -> ExportUnavailable:
    return ExportUnavailable(
        _("Fewer respondents finished than the anonymity threshold of %(n)d.") % {"n": threshold}
    )


def _load(scan: Scan) -> _Data:
    """The finished respondents as they may be exported; or ExportUnavailable. The
    anonymity rules are the team result page's (engine `visible_groups`)."""
    found = _finished(scan)
    answers, groups_of = found.answers, found.groups
    if scan.kind == Scan.Kind.SELF:
        # One respondent (the first to finish, should there ever be more).
        first = min(answers)
        return _Data(found.model, [_Respondent(1, "", answers[first])], team=False)

    threshold = max(1, scan.result_threshold)
    if len(answers) < threshold:
        raise _below_threshold(threshold)
    names = dict(
        RespondentGroup.objects.filter(scan=scan)
        .order_by("position", "pk")
        .values_list("id", "name")
    )
    sizes: dict[str, int] = {}
    for key in groups_of.values():
        sizes[key] = sizes.get(key, 0) + 1
    order = [str(pk) for pk in names if str(pk) in sizes]
    order += sorted(key for key in sizes if key not in order)
    shown_order, _small, _protecting = visible_groups(sizes, threshold, order)
    position = {key: index for index, key in enumerate(shown_order)}

    def sort_key(pk: int) -> tuple[int, str]:
        key = groups_of[pk]
        # Shown groups in the scan's order; every respondent whose group is not shown
        # together at the end, shuffled, so no block of rows marks a small group.
        return (position.get(key, len(position)), _shuffle_key(scan, pk))

    people = []
    for number, pk in enumerate(sorted(answers, key=sort_key), start=1):
        key = groups_of[pk]
        name = names.get(int(key), "") if key != NO_GROUP and key in position else ""
        people.append(_Respondent(number, name, answers[pk]))
    return _Data(found.model, people, team=True)


def _result(scan: Scan) -> tuple[MaturityModel, ScoreResult, bool]:
    """The scan's (team) result, as the scores export shows it; or ExportUnavailable."""
    found = _finished(scan)
    if scan.kind == Scan.Kind.SELF:
        return found.model, score(found.model, found.answers[min(found.answers)]), False
    threshold = max(1, scan.result_threshold)
    if len(found.answers) < threshold:
        raise _below_threshold(threshold)
    return found.model, score_many(found.model, found.respondents()), True


# The key of "not answered" among a statement's answer pieces (None is "don't know").
_UNANSWERED = float("-inf")


def _off_scale(answers: dict[float | None, Piece], value: float | None) -> Piece:
    """A value between the scale's options (never stored today): shown without a label."""
    fixed = answers[_UNANSWERED][:3]
    return (*fixed, _number(value), "")


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
    # Per statement the pieces of every possible answer: its part, id and text with the
    # value and label, worked out once; a row is the respondent's piece and one of these.
    statements: list[tuple[str, dict[float | None, Piece]]] = []
    for part in model.parts():
        for statement in part.statements or ():
            scale = model.scale_of(statement.id)
            na = scale.not_applicable_option
            fixed = (tr(part.title, lang), statement.id, tr(statement.text, lang))
            answers: dict[float | None, Piece] = {
                option.value: (*fixed, _number(option.value), tr(option.label, lang))
                for option in scale.options
                if option.value is not None
            }
            answers[None] = (*fixed, None, tr(na.label, lang) if na is not None else dont_know)
            answers[_UNANSWERED] = (*fixed, None, None)
            statements.append((statement.id, answers))
    pieces: list[tuple[Piece, ...]] = []
    for person in data.respondents:
        given = person.answers
        who: Piece = (person.number, person.group)
        pieces += [
            (who, answers.get(given.get(sid, _UNANSWERED)) or _off_scale(answers, given[sid]))
            for sid, answers in statements
        ]
    return Table(header, pieces)


def scores_table(scan: Scan, lang: str) -> Table:
    """The whole model's score first (id empty), then one row per node in model order."""
    model, result, team = _result(scan)
    with translation.override(lang):
        header = [_("id"), _("title"), _("score"), _("level"), _("level name")]
        if team:
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
    if team:
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
        if team:
            spread = node_score.spread
            row += (
                [spread.n, _number(spread.sd), _number(spread.min), _number(spread.max)]
                if spread is not None
                else [None] * 4
            )
        rows.append(row)
    return Table.of(header, rows)


def records(table: Table, fields: tuple[str, ...]) -> list[dict[str, Cell]]:
    """The table's rows as JSON objects; a self-scan's scores have no spread columns."""
    return [dict(zip(fields[: len(row)], row, strict=True)) for row in table.rows]


def _csv_field(cell: Cell) -> str:
    """One cell as the csv module writes it (quoted where needed), formulas neutralised."""
    if cell is None or cell == "":
        return ""
    if not isinstance(cell, str):
        return number_text(cell)
    out = io.StringIO()
    csv.writer(out).writerow([neutralise(cell)])
    return out.getvalue().removesuffix("\r\n")


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads the accents), comma-separated, CRLF.

    Each distinct cell and each distinct piece of a row is encoded once, and the lines are
    joined from those strings."""
    fields = Encoded(_csv_field)
    pieces = Encoded(lambda piece: ",".join(map(fields.__getitem__, piece)))
    lines = [pieces[tuple(table.header)]]
    lines += [",".join(map(pieces.__getitem__, row)) for row in table.pieces]
    lines.append("")
    return "\r\n".join(lines).encode("utf-8-sig")


def to_xlsx(table: Table, sheet_title: str) -> bytes:
    return write_xlsx(table.header, table.pieces, _sheet_title(sheet_title), neutralise)


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
