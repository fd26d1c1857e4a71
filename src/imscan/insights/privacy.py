"""Which figures may be published: the threshold K and complementary suppression.

Pure Python (no Django), so the rule can be tested and reasoned about on its own. The
method is explained, with the attack it prevents, in docs/insights.md ("Privacy").

A family of figures is described by its finest *units* (for the benchmark: organisations
of one type of government and one size band) with the organisations behind each, and its
*cells*: the figures that could be published, each covering some units (all
organisations, a type, a size band, a type and size band together). Then:

1. A cell is published only when it has no organisation behind it or at least K.
2. Units that every published cell treats alike (each published cell covers all of them or
   none) form an *atom*. Whatever is added to or subtracted from published figures
   (differencing: "municipalities minus large municipalities") is the same on every unit
   of an atom, so the smallest groups anyone can work out are whole atoms. Every atom
   that some published cell covers must therefore have no organisation or at least K.
   While one has 1..K-1, a published cell that tells it apart from a neighbouring atom is
   withheld as well, sparing the most important cells (the caller lists cells in order of
   importance: all organisations first) and taking the smallest: complementary
   suppression.

The rule is applied to the whole family an output can ever show, not to the cells one
request asks for, so no two requests can be combined to undo it. It is conservative: it
also protects sets that linear algebra could not isolate from the published figures.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import TypeVar

Unit = TypeVar("Unit", bound=Hashable)
Cell = TypeVar("Cell", bound=Hashable)


def publishable(
    units: Mapping[Unit, AbstractSet[Hashable]],
    cells: Mapping[Cell, AbstractSet[Unit]],
    threshold: int,
) -> frozenset[Cell]:
    """The cells that may be published. `units` gives the organisations (or other
    contributors) behind each unit, `cells` the units each cell covers."""
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    order = {cell: position for position, cell in enumerate(cells)}

    def behind(covered: AbstractSet[Unit]) -> int:
        return len(set().union(*(units[unit] for unit in covered)))

    size = {cell: behind(covered) for cell, covered in cells.items()}
    shown = {cell for cell in cells if size[cell] == 0 or size[cell] >= threshold}
    occupied = [unit for unit, contributors in units.items() if contributors]
    while True:
        atoms: dict[frozenset[Cell], set[Unit]] = {}
        for unit in occupied:
            signature = frozenset(cell for cell in shown if unit in cells[cell])
            atoms.setdefault(signature, set()).add(unit)
        small = [
            signature
            for signature, members in atoms.items()
            if signature and 0 < behind(members) < threshold
        ]
        if not small:
            return frozenset(shown)
        signature = min(small, key=lambda s: sorted(order[cell] for cell in s))
        # Merge it with a neighbour: another atom, or the atom of what no published cell
        # covers (frozenset()). Withholding the cells that tell them apart merges them;
        # take the neighbour that spares the most important cells (the caller lists them
        # first), then the one with the fewest cells apart, and withhold the smallest of
        # those cells (the less important one on a tie).
        choices = []
        for other in {*atoms, frozenset()} - {signature}:
            apart = signature ^ other
            most_important = min(order[cell] for cell in apart)
            smallest = min(apart, key=lambda cell: (size[cell], -order[cell]))
            choices.append((-most_important, len(apart), order[smallest], smallest))
        shown.discard(min(choices, key=lambda choice: choice[:3])[3])


@dataclass(frozen=True, slots=True)
class Quartiles:
    q1: float
    median: float
    q3: float


def quartiles(values: Sequence[float]) -> Quartiles:
    """The quartiles by linear interpolation between the sorted values (the "inclusive"
    method of Python's statistics.quantiles, type 7 in R and percentile_cont in SQL), so
    the median of an even number of values is the mean of the middle two."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)

    def at(share: float) -> float:
        position = share * (len(ordered) - 1)
        low = math.floor(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)

    return Quartiles(at(0.25), at(0.5), at(0.75))
