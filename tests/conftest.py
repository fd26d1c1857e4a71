"""Shared fixtures. Tests that touch the database are marked `db_sensitive` automatically,
so `.ci/run` can run them again on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # a runtime import would need Django even for the engine's tests
    from imscan.catalog.models import ModelVersion

SHIPPED_MODELS = Path(__file__).resolve().parents[1] / "src" / "imscan" / "content" / "models"


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Passwords in tests need no protection; the default hasher costs ~0.3 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.get_closest_marker("django_db") or "db" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db_sensitive)


@pytest.fixture
def ims_version(db: None) -> ModelVersion:
    """The shipped IMS model, stored as it is by `imscan loadmodels`."""
    from imscan.catalog.services import model_version_store

    path = SHIPPED_MODELS / "ims-gov.yaml"
    return model_version_store(
        source=path.read_text(encoding="utf-8"), source_path=str(path)
    ).version
