"""The OpenAPI schema as committed in docs/openapi.json: sorted keys, so a diff shows only
what changed."""

from __future__ import annotations

import json

from django.utils import translation

from imscan.api.main import api

PATH_PREFIX = "/api/v1/"


def schema_text() -> str:
    with translation.override("en"):
        schema = api.get_openapi_schema(path_prefix=PATH_PREFIX)
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
