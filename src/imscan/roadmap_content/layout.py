"""A canvas layout: a grid whose cells name blocks, like CSS `grid-template-areas`.

A valid layout has rows of exactly `columns` cells; every cell names a block of the
canvas; every block fills exactly one rectangle of cells, and no cell is left empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Area:
    """Where a block sits: its first row and column (1-based) and how many it spans."""

    row: int
    column: int
    rows: int
    columns: int


@dataclass(frozen=True)
class LayoutIssue:
    """A problem in a layout, at a row, at a cell (row and column, 0-based) or at a block."""

    where: Literal["row", "cell", "block"]
    message: str
    row: int = 0
    column: int = 0
    block: str = ""


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _cells(rows: Sequence[Sequence[object]]) -> dict[str, list[tuple[int, int]]]:
    cells: dict[str, list[tuple[int, int]]] = {}
    for r, row in enumerate(rows):
        for c, name in enumerate(row):
            if isinstance(name, str):
                cells.setdefault(name, []).append((r, c))
    return cells


def check_layout(
    columns: int, rows: Sequence[Sequence[object]], blocks: Sequence[str]
) -> list[LayoutIssue]:
    """Every problem of a layout with `columns` columns for a canvas with these block ids."""
    issues: list[LayoutIssue] = []
    known = set(blocks)
    even = True
    for r, row in enumerate(rows):
        if len(row) != columns:
            even = False
            issues.append(
                LayoutIssue(
                    "row",
                    f"row {r + 1} has {len(row)} cells, but the layout has {columns} columns",
                    row=r,
                )
            )
    reported: set[object] = set()
    for r, row in enumerate(rows):
        for c, name in enumerate(row):
            if name in known or name in reported or not isinstance(name, str):
                continue
            reported.add(name)
            if name == ".":
                message = "an empty cell ('.') is not allowed: every cell belongs to a block"
            else:
                message = f"unknown block {name!r} in the layout (blocks: {', '.join(blocks)})"
            issues.append(LayoutIssue("cell", message, row=r, column=c))
    cells = _cells(rows)
    for block in dict.fromkeys(blocks):
        placed = cells.get(block)
        if not placed:
            issues.append(
                LayoutIssue("block", f"block {block!r} is not placed in the layout", block=block)
            )
            continue
        if not even:
            continue  # with rows of different lengths, rectangles mean little
        top, bottom = min(r for r, _ in placed), max(r for r, _ in placed)
        left, right = min(c for _, c in placed), max(c for _, c in placed)
        size = (bottom - top + 1) * (right - left + 1)
        if len(placed) != size:
            issues.append(
                LayoutIssue(
                    "cell",
                    f"block {block!r} must fill one rectangle: it has {len(placed)} cells "
                    f"within rows {_span(top + 1, bottom + 1)} and columns "
                    f"{_span(left + 1, right + 1)}, which hold {size}",
                    row=placed[0][0],
                    column=placed[0][1],
                    block=block,
                )
            )
    return issues


def areas(rows: Sequence[Sequence[str]]) -> dict[str, Area]:
    """Each block's bounding rectangle, in reading order (exact for a valid layout)."""
    result: dict[str, Area] = {}
    for name, placed in _cells(rows).items():
        top, bottom = min(r for r, _ in placed), max(r for r, _ in placed)
        left, right = min(c for _, c in placed), max(c for _, c in placed)
        result[name] = Area(top + 1, left + 1, bottom - top + 1, right - left + 1)
    return result
