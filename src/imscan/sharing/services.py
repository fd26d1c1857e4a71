"""Creating, revoking and counting share links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from imscan.scans.models import Scan
from imscan.scans.tokens import new_token, token_hash
from imscan.sharing import selectors
from imscan.sharing.models import ShareLink

MAX_ACTIVE_LINKS = 50  # per scan: plenty for meetings, a bound on what a typo loop makes
MAX_LABEL_LENGTH = 200


class ShareRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NewShareLink:
    link: ShareLink
    token: str  # shown once, never stored


def share_link_create(
    *,
    scan: Scan,
    created_by: Any | None,
    label: str = "",
    expires_at: datetime.datetime | None = None,
) -> NewShareLink:
    reason = selectors.not_shareable_reason(scan)
    if reason is not None:
        raise ShareRefused(reason)
    if expires_at is not None and expires_at <= timezone.now():
        raise ShareRefused(_("The expiry date must be in the future."))
    if selectors.active_count(scan) >= MAX_ACTIVE_LINKS:
        raise ShareRefused(
            _("This scan already has %(count)d working links: revoke one first.")
            % {"count": MAX_ACTIVE_LINKS}
        )
    token = new_token()
    link = ShareLink.objects.create(
        scan=scan,
        token_hash=token_hash(token),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        label=label.strip()[:MAX_LABEL_LENGTH],
        expires_at=expires_at,
    )
    return NewShareLink(link=link, token=token)


def share_link_revoke(*, link: ShareLink) -> bool:
    """Revoke the link; False if it already was."""
    if link.revoked_at is not None:
        return False
    link.revoked_at = timezone.now()
    return bool(
        ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=link.revoked_at
        )
    )


def share_link_viewed(*, link: ShareLink) -> None:
    """Count a view in the database, so two views at once both count."""
    ShareLink.objects.filter(pk=link.pk).update(
        view_count=F("view_count") + 1, last_viewed_at=timezone.now()
    )
