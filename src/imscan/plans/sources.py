"""What a development plan is made from: a result with scores per part and development
points, from any app.

A plan points at its source with a generic relation (`Plan.source_type`, `source_id`).
Each kind of result registers a `PlanSource` adapter for its model class with `register`;
the plan pages, services, PDF and export then work with any source through it. Scans are
registered below. Another kind of result (issue 7's in-depth assessment) registers its own
adapter in its AppConfig.ready():

    from imscan.plans import sources
    sources.register(Assessment, AssessmentSource())

and a page of its own, like `scan-plan`, that calls `services.plan_create`. See
docs/architecture.md, "Development plans".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imscan.catalog.models import ModelVersion
from imscan.engine import MaturityModel, ScoreResult
from imscan.organisations.models import Organisation
from imscan.reports import presenters
from imscan.reports.selectors import final_result
from imscan.scans.models import Scan


@dataclass(frozen=True)
class SourceResult:
    """A final result, as a plan sees it."""

    title: str  # how the plan names its source, e.g. "Guided scan “Spring” of 3 March 2026"
    model: MaturityModel
    # The score and level of every part, and the development points (most important
    # first); None and [] while the result is not final (e.g. a guided scan opened again).
    result: ScoreResult | None
    points: list[presenters.Point]


class PlanSource(Protocol):
    """The adapter through which the plans app uses one kind of result."""

    def load(self, pk: int) -> Any | None:
        """The result with what `final` needs, in as few queries as may be."""
        ...

    def organisation(self, source: Any) -> Organisation | None:
        """The organisation the result (and so its plan) belongs to; None for a result
        reached by a private link only."""
        ...

    def model_version(self, source: Any) -> ModelVersion: ...

    def final(self, source: Any, lang: str) -> SourceResult | None:
        """The result once it is final; None while a plan cannot be made from it yet."""
        ...

    def title(self, source: Any) -> str:
        """How the plan names its source when the result is not final."""
        ...

    def not_final_reason(self, source: Any) -> str:
        """Why no plan can be made yet, for the user."""
        ...

    def result_url(self, source: Any) -> str:
        """The organisation's page of the result."""
        ...


_SOURCES: dict[type[models.Model], PlanSource] = {}


def register(model_class: type[models.Model], source: PlanSource) -> None:
    """Make `model_class` a source of plans; its plan is deleted with it (a generic
    relation has no cascade)."""
    _SOURCES[model_class] = source
    post_delete.connect(_delete_plans, sender=model_class, dispatch_uid=f"plans-{model_class}")


def load_source(plan: Any) -> Any | None:
    """The result a plan was made from (content types are cached: no query for them)."""
    model_class = ContentType.objects.get_for_id(plan.source_type_id).model_class()
    source = _SOURCES.get(model_class) if model_class is not None else None
    return source.load(plan.source_id) if source is not None else None


def source_for(obj: models.Model) -> PlanSource:
    try:
        return _SOURCES[type(obj)]
    except KeyError:
        raise TypeError(f"{type(obj).__name__} is not a source of development plans") from None


def _delete_plans(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from imscan.plans.models import Plan

    Plan.objects.for_source(instance).delete()


class ScanSource:
    """A self-scan once finished, a guided scan once closed with its figures shown."""

    def load(self, pk: int) -> Scan | None:
        return (
            Scan.objects.select_related("organisation", "model_version")
            .defer("model_version__source")
            .filter(pk=pk)
            .first()
        )

    def organisation(self, source: Scan) -> Organisation | None:
        return source.organisation

    def model_version(self, source: Scan) -> ModelVersion:
        return source.model_version

    def final(self, source: Scan, lang: str) -> SourceResult | None:
        found = final_result(source)
        if found is None:
            return None
        return SourceResult(
            title=scan_title(source, found.date),
            model=found.model,
            result=found.result,
            points=presenters.development_points(found.model, found.result, lang),
        )

    def title(self, source: Scan) -> str:
        return scan_title(source, source.created_at)

    def not_final_reason(self, source: Scan) -> str:
        if source.kind == Scan.Kind.SELF:
            return _("A plan can be made once the self-scan is finished.")
        if not source.is_closed():
            return _("A plan can be made once the scan is closed and its result is shown.")
        return _(
            "Too few respondents finished for a team result to be shown, so there are no "
            "development points to plan from."
        )

    def result_url(self, source: Scan) -> str:
        return reverse("team-results", kwargs={"scan_id": source.public_id})


def scan_title(scan: Scan, date: datetime.datetime) -> str:
    day = date_format(timezone.localtime(date), "j F Y")
    if scan.kind == Scan.Kind.SELF:
        return _("Self-scan of %(date)s") % {"date": day}
    if scan.title:
        return _("Guided scan “%(title)s” of %(date)s") % {"title": scan.title, "date": day}
    return _("Guided scan of %(date)s") % {"date": day}


register(Scan, ScanSource())
