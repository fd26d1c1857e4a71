"""JSON responses built once and served from the cache."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse

from imscan.reports.bodies import CACHE_SECONDS


def json_bytes(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, allow_nan=False).encode()


def cached_json(key: str, build: Callable[[], Any]) -> HttpResponse:
    """The JSON of `build()`, kept under `key`: the key must change whenever the data does
    (the result pages' keys do: a respondent's finishing time, a scan's fingerprint)."""
    content: bytes | None = cache.get(key)
    if content is None:
        content = json_bytes(build())
        cache.set(key, content, CACHE_SECONDS)
    response = HttpResponse(content, content_type="application/json")
    response["Cache-Control"] = "private, no-store"
    return response
