"""Reads of development plans: a fixed number of queries each."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Prefetch

from imscan.organisations.models import Organisation
from imscan.plans.models import Plan, PlanAction, PlanPart


def _with_contents(plans: models.QuerySet[Plan]) -> models.QuerySet[Plan]:
    return (
        plans.select_related("model_version")
        .defer("model_version__source")
        .prefetch_related(
            Prefetch("parts", queryset=PlanPart.objects.order_by("pk")),
            Prefetch("actions", queryset=PlanAction.objects.select_related("part")),
        )
    )


def plan_for_source(source: models.Model) -> Plan | None:
    """The result's plan, without its parts and actions (one query)."""
    return Plan.objects.for_source(source).first()


def plan_with_contents(plan: Plan) -> Plan:
    """The plan with its parts and actions (three queries)."""
    return _with_contents(Plan.objects.filter(pk=plan.pk)).get()


def plans_of(
    organisation: Organisation, model_class: type[models.Model], ids: Iterable[int]
) -> dict[int, Plan]:
    """The organisation's plans of the results of one kind given (e.g. scans), by the
    result's primary key, with their parts and actions: three queries, however many."""
    plans = Plan.objects.filter(
        organisation=organisation,
        source_type=ContentType.objects.get_for_model(model_class),
        source_id__in=list(ids),
    )
    return {plan.source_id: plan for plan in _with_contents(plans)}
