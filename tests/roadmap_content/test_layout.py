"""Canvas layouts: every block fills exactly one rectangle, every cell belongs to a block."""

from __future__ import annotations

import itertools

from hypothesis import assume, given
from hypothesis import strategies as st

from imscan.roadmap_content import Area, areas, check_layout

Grid = list[list[str]]


@st.composite
def partitions(draw: st.DrawFn) -> tuple[int, Grid, list[str]]:
    """A grid cut into rectangles by straight cuts, as a canvas is; the blocks shuffled."""
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    grid = [[""] * width for _ in range(height)]
    names = (f"b{n}" for n in itertools.count())

    def cut(top: int, bottom: int, left: int, right: int) -> None:
        options = ["leaf"]
        if bottom - top > 1:
            options.append("rows")
        if right - left > 1:
            options.append("columns")
        choice = draw(st.sampled_from(options))
        if choice == "rows":
            middle = draw(st.integers(top + 1, bottom - 1))
            cut(top, middle, left, right)
            cut(middle, bottom, left, right)
        elif choice == "columns":
            middle = draw(st.integers(left + 1, right - 1))
            cut(top, bottom, left, middle)
            cut(top, bottom, middle, right)
        else:
            name = next(names)
            for r in range(top, bottom):
                for c in range(left, right):
                    grid[r][c] = name

    cut(0, height, 0, width)
    blocks = sorted({name for row in grid for name in row})
    return width, grid, draw(st.permutations(blocks))


@given(partitions())
def test_rectangles_that_cover_the_grid_pass(layout: tuple[int, Grid, list[str]]) -> None:
    width, grid, blocks = layout
    assert check_layout(width, grid, blocks) == []
    found = areas(grid)
    assert sorted(found) == sorted(blocks)
    assert sum(area.rows * area.columns for area in found.values()) == width * len(grid)
    for name, area in found.items():
        for r in range(area.row - 1, area.row - 1 + area.rows):
            for c in range(area.column - 1, area.column - 1 + area.columns):
                assert grid[r][c] == name


@given(partitions(), st.data())
def test_removing_a_cell_fails(layout: tuple[int, Grid, list[str]], data: st.DataObject) -> None:
    width, grid, blocks = layout
    r = data.draw(st.integers(0, len(grid) - 1))
    c = data.draw(st.integers(0, width - 1))
    del grid[r][c]
    assert check_layout(width, grid, blocks)


@given(partitions(), st.data())
def test_duplicating_a_cell_fails(layout: tuple[int, Grid, list[str]], data: st.DataObject) -> None:
    width, grid, blocks = layout
    r = data.draw(st.integers(0, len(grid) - 1))
    c = data.draw(st.integers(0, width - 1))
    grid[r].insert(c, grid[r][c])
    assert check_layout(width, grid, blocks)


@given(partitions(), st.data())
def test_a_block_in_a_second_place_fails(
    layout: tuple[int, Grid, list[str]], data: st.DataObject
) -> None:
    width, grid, blocks = layout
    block = data.draw(st.sampled_from(blocks))
    placed = {(r, c) for r, row in enumerate(grid) for c, name in enumerate(row) if name == block}
    away = [
        (r, c)
        for r in range(len(grid))
        for c in range(width)
        if not any(abs(r - pr) + abs(c - pc) <= 1 for pr, pc in placed)
    ]
    assume(away)
    r, c = data.draw(st.sampled_from(away))
    grid[r][c] = block  # a copy of the block, not touching it: no longer one rectangle
    assert any(block in issue.message for issue in check_layout(width, grid, blocks))


@given(partitions(), st.data())
def test_a_missing_or_unknown_block_fails(
    layout: tuple[int, Grid, list[str]], data: st.DataObject
) -> None:
    width, grid, blocks = layout
    assert check_layout(width, grid, [*blocks, "extra"])[0].message == (
        "block 'extra' is not placed in the layout"
    )
    gone = data.draw(st.sampled_from(blocks))
    others = [block for block in blocks if block != gone]
    [issue] = check_layout(width, grid, others)
    assert issue.message.startswith(f"unknown block '{gone}' in the layout")


def test_messages_name_rows_columns_and_cells() -> None:
    rows = [["a", "b", "a"], ["c", "c"]]
    assert [(i.where, i.row, i.column, i.message) for i in check_layout(3, rows, "abc")] == [
        ("row", 1, 0, "row 2 has 2 cells, but the layout has 3 columns"),
    ]
    rows = [["a", "b", "a"], ["c", "c", "."]]
    assert [(i.where, i.row, i.column, i.message) for i in check_layout(3, rows, "abc")] == [
        ("cell", 1, 2, "an empty cell ('.') is not allowed: every cell belongs to a block"),
        (
            "cell",
            0,
            0,
            "block 'a' must fill one rectangle: it has 2 cells within rows 1 and columns "
            "1-3, which hold 3",
        ),
    ]


def test_areas_are_one_based() -> None:
    assert areas([["a", "a", "b"], ["c", "c", "b"]]) == {
        "a": Area(row=1, column=1, rows=1, columns=2),
        "b": Area(row=1, column=3, rows=2, columns=1),
        "c": Area(row=2, column=1, rows=1, columns=2),
    }
