"""The caller's own token: who it belongs to, what it may do, until when."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from imscan.api import auth
from imscan.api.schemas import MeOut, responses

router = Router(auth=auth.USER)


@router.get("/me", response=responses(MeOut), summary="Read my token")
def read_me(request: HttpRequest) -> dict[str, Any]:
    """Check a token: its user's e-mail address, its name, scope and expiry."""
    caller = request.auth  # type: ignore[attr-defined]
    assert isinstance(caller, auth.UserCaller)
    token = caller.token
    return {
        "email": caller.user.email,
        "token": {
            "name": token.name,
            "hint": token.hint,
            "read_only": token.read_only,
            "created_at": token.created_at,
            "expires_at": token.expires_at,
        },
    }
