"""Reads of personal API tokens."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from imscan.api.models import ApiToken
from imscan.scans.tokens import token_hash


def _working() -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def active_token(secret: str) -> ApiToken | None:
    """The working token with this secret, with its (active) user; one indexed query."""
    found = (
        _working()
        .select_related("user")
        .filter(token_hash=token_hash(secret), user__is_active=True)[:1]
    )
    return next(iter(found), None)


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """All the user's tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")


def token_of(user: User, token_id: int) -> ApiToken | None:
    return ApiToken.objects.filter(user=user, pk=token_id).first()


def active_count(user: User) -> int:
    return _working().filter(user=user).count()
