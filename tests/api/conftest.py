"""Fixtures for the API tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from tests.api.helpers import Api


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    """Rate limit counts and cached results live in the cache: start every test at zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> Api:
    return Api()
