"""Reading model versions, with the parsed model kept in memory per content hash."""

from __future__ import annotations

import threading

from django.db.models import QuerySet

from imscan.catalog.models import ModelVersion
from imscan.engine import MaturityModel, load_model_text

_parsed: dict[str, MaturityModel] = {}
_lock = threading.Lock()


def engine_model(version: ModelVersion) -> MaturityModel:
    """The parsed model of a stored version.

    Versions are immutable, so the parse is cached for the life of the process; a caller
    that loaded the version without its `source` only pays a query on the first call.
    """
    cached = _parsed.get(version.content_hash)
    if cached is not None:
        return cached
    if "source" in version.get_deferred_fields():
        source = ModelVersion.objects.values_list("source", flat=True).get(pk=version.pk)
    else:
        source = version.source
    model = load_model_text(source, source=f"{version.model_id} {version.version}")
    with _lock:
        _parsed[version.content_hash] = model
    return model


def versions_without_source() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.defer("source")


def latest_versions() -> list[ModelVersion]:
    """The newest version of every model, for choosing a scan to start."""
    latest: dict[str, ModelVersion] = {}
    for version in versions_without_source().order_by("model_id", "created_at", "id"):
        latest[version.model_id] = version
    return list(latest.values())


def version_by_model_id(model_id: str) -> ModelVersion | None:
    return (
        versions_without_source().filter(model_id=model_id).order_by("-created_at", "-id").first()
    )


def version_of(model_id: str, version: str | None = None) -> ModelVersion | None:
    """That version of the model (without its source), or its latest when none is named."""
    if version is None:
        return version_by_model_id(model_id)
    return versions_without_source().filter(model_id=model_id, version=version).first()
