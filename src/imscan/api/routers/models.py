"""The published maturity models: every stored version, and one in full in a language."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Query, Router

from imscan.api import auth, presenters
from imscan.api.errors import ApiError, Code, not_found
from imscan.api.pagination import Page, PageIn, page
from imscan.api.schemas import (
    LanguageCode,
    ModelDefinitionOut,
    ModelId,
    ModelVersionOut,
    VersionNumber,
    responses,
)
from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import (
    engine_model,
    latest_versions,
    version_of,
    versions_without_source,
)
from imscan.engine import MaturityModel

router = Router(auth=auth.PUBLIC)


def language_for(model: MaturityModel, asked: str | None) -> str:
    """The language asked for, else the request's if the model has it, else its first."""
    if asked is not None:
        if asked not in model.languages:
            raise ApiError(
                422,
                Code.VALIDATION_ERROR,
                _("This model is in %(languages)s, not in %(language)s.")
                % {"languages": ", ".join(model.languages), "language": asked},
            )
        return asked
    current = get_language()
    return current if current in model.languages else model.languages[0]


@router.get(
    "",
    response=responses(Page[ModelVersionOut]),
    openapi_extra=auth.PUBLIC_OPENAPI,
    summary="List the published model versions",
)
def list_models(
    request: HttpRequest, params: Query[PageIn], model_id: ModelId | None = None
) -> dict[str, Any]:
    """Every published version of every model, by model and then oldest first; `latest`
    marks the version offered for new scans."""
    versions = versions_without_source().order_by("model_id", "created_at", "id")
    if model_id is not None:
        versions = versions.filter(model_id=model_id)
    latest = {version.pk for version in latest_versions()}

    def present(version: ModelVersion) -> dict[str, Any]:
        return presenters.model_version(version, engine_model(version), version.pk in latest)

    return page(versions, params, present)


@router.get(
    "/{model_id}/versions/{version}",
    response=responses(ModelDefinitionOut),
    openapi_extra=auth.PUBLIC_OPENAPI,
    summary="Read a model version in full, in one language",
)
def read_model(
    request: HttpRequest,
    model_id: ModelId,
    version: VersionNumber,
    lang: LanguageCode | None = None,
) -> dict[str, Any]:
    """Scales, levels with lead times, scoring, and the dimensions down to every statement
    with its info text and the parts' advice: every text in `lang`."""
    found = version_of(model_id, version)
    if found is None:
        raise not_found()
    model = engine_model(found)
    return presenters.model_definition(found, model, language_for(model, lang))
