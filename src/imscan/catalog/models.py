from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableVersionError(Exception):
    pass


class ModelVersion(models.Model):
    """One exact version of a maturity model file, stored as its source text.

    A version never changes once stored: scans point at it, and their results must stay
    what they were. Publishing changed content means a new version.
    """

    model_id = models.CharField(_("model id"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    title = models.JSONField(_("title"))
    source = models.TextField(_("model file"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    source_path = models.CharField(_("loaded from"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("stored at"), auto_now_add=True)

    class Meta:
        verbose_name = _("model version")
        verbose_name_plural = _("model versions")
        ordering = ["model_id", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["model_id", "version"], name="unique_model_version"),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = ModelVersion.objects.filter(pk=self.pk).values_list("content_hash", flat=True)
            if stored and stored[0] != self.content_hash:
                raise ImmutableVersionError(f"{self} is stored and cannot change")
        super().save(*args, **kwargs)
