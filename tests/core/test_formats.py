"""English pages write dates the European way."""

import datetime

from django.utils import formats, translation


def test_english_dates_are_day_month_year() -> None:
    day = datetime.date(2026, 12, 3)
    with translation.override("en"):
        assert formats.date_format(day) == "3 December 2026"
    with translation.override("nl"):
        assert formats.date_format(day) == "3 december 2026"
