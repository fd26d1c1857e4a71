from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion


class Scan(models.Model):
    """One measurement with one exact model version, by one or more respondents."""

    class Kind(models.TextChoices):
        SELF = "self", _("self-scan")
        GUIDED = "guided", _("guided scan")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="scans")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.SELF)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.public_id}"


class Respondent(models.Model):
    """Someone answering a scan, known only by the hash of their private link's token."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="respondents")
    group = models.CharField(_("group"), max_length=100, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")

    def __str__(self) -> str:
        return f"respondent {self.pk} of {self.scan_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(models.Model):
    """One respondent's answer to one statement; saved on its own as soon as it is given.

    `value` is null for "don't know / not applicable": the answer is given, but counts as
    unanswered in every score.
    """

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    statement_id = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "statement_id"], name="one_answer_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}={self.value}"
