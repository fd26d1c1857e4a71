"""What the API answers outside its operations: a body over the size limit, an unknown URL
under /api/, a method a URL does not take, or anything Django itself refuses; always JSON
of the shape in `errors`. Also adds the caller's rate limit headers."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from imscan.api.errors import Code, body_too_large, error_response, is_json, server_error

API_PREFIX = "/api/"


def _content_length(request: HttpRequest) -> int | None:
    """The declared body length; None when it is not a number."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None


def _as_json(response: HttpResponse) -> HttpResponse:
    status = response.status_code
    if status == 404:
        converted = error_response(404, Code.NOT_FOUND, _("Not found."))
    elif status == 405:
        converted = error_response(
            405, Code.METHOD_NOT_ALLOWED, _("This URL does not take this method.")
        )
        if "Allow" in response:
            converted["Allow"] = response["Allow"]
    elif status == 413:
        converted = body_too_large()
    elif status >= 500:
        converted = server_error()
    else:
        converted = error_response(status, Code.BAD_REQUEST, _("The request is not valid."))
    return converted


class ApiErrorsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        length = _content_length(request)
        if length is None or length < 0:
            return error_response(400, Code.BAD_REQUEST, _("The Content-Length is not valid."))
        if length > settings.IMSCAN_API_MAX_BODY_BYTES:
            return body_too_large()
        response = self.get_response(request)
        if response.status_code >= 400 and not is_json(response):
            response = _as_json(response)
        rate = getattr(request, "imscan_rate", None)
        if rate is not None:
            response["RateLimit-Limit"] = str(rate.limit)
            response["RateLimit-Remaining"] = str(rate.remaining)
            response["RateLimit-Reset"] = str(rate.reset)
        return response
