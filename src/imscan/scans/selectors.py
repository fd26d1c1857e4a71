"""Reads for taking a scan and showing its result; a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass

from imscan.engine import MaturityModel, Node
from imscan.scans.models import Answer, Respondent
from imscan.scans.tokens import token_hash


def respondent_by_token(token: str) -> Respondent | None:
    """The respondent behind a private link, with its scan and model version (no source)."""
    # token_hash is unique, so a slice gives the same row as .first() without its ORDER BY,
    # which costs SQL compilation on every scan request.
    found = (
        Respondent.objects.select_related("scan__model_version")
        .defer("scan__model_version__source")
        .filter(token_hash=token_hash(token))[:1]
    )
    return next(iter(found), None)


def respondent_answers(respondent: Respondent) -> dict[str, float | None]:
    return dict(Answer.objects.filter(respondent=respondent).values_list("statement_id", "value"))


@dataclass(frozen=True)
class Page:
    """One page of the scan: a top-level dimension (a cluster in the IMS model)."""

    number: int
    node_id: str
    statement_ids: tuple[str, ...]


def scan_pages(model: MaturityModel) -> list[Page]:
    return [
        Page(number=number, node_id=node.id, statement_ids=statement_ids(node))
        for number, node in enumerate(model.top_nodes(), start=1)
    ]


def statement_ids(node: Node) -> tuple[str, ...]:
    if node.statements is not None:
        return tuple(statement.id for statement in node.statements)
    return tuple(sid for child in node.children or () for sid in statement_ids(child))
