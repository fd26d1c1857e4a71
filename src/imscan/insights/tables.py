"""Tables of published figures: each cell has the organisations behind it, and which cells
may be published is decided for a whole table at once (insights.privacy). Used by the
programme dashboard, its CSV download and the open data."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from imscan.insights.privacy import publishable

COUNT, SCORE, PERCENT = "count", "score", "percent"


@dataclass(frozen=True)
class Figure:
    """One cell as published: `value` is None when withheld (or when there is nothing)."""

    value: float | None
    withheld: bool
    kind: str = COUNT  # COUNT, SCORE or PERCENT: how it is written


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = COUNT


@dataclass
class Row:
    key: str
    label: str
    cells: dict[str, Figure] = field(default_factory=dict)
    total: bool = False  # a row of totals, set apart


@dataclass
class Table:
    key: str  # the table's name in the CSV download
    title: str
    columns: list[Column]
    rows: list[Row]
    caption: str = ""

    def lines(self) -> list[tuple[Row, list[Figure]]]:
        """Each row with its figures in column order (the first column is the row's label)."""
        keys = [column.key for column in self.columns[1:]]
        return [(row, [row.cells[key] for key in keys]) for row in self.rows]


class Family:
    """Cells built from units (the finest breakdown, with the contributors behind each) and
    released together: add the cells in order of importance, then call `release()`."""

    def __init__(self, units: Mapping[Any, frozenset[Any]], threshold: int) -> None:
        self.units = units
        self.threshold = threshold
        self.cells: dict[Hashable, frozenset[Hashable]] = {}

    def add(self, cell: Hashable, units: Iterable[Hashable]) -> None:
        self.cells[cell] = frozenset(units)

    def release(self) -> frozenset[Hashable]:
        return publishable(self.units, self.cells, self.threshold)

    def behind(self, cell: Hashable) -> int:
        return len(frozenset().union(*(self.units[unit] for unit in self.cells[cell])))


def figure(value: float | None, shown: bool, kind: str = COUNT) -> Figure:
    return Figure(value if shown else None, not shown, kind)


def percent(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return round(100 * part / whole, 1)
