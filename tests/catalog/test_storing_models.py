"""Model versions: stored immutably, loaded idempotently, never partially."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from imscan.catalog.models import ImmutableVersionError, ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.catalog.services import ModelVersionConflict, model_version_store
from imscan.engine import ModelValidationError
from tests.conftest import SHIPPED_MODELS

pytestmark = pytest.mark.django_db

IMS = (SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8")


def loadmodels() -> str:
    out = io.StringIO()
    call_command("loadmodels", stdout=out)
    return out.getvalue()


def test_loadmodels_stores_the_shipped_models_once() -> None:
    assert "ims-gov\t1.0\tstored" in loadmodels()
    assert "ims-gov\t1.0\tunchanged" in loadmodels()
    assert ModelVersion.objects.filter(model_id="ims-gov").count() == 1


def test_layout_changes_are_not_a_new_version() -> None:
    first = model_version_store(source=IMS).version
    again = model_version_store(source="# a comment\n" + IMS)
    assert again.created is False
    assert again.version.pk == first.pk


def test_changed_content_with_the_same_version_is_a_clear_error() -> None:
    model_version_store(source=IMS)
    changed = IMS.replace("Aan de vooravond", "Aan het begin", 1)
    with pytest.raises(ModelVersionConflict, match="already stored with different content"):
        model_version_store(source=changed)
    assert ModelVersion.objects.count() == 1


def test_loadmodels_refuses_a_conflict_and_stores_nothing(tmp_path: Path) -> None:
    model_version_store(source=IMS.replace("Aan de vooravond", "Aan het begin", 1))
    (tmp_path / "ims-gov.yaml").write_text(IMS, encoding="utf-8")
    with override_settings(MODEL_DIRS=[tmp_path]), pytest.raises(CommandError, match="new version"):
        loadmodels()
    assert ModelVersion.objects.count() == 1


def test_invalid_files_never_load_partially(tmp_path: Path) -> None:
    (tmp_path / "a-good.yaml").write_text(IMS, encoding="utf-8")
    (tmp_path / "b-bad.yaml").write_text(
        IMS.replace("scale: agree5", "scale: agree7", 1), encoding="utf-8"
    )
    with override_settings(MODEL_DIRS=[tmp_path]), pytest.raises(CommandError) as error:
        loadmodels()
    assert "b-bad.yaml:" in str(error.value)
    assert "agree7" in str(error.value)
    assert ModelVersion.objects.count() == 0


def test_invalid_source_is_not_stored() -> None:
    with pytest.raises(ModelValidationError):
        model_version_store(source="id: broken\n")
    assert ModelVersion.objects.count() == 0


def test_a_stored_version_cannot_change() -> None:
    version = model_version_store(source=IMS).version
    version.content_hash = "0" * 64
    with pytest.raises(ImmutableVersionError):
        version.save()


def test_engine_model_is_parsed_once_and_needs_no_source_column() -> None:
    stored = model_version_store(source=IMS).version
    without_source = ModelVersion.objects.defer("source").get(pk=stored.pk)
    model = engine_model(without_source)
    assert model.id == "ims-gov"
    assert engine_model(without_source) is model
