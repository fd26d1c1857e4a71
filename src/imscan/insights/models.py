"""Insights: what an organisation shares, the stored figures of every finished scan, and
the impact follow-ups. See docs/insights.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import ConsultantProfile, Organisation
from imscan.scans.models import Scan


class Participation(models.Model):
    """What an organisation shares with the programme and its peers; changes take effect at
    once. An organisation without a row has the defaults."""

    class Benchmark(models.TextChoices):
        GUIDED = "guided", _("Our closed guided scans")
        ALL = "all", _("Our closed guided scans and our self-scans")
        NONE = "none", _("Nothing: leave our results out of every comparison")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="participation"
    )
    benchmark = models.CharField(
        _("what counts in the benchmark"),
        max_length=16,
        choices=Benchmark.choices,
        default=Benchmark.GUIDED,
    )
    contactable = models.BooleanField(_("contactable for peer learning"), default=False)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail address"), blank=True)
    followups = models.BooleanField(_("impact follow-up surveys"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")

    def __str__(self) -> str:
        return f"participation of {self.organisation_id}"


class Measurement(models.Model):
    """The stored figures of one finished self-scan or closed guided scan: written when the
    scan finishes or closes, so that benchmarks and statistics never read raw answers.

    `counted` says whether it counts in benchmarks and statistics now (the organisation's
    choice, and comparable figures); `current` marks the organisation's latest
    counted measurement on its benchmark version, `latest_in_year` its latest in each
    calendar year. Both flags are kept up to date by insights.recording.
    """

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="measurement")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    # The version it is compared as (insights.versions.benchmarked_as).
    benchmark_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    scan_kind = models.CharField(max_length=16, choices=Scan.Kind.choices)
    guide = models.ForeignKey(  # a guided scan's consultant, for the dashboard
        ConsultantProfile, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measured_at = models.DateTimeField()  # a self-scan's finish, a guided scan's closing
    year = models.PositiveSmallIntegerField()  # of measured_at, in the site's time zone
    month = models.DateField()  # the first day of measured_at's month
    respondents = models.PositiveIntegerField()  # finished respondents
    # Figures to compare: the team result met the scan's anonymity threshold (below it a
    # guided scan shows none, and none are stored) and every part has a score.
    comparable = models.BooleanField()
    overall_score = models.FloatField(null=True)
    overall_level = models.PositiveSmallIntegerField(null=True)
    part_scores = models.JSONField(default=dict)  # part id -> score (null: no answers)
    counted = models.BooleanField(default=False)
    current = models.BooleanField(default=False)
    latest_in_year = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        # Partial indexes: the flags are true for one row per organisation (and year), and
        # SQLite uses an index for a boolean condition only when the index has it too.
        indexes = [
            models.Index(
                fields=["benchmark_version"],
                condition=models.Q(current=True),
                name="measurement_current",
            ),
            models.Index(
                fields=["benchmark_version", "year"],
                condition=models.Q(latest_in_year=True),
                name="measurement_year",
            ),
            models.Index(fields=["organisation", "benchmark_version"], name="measurement_org"),
            # Covering the dashboard's monthly figures: no row needs reading.
            models.Index(fields=["month", "organisation", "respondents"], name="measurement_month"),
            models.Index(
                fields=["month", "guide", "organisation"],
                condition=models.Q(guide__isnull=False),
                name="measurement_guide",
            ),
        ]

    def __str__(self) -> str:
        return f"measurement of {self.scan_id}"


class FollowUp(models.Model):
    """The impact follow-up of one scan: at most one per scan, ever (`scan` is unique).

    The link's token is stored only hashed. A follow-up that was not sent (a newer scan of
    the organisation was followed up instead, the organisation switched them off, nobody
    to send it to) is kept as skipped, so that it is never sent later either.
    """

    class Status(models.TextChoices):
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("sending failed")
        SKIPPED = "skipped", _("skipped")

    scan = models.OneToOneField(Scan, on_delete=models.CASCADE, related_name="followup")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    survey_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=16, choices=Status.choices)
    reason = models.CharField(max_length=200, blank=True)  # why it was skipped or failed
    language = models.CharField(max_length=8)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("impact follow-up")
        verbose_name_plural = _("impact follow-ups")
        indexes = [models.Index(fields=["organisation", "sent_at"], name="followup_org_sent")]

    def __str__(self) -> str:
        return f"follow-up of {self.scan_id}: {self.status}"


class FollowUpAnswer(models.Model):
    """One answer to the follow-up survey; null for "don't know"."""

    followup = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="answers")
    statement_id = models.CharField(max_length=64)
    value = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up answer")
        verbose_name_plural = _("follow-up answers")
        constraints = [
            models.UniqueConstraint(
                fields=["followup", "statement_id"], name="one_followup_answer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}={self.value}"


class Stamp(models.Model):
    """A counter that changes whenever the benchmark could: a counted measurement written,
    an organisation's choice or type changed. Cached benchmarks are keyed by it (with the
    number of current measurements, which a deletion changes), so every process sees a
    change on its next request."""

    name = models.CharField(max_length=32, unique=True)
    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"
