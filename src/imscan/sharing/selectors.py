"""Reads for share links."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from imscan.reports import selectors as report_selectors
from imscan.scans.models import Scan
from imscan.scans.tokens import token_hash
from imscan.sharing.models import ShareLink


def active_link(token: str) -> ShareLink | None:
    """The link behind a token, with its scan and model version, if it still works."""
    now = timezone.now()
    found = (
        ShareLink.objects.select_related("scan__organisation", "scan__model_version")
        .defer("scan__model_version__source")
        .filter(token_hash=token_hash(token), revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))[:1]
    )
    return next(iter(found), None)


def scan_links(scan: Scan) -> QuerySet[ShareLink]:
    """All the scan's links, newest first, revoked and expired ones included."""
    return ShareLink.objects.filter(scan=scan).order_by("-created_at", "-pk")


def active_count(scan: Scan) -> int:
    now = timezone.now()
    return (
        ShareLink.objects.filter(scan=scan, revoked_at__isnull=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .count()
    )


def not_shareable_reason(scan: Scan) -> str | None:
    """Why the scan's report cannot be shared (yet), or None when it can.

    A guided scan's figures appear only once it is closed; a self-scan's once finished.
    """
    if scan.kind == Scan.Kind.SELF:
        if report_selectors.self_scan_respondent(scan) is None:
            return _("This self-scan can be shared once it is finished.")
        return None
    if not scan.is_closed():
        return _("This scan can be shared once it is closed: the team's figures appear only then.")
    return None
