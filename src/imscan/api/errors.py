"""Every API error is JSON of one shape, `{"detail": ..., "code": ...}`, with a stable code.

`detail` is a sentence for people (in the request's language, from Accept-Language);
`code` is for programs and never changes within /api/v1/. Validation errors also list
each problem in `errors`. The handlers below turn every exception an operation can raise
into such a response; `middleware.ApiErrorsMiddleware` does the same for what happens
outside an operation (an unknown URL, a wrong method, a body over the limit).
"""

from __future__ import annotations

import enum
import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("imscan.api")


class Code(enum.StrEnum):
    INVALID_JSON = "invalid_json"
    VALIDATION_ERROR = "validation_error"
    INVALID_ANSWER = "invalid_answer"
    NOT_AUTHENTICATED = "not_authenticated"
    INVALID_TOKEN = "invalid_token"  # noqa: S105 (error codes, not secrets)
    TWO_FACTOR_REQUIRED = "two_factor_required"
    READ_ONLY_TOKEN = "read_only_token"  # noqa: S105
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    BODY_TOO_LARGE = "body_too_large"
    RATE_LIMITED = "rate_limited"
    SCAN_FINISHED = "scan_finished"
    SCAN_NOT_OPEN = "scan_not_open"
    NOT_FINISHED = "not_finished"
    EXPORT_UNAVAILABLE = "export_unavailable"
    CLAIM_REFUSED = "claim_refused"
    BAD_REQUEST = "bad_request"
    SERVER_ERROR = "server_error"


class ApiError(Exception):
    """Raised by an operation (or its authentication) to answer with this error."""

    def __init__(self, status: int, code: Code, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail


def not_found() -> ApiError:
    """The one answer for "does not exist" and "not yours": existence never leaks."""
    return ApiError(404, Code.NOT_FOUND, _("Not found."))


def error_response(
    status: int, code: Code, detail: str, errors: list[dict[str, Any]] | None = None
) -> JsonResponse:
    body: dict[str, Any] = {"detail": detail, "code": code.value}
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="imscan"'
    return response


def _location(loc: Any) -> list[str | int]:
    # ninja puts the source first ("body", "query", "path"); keep it: it says where to look.
    # A body comes as the operation's parameter `body`: ninja names it, the client did not.
    parts = [part if isinstance(part, int) else str(part) for part in loc]
    return parts[:1] + parts[2:] if parts[:2] == ["body", "body"] else parts


def _validation_errors(exc: ValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": _location(error.get("loc", ())), "message": str(error.get("msg", ""))}
        for error in exc.errors
    ]


def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = _validation_errors(exc)
    first = errors[0] if errors else {"loc": [], "message": ""}
    where = ".".join(str(part) for part in first["loc"])
    detail = _("The request is not valid at %(where)s: %(message)s") % {
        "where": where,
        "message": first["message"],
    }
    return error_response(422, Code.VALIDATION_ERROR, detail, errors)


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status, exc.code, exc.detail)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError(400) when the body cannot be parsed; our parser says why.
    cause = exc.__cause__
    if isinstance(cause, ApiError):
        return _on_api_error(request, cause)
    if isinstance(cause, RequestDataTooBig):
        return body_too_large()
    if exc.status_code == 400:
        return error_response(400, Code.INVALID_JSON, _("The request body is not valid JSON."))
    return error_response(exc.status_code, Code.BAD_REQUEST, str(exc))


def _on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        401,
        Code.NOT_AUTHENTICATED,
        _("This operation needs a token: send the header Authorization: Bearer <token>."),
    )


def _on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    # ninja adds Retry-After from the throttle's wait().
    return error_response(
        429, Code.RATE_LIMITED, _("Too many requests. Wait as long as Retry-After says.")
    )


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    error = not_found()
    return error_response(error.status, error.code, error.detail)


def _on_exception(request: HttpRequest, exc: Exception) -> HttpResponse:
    if isinstance(exc, RequestDataTooBig):
        return body_too_large()
    # A bug of ours: logged with its traceback, answered without one.
    logger.exception("API operation failed: %s %s", request.method, request.path)
    return server_error()


def body_too_large() -> JsonResponse:
    return error_response(413, Code.BODY_TOO_LARGE, _("The request body is too large."))


def server_error() -> JsonResponse:
    return error_response(
        500, Code.SERVER_ERROR, _("Something went wrong on our side. Please try again later.")
    )


HANDLERS: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
    (ApiError, _on_api_error),
    (ValidationError, _on_validation_error),
    (AuthenticationError, _on_authentication_error),
    (Throttled, _on_throttled),
    (HttpError, _on_http_error),
    (Http404, _on_not_found),
    (Exception, _on_exception),
]


def install(api: NinjaAPI) -> None:
    add: Any = api.add_exception_handler  # its stub wants Union[E, type[E]] handlers
    for exception, handler in HANDLERS:
        add(exception, handler)


def is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


def parse_json_object(body: bytes) -> dict[str, Any]:
    """A request body as a JSON object, or ApiError(400, invalid_json) saying why."""
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ApiError(400, Code.INVALID_JSON, _("The request body is not UTF-8 text.")) from None
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            Code.INVALID_JSON,
            _("The request body is not valid JSON: %(error)s at line %(line)d, column %(column)d.")
            % {"error": error.msg, "line": error.lineno, "column": error.colno},
        ) from None
    except ValueError as error:
        raise ApiError(400, Code.INVALID_JSON, str(error)) from None
    if not isinstance(data, dict):
        raise ApiError(400, Code.INVALID_JSON, _("The request body must be a JSON object."))
    return data


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity, which are not JSON and no answer can be.
    raise ValueError(
        _("The request body is not valid JSON: %(name)s is not a number.") % {"name": name}
    )
