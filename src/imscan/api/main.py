"""The API object: its routers, authentication default, errors, rate limit and docs."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.parser import Parser

from imscan.api import auth, errors
from imscan.api.routers import me, models, organisations, respondent, scans

DESCRIPTION = """\
The JSON API of IMS Scan: read the published maturity models, take a self-scan, and read an
organisation's scans, progress, team results and exports.

Authenticate with a personal API token (made on your account page) or, for a respondent's
own scan, its private link token: `Authorization: Bearer <token>`. Errors are
`{"detail": ..., "code": ...}`. Lists are paged with `limit` and `offset`. Requests are
rate limited per token (429 with Retry-After). See docs/api.md.
"""

# The docs page runs Swagger UI from the app's own static files, with no inline script or
# style, so it works under this policy (and needs no CDN).
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)


class JsonObjectParser(Parser):
    def parse_body(self, request: HttpRequest) -> Any:
        return errors.parse_json_object(request.body)


class SwaggerUi(DocsBase):
    """Swagger UI as django-ninja ships it, started by our own script file."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        schema = api.get_openapi_schema(path_params=kwargs)
        operations = [
            {"method": method.upper(), "path": path, "summary": operation.get("summary", "")}
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        ]
        context = {
            "api": api,
            "openapi_url": self.get_openapi_url(api, kwargs),
            "operations": operations,
        }
        response = render(request, "api/docs.html", context)
        response["Content-Security-Policy"] = DOCS_CSP
        return response


class Api(NinjaAPI):
    _schemas: dict[str, OpenAPISchema]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._schemas = {}

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The function's name: list_models, not imscan_api_routers_models_list_models.
        return str(operation.view_func.__name__)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # Building it takes a few hundred milliseconds, and the schema and docs page are
        # open to anyone: build it once per process (it only changes with the code).
        if path_params:
            return super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        key = path_prefix or ""
        if key not in self._schemas:
            self._schemas[key] = super().get_openapi_schema(path_prefix=path_prefix)
        return self._schemas[key]


api = Api(
    title="IMS Scan API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs=SwaggerUi(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=auth.USER,  # every operation needs a personal token unless it says otherwise
    throttle=[auth.CallerRateThrottle()],
    parser=JsonObjectParser(),
)
errors.install(api)
api.add_router("/models", models.router, tags=["models"])
api.add_router("/", respondent.router, tags=["self-scans"])
api.add_router("/", me.router, tags=["account"])
api.add_router("/organisations", organisations.router, tags=["organisations"])
api.add_router("/scans", scans.router, tags=["scans"])
