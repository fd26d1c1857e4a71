from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import ConsultantProfile, Organisation

DEFAULT_ANONYMITY_THRESHOLD = 3


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
    # A self-scan has no organisation until it is claimed into one; a guided scan always has.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="scans"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guide = models.ForeignKey(
        ConsultantProfile,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guided_scans",
        verbose_name=_("guiding consultant"),
    )
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    anonymity_threshold = models.PositiveSmallIntegerField(
        _("minimum number of respondents per group"), default=DEFAULT_ANONYMITY_THRESHOLD
    )

    class Meta:
        verbose_name = _("scan")
        verbose_name_plural = _("scans")
        indexes = [models.Index(fields=["organisation", "created_at"])]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.public_id}"

    def is_open(self, now: datetime.datetime | None = None) -> bool:
        """Answers can be given: opened, and neither closed nor past its closing date."""
        now = now or timezone.now()
        if self.closed_at is not None:
            return False
        if self.opens_at is not None and now < self.opens_at:
            return False
        return self.closes_at is None or now < self.closes_at

    @property
    def result_threshold(self) -> int:
        """How many finished respondents a figure needs. A self-scan has one respondent,
        who chose to share it by claiming it into the organisation."""
        return 1 if self.kind == Scan.Kind.SELF else self.anonymity_threshold

    def is_closed(self, now: datetime.datetime | None = None) -> bool:
        """Closed by hand or by its closing date: the result is frozen."""
        now = now or timezone.now()
        return self.closed_at is not None or (self.closes_at is not None and now >= self.closes_at)


class RespondentGroup(models.Model):
    """A group of respondents in a guided scan (e.g. management, staff), compared in the result.

    It may hand out an anonymous link: anyone with it joins the group, up to `link_cap`.
    """

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    link_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    link_cap = models.PositiveIntegerField(
        _("maximum number of people on the link"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scan", "name"], name="unique_group_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Respondent(models.Model):
    """Someone answering a scan, known only by the hash of their private link's token."""

    scan = models.ForeignKey(Scan, on_delete=models.CASCADE, related_name="respondents")
    group = models.ForeignKey(
        RespondentGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="respondents",
        verbose_name=_("group"),
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Only for respondents invited by e-mail, to send reminders; never shown with answers.
    email = models.EmailField(_("e-mail address"), blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("respondent")
        verbose_name_plural = _("respondents")
        constraints = [
            models.UniqueConstraint(
                fields=["scan", "email"],
                condition=~models.Q(email=""),
                name="one_invitation_per_address",
            ),
        ]

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
