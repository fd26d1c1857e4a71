"""Writes to development plans. Each checks everything first and changes nothing when it
refuses (`PlanRefused`, with a message for the user); each change moves the plan's
`updated_at`, by which the PDF report and the progress page are cached."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import tr
from imscan.plans import sources
from imscan.plans.models import MAX_OWNER, MAX_WHAT, Plan, PlanAction, PlanPart

EARLIEST_DUE_DATE = datetime.date(2000, 1, 1)
MAX_YEARS_AHEAD = 10


class PlanRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanExists(PlanRefused):
    """The result has a plan already (two people may start one at the same moment)."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(_("This result has a development plan already."))
        self.plan = plan


def _touch(plan: Plan) -> None:
    plan.updated_at = timezone.now()
    Plan.objects.filter(pk=plan.pk).update(updated_at=plan.updated_at)


def _part_ids(version: ModelVersion, chosen: Iterable[str]) -> list[str]:
    """The chosen ids, each a part of the model, in the model's order; or PlanRefused."""
    parts = [part.id for part in engine_model(version).parts()]
    wanted = set(chosen)
    unknown = wanted - set(parts)
    if unknown:
        raise PlanRefused(
            _("Not a part of this model: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}
        )
    return [part for part in parts if part in wanted]


def plan_create(*, source: models.Model, parts: Iterable[str], created_by: Any = None) -> Plan:
    """A new plan for a final result, with the parts chosen from it. PlanRefused when the
    result is not final yet or a part is unknown; PlanExists when it has a plan already."""
    adapter = sources.source_for(source)
    if adapter.final(source, get_language() or "nl") is None:
        raise PlanRefused(adapter.not_final_reason(source))
    version = adapter.model_version(source)
    part_ids = _part_ids(version, parts)
    existing = Plan.objects.for_source(source).first()
    if existing is not None:
        raise PlanExists(existing)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                organisation=adapter.organisation(source),
                source_type=ContentType.objects.get_for_model(source),
                source_id=source.pk,
                model_version=version,
                created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
            )
            PlanPart.objects.bulk_create(PlanPart(plan=plan, node_id=part) for part in part_ids)
    except IntegrityError:
        raise PlanExists(Plan.objects.for_source(source).get()) from None
    return plan


def plan_parts_set(*, plan: Plan, parts: Iterable[str]) -> tuple[list[str], list[str]]:
    """Make the chosen parts the plan's parts: (added, removed) ids. A part that still has
    actions cannot leave the plan (PlanRefused, nothing changes)."""
    part_ids = _part_ids(plan.model_version, parts)
    with transaction.atomic():
        _lock(plan)
        current = {
            row.node_id: row
            for row in PlanPart.objects.filter(plan=plan).annotate(action_count=Count("actions"))
        }
        removed = [node_id for node_id in current if node_id not in part_ids]
        busy = [current[node_id] for node_id in removed if current[node_id].action_count]
        if busy:
            model = engine_model(plan.model_version)
            lang = get_language() or "nl"
            raise PlanRefused(
                " ".join(
                    ngettext(
                        "“%(part)s” has %(count)d action: delete it or link it to another "
                        "part first.",
                        "“%(part)s” has %(count)d actions: delete them or link them to "
                        "another part first.",
                        row.action_count,
                    )
                    % {"part": tr(model.node(row.node_id).title, lang), "count": row.action_count}
                    for row in busy
                )
            )
        added = [node_id for node_id in part_ids if node_id not in current]
        PlanPart.objects.filter(plan=plan, node_id__in=removed).delete()
        PlanPart.objects.bulk_create(PlanPart(plan=plan, node_id=node_id) for node_id in added)
        if added or removed:
            _touch(plan)
    return added, removed


@dataclass(frozen=True)
class ActionFields:
    """What an action says, as typed; checked by `_checked`."""

    what: str
    owner: str = ""
    due_date: datetime.date | None = None
    status: str = PlanAction.Status.PLANNED
    part_id: str | None = None  # one of the plan's parts; None: across the board


def due_date_bounds(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return EARLIEST_DUE_DATE, today.replace(year=today.year + MAX_YEARS_AHEAD)


def _checked(plan: Plan, fields: ActionFields) -> tuple[dict[str, Any], PlanPart | None]:
    what, owner = fields.what.strip(), fields.owner.strip()
    if not what:
        raise PlanRefused(_("Say what will be done."))
    if len(what) > MAX_WHAT or len(owner) > MAX_OWNER:
        raise PlanRefused(
            _("Keep the action under %(what)d characters and the name under %(owner)d.")
            % {"what": MAX_WHAT, "owner": MAX_OWNER}
        )
    if fields.status not in PlanAction.Status.values:
        raise PlanRefused(_("Choose one of the statuses offered."))
    if fields.due_date is not None:
        earliest, latest = due_date_bounds()
        if not earliest <= fields.due_date <= latest:
            raise PlanRefused(
                _("Choose a due date between %(earliest)s and %(latest)s.")
                % {"earliest": earliest.isoformat(), "latest": latest.isoformat()}
            )
    part = None
    if fields.part_id:
        part = PlanPart.objects.filter(plan=plan, node_id=fields.part_id).first()
        if part is None:
            raise PlanRefused(_("Link the action to one of the plan's parts."))
    values = {"what": what, "owner": owner, "due_date": fields.due_date, "status": fields.status}
    return values, part


def _lock(plan: Plan) -> None:
    """Changes to one plan's parts and actions one at a time: a part is never removed while
    an action is being linked to it (SQLite's IMMEDIATE transactions do the same)."""
    Plan.objects.select_for_update().filter(pk=plan.pk).first()


def plan_action_add(*, plan: Plan, fields: ActionFields) -> PlanAction:
    with transaction.atomic():
        _lock(plan)
        values, part = _checked(plan, fields)
        action = PlanAction.objects.create(plan=plan, part=part, **values)
        _touch(plan)
    return action


def plan_action_update(*, action: PlanAction, fields: ActionFields) -> PlanAction:
    with transaction.atomic():
        _lock(action.plan)
        values, part = _checked(action.plan, fields)
        for name, value in values.items():
            setattr(action, name, value)
        action.part = part
        action.save()
        _touch(action.plan)
    return action


def plan_action_status(*, action: PlanAction, status: str) -> PlanAction:
    if status not in PlanAction.Status.values:
        raise PlanRefused(_("Choose one of the statuses offered."))
    with transaction.atomic():
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        _touch(action.plan)
    return action


def plan_action_delete(*, action: PlanAction) -> None:
    with transaction.atomic():
        action.delete()
        _touch(action.plan)


def plan_follow_source(*, source: models.Model) -> None:
    """After a source moved to an organisation (a self-scan claimed), its plan goes along.
    Called by the claim, in its transaction."""
    organisation = sources.source_for(source).organisation(source)
    Plan.objects.for_source(source).update(organisation=organisation, updated_at=timezone.now())
