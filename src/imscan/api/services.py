"""Creating, revoking and touching personal API tokens."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from imscan.api import selectors
from imscan.api.models import ApiToken
from imscan.scans.tokens import new_token, token_hash

# Every personal token starts with this, so it is recognised at a glance (and by secret
# scanners) and never mistaken for a private link token, which has no prefix.
TOKEN_PREFIX = "imscan_"  # noqa: S105 (a prefix, not a secret)
MAX_ACTIVE_TOKENS = 20  # per user: plenty for every system they connect
MAX_NAME_LENGTH = 100
# last_used_at is written at most this often per token: not a write on every request.
TOUCH_INTERVAL = datetime.timedelta(minutes=1)


class TokenRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NewApiToken:
    token: ApiToken
    secret: str  # shown once, never stored


def api_token_create(
    *, user: User, name: str, read_only: bool, expires_at: datetime.datetime | None
) -> NewApiToken:
    name = name.strip()
    if not name:
        raise TokenRefused(_("Give the token a name, so you know later what it is for."))
    if len(name) > MAX_NAME_LENGTH:
        raise TokenRefused(
            _("The name can be at most %(count)d characters.") % {"count": MAX_NAME_LENGTH}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenRefused(_("The expiry date must be in the future."))
    if selectors.active_count(user) >= MAX_ACTIVE_TOKENS:
        raise TokenRefused(
            _("You already have %(count)d working tokens: revoke one first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    secret = TOKEN_PREFIX + new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=token_hash(secret),
        hint=secret[: len(TOKEN_PREFIX) + 4],
        read_only=read_only,
        expires_at=expires_at,
    )
    return NewApiToken(token=token, secret=secret)


def api_token_revoke(*, token: ApiToken) -> bool:
    """Revoke the token at once; False if it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=token.revoked_at
        )
    )


def api_token_touch(*, token: ApiToken) -> None:
    """Record that the token was used (shown on the account page), at most once a minute."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_INTERVAL:
        return
    token.last_used_at = now
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
