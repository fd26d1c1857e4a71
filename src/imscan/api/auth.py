"""Who is calling: a personal API token, a respondent's private link token, or nobody.

Every operation declares which callers it takes (`PUBLIC`, `USER`, `RESPONDENT`); what a
caller may then see is decided by `imscan.permissions`, as for the web pages. A bearer
token that is not valid (unknown, expired, revoked) is refused with 401 even where no
token is needed, so a client never mistakes a broken token for anonymous access.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from imscan.accounts.middleware import needs_two_factor
from imscan.api import selectors, services
from imscan.api.errors import ApiError, Code
from imscan.api.models import ApiToken
from imscan.catalog.selectors import engine_model
from imscan.scans.access import ScanAccess
from imscan.scans.selectors import respondent_by_token

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class UserCaller:
    """A personal API token: its user's roles decide, as on the web pages."""

    user: User
    token: ApiToken

    @property
    def rate_key(self) -> str:
        return f"token:{self.token.pk}"


@dataclass(frozen=True)
class RespondentCaller:
    """A private link token: the link is the permission, as on the web pages."""

    access: ScanAccess

    @property
    def rate_key(self) -> str:
        return f"respondent:{self.access.respondent.pk}"


@dataclass(frozen=True)
class AnonymousCaller:
    address: str

    @property
    def rate_key(self) -> str:
        return f"address:{self.address}"


Caller = UserCaller | RespondentCaller | AnonymousCaller


def _bearer(request: HttpRequest) -> str | None:
    """The bearer token of the request; ApiError for an Authorization header of another kind."""
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _space, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            Code.INVALID_TOKEN,
            _("Send the token as the header Authorization: Bearer <token>."),
        )
    return token.strip()


def _invalid_token() -> ApiError:
    return ApiError(
        401, Code.INVALID_TOKEN, _("The token is not valid: unknown, expired or revoked.")
    )


def _user_caller(request: HttpRequest, secret: str) -> UserCaller:
    token = selectors.active_token(secret)
    if token is None:
        raise _invalid_token()
    user = token.user
    if needs_two_factor(user) and not is_mfa_enabled(user, ["totp"]):
        # The web pages require it of consultants and staff; a token must not bypass that.
        raise ApiError(
            403,
            Code.TWO_FACTOR_REQUIRED,
            _("Set up two-factor authentication on your account before using its tokens."),
        )
    if token.read_only and request.method not in SAFE_METHODS:
        raise ApiError(
            403, Code.READ_ONLY_TOKEN, _("This token is read-only: it cannot change anything.")
        )
    services.api_token_touch(token=token)
    return UserCaller(user=user, token=token)


def _respondent_caller(secret: str) -> RespondentCaller:
    respondent = respondent_by_token(secret)
    if respondent is None:
        raise _invalid_token()
    model = engine_model(respondent.scan.model_version)
    return RespondentCaller(ScanAccess(secret, respondent, model))


def _is_personal(secret: str) -> bool:
    return secret.startswith(services.TOKEN_PREFIX)


def client_address(request: HttpRequest) -> str:
    """The client's address for rate limits. X-Forwarded-For is believed only behind as many
    proxies as NINJA_NUM_PROXIES says (ninja's rule); without it, anyone could send a new
    one with every request and never be limited."""
    if getattr(settings, "NINJA_NUM_PROXIES", None) is None:
        return str(request.META.get("REMOTE_ADDR") or "unknown")
    return BaseThrottle().get_ident(request) or "unknown"


class PersonalToken(HttpBearer):
    """A personal API token, made on the account page (`imscan_...`)."""

    openapi_bearerFormat = "imscan_<43 characters>"
    openapi_description = "A personal API token, made on your account page (API tokens)."

    def __call__(self, request: HttpRequest) -> Any:
        secret = _bearer(request)
        if secret is None or not _is_personal(secret):
            return None  # another scheme of the operation may take it
        return _user_caller(request, secret)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        raise NotImplementedError  # __call__ does the work


class LinkToken(HttpBearer):
    """A respondent's private link token, as returned when a self-scan is created."""

    openapi_description = (
        "The private link token of a respondent: returned once by POST /self-scans, or the "
        "last part of a scan link (/scan/<token>/)."
    )

    def __call__(self, request: HttpRequest) -> Any:
        secret = _bearer(request)
        if secret is None or _is_personal(secret):
            return None
        return _respondent_caller(secret)

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        raise NotImplementedError


def anonymous(request: HttpRequest) -> Any:
    """No token at all: the tokens are tried first, and a bearer header is always one."""
    if "Authorization" in request.headers:
        return None
    return AnonymousCaller(client_address(request))


def _needs_personal_token(request: HttpRequest) -> Any:
    """The last callback of a USER operation: no token, or a link token, was sent."""
    raise ApiError(
        401,
        Code.NOT_AUTHENTICATED,
        _("This operation needs a personal API token: Authorization: Bearer imscan_…"),
    )


def _needs_link_token(request: HttpRequest) -> Any:
    """The last callback of a RESPONDENT operation."""
    raise ApiError(
        401,
        Code.NOT_AUTHENTICATED,
        _("This operation needs a respondent's private link token: Authorization: Bearer …"),
    )


personal_token = PersonalToken()
link_token = LinkToken()
AuthCallbacks = list[Callable[[HttpRequest], Any]]
USER: AuthCallbacks = [personal_token, _needs_personal_token]
RESPONDENT: AuthCallbacks = [link_token, _needs_link_token]
# Open to anyone; a token, if sent, must be valid (and counts the caller's requests).
PUBLIC: AuthCallbacks = [personal_token, link_token, anonymous]
# In the OpenAPI schema, the empty requirement says that no token is needed.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}


def user_of(request: HttpRequest) -> User:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, UserCaller)
    return caller.user


def access_of(request: HttpRequest) -> ScanAccess:
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, RespondentCaller)
    return caller.access


# ---- rate limits ----


@dataclass(frozen=True)
class RateState:
    limit: int
    remaining: int
    reset: int  # seconds until the window ends


class CallerRateThrottle(BaseThrottle):
    """A fixed window per caller (token, link or address), counted in the Django cache.

    `cache.add` + `cache.incr` are atomic in Redis (and within one process in the local
    memory cache), so several app servers share one count per token. The limits are
    settings: IMSCAN_API_RATE_LIMIT per token or link, IMSCAN_API_ANONYMOUS_RATE_LIMIT per
    address, both per IMSCAN_API_RATE_WINDOW seconds.
    """

    def __init__(self) -> None:
        # ninja asks wait() right after allow_request() on this one shared instance: keep
        # the answer per thread, for servers that run requests in threads.
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        caller: Caller = request.auth  # type: ignore[attr-defined]
        window = int(settings.IMSCAN_API_RATE_WINDOW)
        limit = int(
            settings.IMSCAN_API_ANONYMOUS_RATE_LIMIT
            if isinstance(caller, AnonymousCaller)
            else settings.IMSCAN_API_RATE_LIMIT
        )
        now = time.time()
        start = int(now // window) * window
        key = f"api-rate:{caller.rate_key}:{start}"
        cache.add(key, 0, timeout=window + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window begins
            cache.add(key, 1, timeout=window + 1)
            count = 1
        reset = max(1, math.ceil(start + window - now))
        self._local.reset = reset
        state = RateState(limit=limit, remaining=max(0, limit - count), reset=reset)
        request.imscan_rate = state  # type: ignore[attr-defined]
        return count <= limit

    def wait(self) -> float | None:
        return float(self._local.reset)
