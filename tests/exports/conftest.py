from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The services' messages are asserted in English; the site's default language is Dutch."""
    with translation.override("en"):
        yield
