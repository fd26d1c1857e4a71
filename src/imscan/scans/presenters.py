"""Turn a model and a respondent's answers into what the scan's templates show.

Plain functions over the engine's model: no queries, so every page costs the same
number of queries however many answers there are.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imscan.engine import MaturityModel, Node, Statement, tr
from imscan.scans.forms import field_name, field_value
from imscan.scans.guided_selectors import OpeningState, opening_state
from imscan.scans.models import Scan
from imscan.scans.selectors import Page

Answers = dict[str, float | None]


def finished_message() -> str:
    return _("This scan is finished, so its answers can no longer be changed.")


def not_open_message(scan: Scan) -> str:
    """Why a scan takes no answers now: it has closed, or when it opens."""
    if opening_state(scan) == OpeningState.CLOSED:
        return _("This scan has closed, so answers can no longer be given or changed.")
    assert scan.opens_at is not None
    return _("This scan opens on %(date)s. From then on you can answer.") % {
        "date": date_format(timezone.localtime(scan.opens_at), "j F Y, H:i")
    }


@dataclass(frozen=True)
class OptionView:
    value: str
    label: str
    not_applicable: bool


@dataclass(frozen=True)
class StatementView:
    id: str
    field: str
    text: str
    info: str
    options: list[OptionView]


@dataclass(frozen=True)
class PartView:
    id: str
    number: int
    title: str
    description: str
    statements: list[StatementView]


def part_numbers(model: MaturityModel) -> dict[str, int]:
    return {part.id: number for number, part in enumerate(model.parts(), start=1)}


def parts_under(model: MaturityModel, node_id: str) -> list[Node]:
    """The parts (nodes holding statements) in the subtree of a node, in model order."""
    node = model.node(node_id)
    if node.is_part:
        return [node]
    return [part for child in node.children or () for part in parts_under(model, child.id)]


def statement_view(model: MaturityModel, statement: Statement, lang: str) -> StatementView:
    options = [
        OptionView(
            value=field_value(option.value),
            label=tr(option.label, lang),
            not_applicable=bool(option.not_applicable),
        )
        for option in model.scales[statement.scale].options
    ]
    return StatementView(
        id=statement.id,
        field=field_name(statement.id),
        text=tr(statement.text, lang),
        info=tr(statement.info, lang),
        options=options,
    )


def part_view(model: MaturityModel, part: Node, number: int, lang: str) -> PartView:
    return PartView(
        id=part.id,
        number=number,
        title=tr(part.title, lang),
        description=tr(part.description, lang) if part.description else "",
        statements=[statement_view(model, s, lang) for s in part.statements or ()],
    )


def answered_in(statement_ids: Iterable[str], answers: Answers) -> int:
    return sum(1 for statement_id in statement_ids if statement_id in answers)


def steps(
    model: MaturityModel, answers: Answers, lang: str, pages: list[Page]
) -> list[dict[str, Any]]:
    return [
        {
            "number": page.number,
            "title": tr(model.node(page.node_id).title, lang),
            "answered": answered_in(page.statement_ids, answers),
            "total": len(page.statement_ids),
        }
        for page in pages
    ]


def totals(model: MaturityModel, answers: Answers) -> dict[str, int]:
    ids = [statement.id for statement in model.statements()]
    return {"answered_count": answered_in(ids, answers), "statement_count": len(ids)}


def progress(
    model: MaturityModel, answers: Answers, lang: str, pages: list[Page]
) -> dict[str, Any]:
    """The answered counts shown beside the questions."""
    return {"steps": steps(model, answers, lang, pages), **totals(model, answers)}


def saved(
    model: MaturityModel, answers: Answers, pages: list[Page], page: int | None
) -> dict[str, Any]:
    """The counts an autosave refreshes: the whole scan's, and its page's step."""
    step = None
    if page is not None and 1 <= page <= len(pages):
        ids = pages[page - 1].statement_ids
        step = {"number": page, "answered": answered_in(ids, answers), "total": len(ids)}
    return {"step": step, **totals(model, answers)}


def overview(
    model: MaturityModel, answers: Answers, lang: str, pages: list[Page]
) -> dict[str, Any]:
    first_open = next(
        (page.number for page in pages if any(sid not in answers for sid in page.statement_ids)),
        1,
    )
    return {
        "model": model,
        "steps": steps(model, answers, lang, pages),
        "continue_page": first_open,
        **totals(model, answers),
    }


def page_statements(
    model: MaturityModel, lang: str, pages: list[Page], number: int
) -> dict[str, Any]:
    """The parts and statements of one page, without anyone's answers (see rendering.py)."""
    numbers = part_numbers(model)
    return {
        "page": pages[number - 1],
        "part_count": len(numbers),
        "parts": [
            part_view(model, part, numbers[part.id], lang)
            for part in parts_under(model, pages[number - 1].node_id)
        ],
    }


def question_page(
    model: MaturityModel, answers: Answers, lang: str, pages: list[Page], number: int
) -> dict[str, Any]:
    page = pages[number - 1]
    return {
        "model": model,
        "page": page,
        "page_title": tr(model.node(page.node_id).title, lang),
        "page_count": len(pages),
        "is_last": number == len(pages),
        **progress(model, answers, lang, pages),
    }


def page_number(raw: str | None) -> int | None:
    """The page an autosave came from, to refresh its step's count; None if unknown."""
    return int(raw) if raw and raw.isdigit() else None


def page_after(go: str, number: int, page_count: int) -> int | None:
    """Where the page's buttons lead: None means the review before finishing."""
    if go == "previous":
        return max(number - 1, 1)
    if go == "stay":
        return number
    if go == "review" or number >= page_count:
        return None
    return number + 1


def review(model: MaturityModel, answers: Answers, lang: str, pages: list[Page]) -> dict[str, Any]:
    numbers = part_numbers(model)
    page_of_part = {
        part.id: page.number for page in pages for part in parts_under(model, page.node_id)
    }
    unanswered = []
    for part in model.parts():
        missing = [tr(s.text, lang) for s in part.statements or () if s.id not in answers]
        if missing:
            unanswered.append(
                {
                    "id": part.id,
                    "number": numbers[part.id],
                    "title": tr(part.title, lang),
                    "page": page_of_part[part.id],
                    "statements": missing,
                }
            )
    dont_know = sum(1 for value in answers.values() if value is None)
    return {
        "model": model,
        "unanswered_parts": unanswered,
        "dont_know_count": dont_know,
        "steps": steps(model, answers, lang, pages),
        **totals(model, answers),
    }
