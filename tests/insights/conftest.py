from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import override_settings


@pytest.fixture(autouse=True)
def _threshold_five_and_no_cache() -> Iterator[None]:
    """The tests are written for K = 5, whatever the environment sets. A cached benchmark
    is keyed by the database's state; the test database is rolled back between tests, so
    an earlier test's entry could match: start every test without any."""
    cache.clear()
    with override_settings(IMSCAN_MIN_ORGANISATIONS=5):
        yield
    cache.clear()
