"""Storing model versions: the only way model files get into the database."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from imscan.catalog.models import ModelVersion
from imscan.engine import MaturityModel, load_model_text


class ModelVersionConflict(Exception):
    """The same id and version is stored already, with different content."""


@dataclass(frozen=True)
class LoadOutcome:
    version: ModelVersion
    created: bool


def content_hash(model: MaturityModel) -> str:
    """A hash of what the model says, not of how the file is laid out.

    Re-indenting a file or editing a comment is not a new version; changing a text, a
    weight or a band is.
    """
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def model_version_store(*, source: str, source_path: str = "") -> LoadOutcome:
    """Validate a model file's text and store it as an immutable version, idempotently.

    Raises ModelValidationError (with every problem) for an invalid file and
    ModelVersionConflict when the version exists with other content. Nothing is stored
    in either case.
    """
    model = load_model_text(source, source=source_path or "<upload>")
    digest = content_hash(model)
    with transaction.atomic():
        existing = (
            ModelVersion.objects.filter(model_id=model.id, version=model.version)
            .only("id", "model_id", "version", "content_hash")
            .first()
        )
        if existing is not None:
            if existing.content_hash != digest:
                raise ModelVersionConflict(
                    f"{source_path or model.id}: model '{model.id}' version {model.version} "
                    "is already stored with different content; give the changed model a new "
                    "version number"
                )
            return LoadOutcome(version=existing, created=False)
        version = ModelVersion.objects.create(
            model_id=model.id,
            version=model.version,
            title=dict(model.title),
            source=source,
            content_hash=digest,
            source_path=source_path,
        )
    return LoadOutcome(version=version, created=True)


def shipped_model_paths() -> list[Path]:
    return sorted(
        path for directory in settings.MODEL_DIRS for path in Path(directory).glob("*.yaml")
    )


def shipped_models_load() -> list[LoadOutcome]:
    """Store every shipped model file; all files are checked before any is stored."""
    sources = [(path, path.read_text(encoding="utf-8")) for path in shipped_model_paths()]
    for path, source in sources:
        load_model_text(source, source=str(path))
    with transaction.atomic():
        return [
            model_version_store(source=source, source_path=str(path)) for path, source in sources
        ]
