"""Development plans: the parts of a result an organisation works on, and its actions.

A plan belongs to the result it was made from through a generic relation (`source_type`,
`source_id`: a content type and a primary key), so that any kind of result can carry a
plan: a scan today, a consultant's in-depth assessment later. What a plan needs from its
source (the model, the scores, the development points) comes through the source's adapter
in `imscan.plans.sources`. See docs/architecture.md, "Development plans".
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import Organisation

MAX_WHAT = 1000
MAX_OWNER = 200


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_source(self, source: models.Model) -> PlanQuerySet:
        return self.filter(
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk
        )


class Plan(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Null while its source has no organisation: a self-scan's plan made through the
    # private link, before the self-scan is claimed (it then follows the scan).
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="plans"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    # The model version whose part ids the plan's parts are (its source's).
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Moved on every change to the plan, its parts or its actions (services.touch): the
    # PDF report and the progress page are cached by it.
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"], name="one_plan_per_result"
            ),
        ]

    def __str__(self) -> str:
        return f"plan {self.public_id}"


class PlanPart(models.Model):
    """A part of the model the organisation has chosen to work on."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="parts")
    node_id = models.CharField(max_length=64)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("part in the plan")
        verbose_name_plural = _("parts in the plan")
        constraints = [
            models.UniqueConstraint(fields=["plan", "node_id"], name="one_entry_per_part"),
        ]

    def __str__(self) -> str:
        return self.node_id


class PlanAction(models.Model):
    """Something someone will do: for one of the plan's parts, or across the board."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in-progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    # PROTECT: a part cannot leave the plan while actions are linked to it (services say so).
    part = models.ForeignKey(
        PlanPart,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        verbose_name=_("part"),
    )
    what = models.TextField(_("what"), max_length=MAX_WHAT)
    owner = models.CharField(_("who"), max_length=MAX_OWNER, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_date is not None and self.due_date < today
