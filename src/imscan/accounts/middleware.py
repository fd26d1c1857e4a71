"""Two-factor authentication is required for consultants and programme staff.

Until they have set up an authenticator app, every page sends them to the set-up page,
except the account pages they need to do so (and to log out).
"""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Paths under these prefixes (after the language prefix) stay reachable without 2FA. The
# JSON API ignores the session: its tokens check two-factor authentication themselves.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/api/")


def needs_two_factor(user: object) -> bool:
    """Consultants and programme staff must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(getattr(user, "is_staff", False) or hasattr(user, "consultant"))


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            needs_two_factor(request.user)
            and not self._exempt(request.path_info)
            and not is_mfa_enabled(request.user, ["totp"])
        ):
            messages.warning(
                request,
                _(
                    "Consultants and programme staff must use two-factor authentication."
                    " Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        # Strip the language prefix (/nl/, /en/) before comparing.
        parts = path.split("/", 2)
        rest = "/" + parts[2] if len(parts) > 2 and len(parts[1]) == 2 else path
        return rest.startswith(OPEN_PREFIXES)
