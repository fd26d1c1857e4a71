"""The suppression rule on its own (insights.privacy): the threshold on every cell, and
complementary suppression so that no differencing of published figures singles out fewer
than K organisations."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imscan.insights.privacy import publishable, quartiles

K = 5


def orgs(first: int, count: int) -> frozenset[int]:
    return frozenset(range(first, first + count))


def test_a_cell_below_the_threshold_is_withheld() -> None:
    units = {"a": orgs(0, 4), "b": orgs(10, 5)}
    assert publishable(units, {"a": {"a"}, "b": {"b"}}, K) == {"b"}


def test_an_empty_cell_is_published() -> None:
    assert publishable({"a": frozenset()}, {"a": {"a"}}, K) == {"a"}


def _types(**sizes: int) -> tuple[dict[str, frozenset[int]], dict[str, set[str]]]:
    """Units per type of government, cells for every type and for all of them."""
    units, first = {}, 0
    for name, count in sizes.items():
        units[name] = orgs(first, count)
        first += count
    cells = {"all": set(units), **{name: {name} for name in units}}
    return units, cells


def test_one_small_group_takes_the_smallest_other_with_it() -> None:
    # Publishing municipalities and provinces would give the water authority away as
    # all - municipalities - provinces.
    units, cells = _types(municipal=6, provincial=5, water=1)
    assert publishable(units, cells, K) == {"all", "municipal"}


def test_the_differencing_attack_on_nested_groups() -> None:
    # Six organisations, five of them municipalities: "all" and "municipalities" both
    # reach K, but differ by the one province.
    units, cells = _types(municipal=5, provincial=1)
    assert publishable(units, cells, K) == {"all"}


def test_several_small_groups_together_can_suffice() -> None:
    units, cells = _types(a=3, b=2, c=15)
    assert publishable(units, cells, K) == {"all", "c"}


def test_crossed_filters_cannot_be_combined() -> None:
    # 5 small municipalities, 1 large municipality, 7 large provinces. Municipalities,
    # provinces, small and large all reach K, yet municipalities + large - all is the one
    # large municipality.
    units = {
        ("municipal", "small"): orgs(0, 5),
        ("municipal", "large"): orgs(5, 1),
        ("provincial", "large"): orgs(6, 7),
    }
    cells = {
        "all": set(units),
        "municipal": {u for u in units if u[0] == "municipal"},
        "provincial": {u for u in units if u[0] == "provincial"},
        "small": {u for u in units if u[1] == "small"},
        "large": {u for u in units if u[1] == "large"},
    }
    shown = publishable(units, cells, K)
    assert "all" in shown
    assert not {"municipal", "large"} <= shown and not {"provincial", "small"} <= shown
    assert_nothing_small_can_be_worked_out(units, cells, shown)


def test_shared_contributors_count_once() -> None:
    # One organisation active in January and February: two units, one organisation.
    units = {"jan": frozenset({1}), "feb": frozenset({1}), "mar": orgs(2, 5)}
    cells = {"year": {"jan", "feb", "mar"}, "jan": {"jan"}, "feb": {"feb"}, "mar": {"mar"}}
    assert publishable(units, cells, K) == {"year"}


def rank(rows: list[list[Fraction]]) -> int:
    """The rank of a matrix, by Gaussian elimination over the rationals."""
    rows = [row[:] for row in rows]
    found = 0
    for column in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(found, len(rows)) if rows[r][column]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(len(rows)):
            if r != found and rows[r][column]:
                factor = rows[r][column] / rows[found][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def assert_nothing_small_can_be_worked_out(units, cells, shown) -> None:
    """The differencing attack in general: adding and subtracting published figures (any
    sum over organisations: counts, sums of scores) never gives the figure of 1..K-1
    organisations. As linear algebra over the occupied units: the indicator of no such
    set of units lies in the span of the published cells' indicators."""
    occupied = [unit for unit in units if units[unit]]
    for cell in shown:
        behind = len(set().union(*(units[u] for u in cells[cell])))
        assert behind == 0 or behind >= K, cell
    published = [[Fraction(unit in cells[cell]) for unit in occupied] for cell in shown]
    base = rank(published)
    for count in range(1, len(occupied) + 1):
        for subset in itertools.combinations(occupied, count):
            if 0 < len(set().union(*(units[u] for u in subset))) < K:
                target = [Fraction(unit in subset) for unit in occupied]
                assert rank([*published, target]) > base, f"{subset} can be worked out"


KINDS, SIZES = (0, 1, 2, 3), (0, 1, 2)


def lattice(organisations: list[tuple[int, int]]):
    """The benchmark's family: all, each type, each size, each type and size."""
    units = {
        (kind, size): frozenset(i for i, org in enumerate(organisations) if org == (kind, size))
        for kind in KINDS
        for size in SIZES
    }
    cells = {
        (kind, size): {
            unit for unit in units if kind in (None, unit[0]) and size in (None, unit[1])
        }
        for kind in (None, *KINDS)
        for size in (None, *SIZES)
    }
    return units, cells


ORGANISATIONS = st.lists(st.tuples(st.sampled_from(KINDS), st.sampled_from(SIZES)), max_size=40)


@settings(max_examples=200, deadline=None)
@given(ORGANISATIONS)
def test_no_differencing_of_the_lattice_singles_out_fewer_than_k(organisations) -> None:
    units, cells = lattice(organisations)
    shown = publishable(units, cells, K)
    assert_nothing_small_can_be_worked_out(units, cells, shown)
    if len(organisations) >= K:
        assert (None, None) in shown  # all organisations together are always shown


def test_quartiles_interpolate_between_ranks() -> None:
    spread = quartiles([1, 2, 3, 4])
    assert (spread.q1, spread.median, spread.q3) == (1.75, 2.5, 3.25)
    assert quartiles([3]).median == 3
    with pytest.raises(ValueError):
        quartiles([])
