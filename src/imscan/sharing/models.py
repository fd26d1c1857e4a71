"""Read-only links to a scan's report, for people without an account or a role.

Like a respondent's private link, the token is shown once and only its SHA-256 is stored
(`imscan.scans.tokens`), so a database leak opens no report.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.scans.models import Scan


class ShareLink(models.Model):
    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True)
    # Null for a link made by a self-scan's respondent, who has no account.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    last_viewed_at = models.DateTimeField(_("last viewed at"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("views"), default=0)

    objects: models.Manager[ShareLink] = models.Manager()

    class Meta:
        verbose_name = _("share link")
        verbose_name_plural = _("share links")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label or f"share link {self.pk}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        """Not revoked and not expired: the link opens the report."""
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)
