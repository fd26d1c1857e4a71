from __future__ import annotations

import pytest
from pytest_django import Settings


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Settings) -> None:
    # Many users are made: a fast hasher keeps the tests quick (no password is tested here).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
