"""The range chart's geometry (reports.charts.range_chart), used by the benchmark panel and
the programme dashboard."""

from __future__ import annotations

from imscan.reports.charts import range_chart


def test_ranges_medians_and_own_scores_on_one_scale() -> None:
    chart = range_chart(
        [("A", 2.0, 3.0, 4.0, 1.0), ("B", None, None, None, 5.0), ("C", 1.0, 1.0, 1.0, None)],
        1,
        5,
        bands=[(1.8, ""), (6.0, "")],
        width=420,
        label_width=20,
    )
    left, right = chart.left, chart.right  # 20 and 400: 95 per scale point
    first, second, third = chart.rows
    assert (first.box_x, first.box_width, first.median_x, first.own_x) == (
        "115.0",
        "190.0",
        "210.0",
        "20.0",
    )
    assert second.box_x is None and second.median_x is None and second.own_x == f"{right:.1f}"
    assert third.box_width == "2.0"  # an empty middle half is still drawn, as a line
    assert third.own_x is None
    assert [tick.label for tick in chart.x_ticks] == ["1", "2", "3", "4", "5"]
    assert [band.position for band in chart.bands] == [left + 0.8 * 95]  # 6 lies outside
    assert chart.height == int(chart.top + 3 * chart.row_height + 16)
