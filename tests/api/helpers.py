"""Calling the API in tests: JSON in and out, with a bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from imscan.api.services import api_token_create

BASE = "/api/v1"


def token_for(user: User, *, read_only: bool = False, name: str = "test") -> str:
    return api_token_create(user=user, name=name, read_only=read_only, expires_at=None).secret


class Api:
    """A test client for /api/v1/: `api.get("/models", token=...)`."""

    def __init__(self) -> None:
        self.client = Client()

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        token: str | None = None,
        raw: bytes | str | None = None,
        headers: dict[str, str] | None = None,
        meta: dict[str, str] | None = None,
        **query: Any,
    ) -> Any:
        extra = dict(headers or {})
        if token is not None:
            extra["Authorization"] = f"Bearer {token}"
        data: bytes | str | None = raw
        if body is not None:
            data = json.dumps(body)
        url = path if path.startswith("/api/") else BASE + path
        kwargs: dict[str, Any] = {"headers": extra, **(meta or {})}
        if method in {"GET", "DELETE"}:
            kwargs["data"] = query
        else:
            if query:
                url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
            kwargs["data"] = data if data is not None else b""
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(url, **kwargs)

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PATCH", path, body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("PUT", path, body, **kwargs)


def error_of(response: Any) -> tuple[int, str]:
    """The status and the error code, after checking the error's shape."""
    body = response.json()
    assert set(body) <= {"detail", "code", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"], body
    return response.status_code, body["code"]
