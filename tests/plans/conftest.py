from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def english_and_empty_cache() -> Iterator[None]:
    """Messages asserted in English; no report or page left in the cache by another test."""
    cache.clear()
    with translation.override("en"):
        yield
