"""What the plan pages, the PDF report and the export show of a plan and its source."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from imscan.catalog.selectors import engine_model
from imscan.engine import tr
from imscan.plans import sources
from imscan.plans.models import Plan, PlanAction
from imscan.plans.sources import SourceResult
from imscan.reports.presenters import level_name
from imscan.scans.presenters import part_numbers


@dataclass(frozen=True)
class ActionRow:
    action: PlanAction
    status_label: str
    overdue: bool


@dataclass(frozen=True)
class PartInfo:
    """A part of the source's model: where it stands, and its advice to go further."""

    id: str
    number: int
    title: str
    score: float | None
    level: int | None
    level_name: str
    is_point: bool  # one of the result's development points
    target_level: int | None  # the next level, for a development point
    advice: str  # the model's advice for the part at its level
    links: list[dict[str, str]]


@dataclass(frozen=True)
class PartRow:
    info: PartInfo
    actions: list[ActionRow] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for row in self.actions if row.action.status == PlanAction.Status.DONE)


@dataclass(frozen=True)
class PartChoice:
    info: PartInfo
    chosen: bool
    actions: int  # linked actions: the part cannot be left out while it has any


@dataclass(frozen=True)
class PlanView:
    plan: Plan
    source: SourceResult
    parts: list[PartRow]  # development points in their order, then the others by number
    general: list[ActionRow]  # actions across the board (no single part)

    @property
    def actions(self) -> list[ActionRow]:
        return [row for part in self.parts for row in part.actions] + self.general

    @property
    def done(self) -> int:
        return sum(1 for row in self.actions if row.action.status == PlanAction.Status.DONE)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.actions if row.overdue)


def part_infos(source: SourceResult, lang: str) -> list[PartInfo]:
    """Every part of the source's model: its development points first, most important
    first, then the other parts in the model's order."""
    model, result = source.model, source.result
    numbers = part_numbers(model)
    infos = [
        PartInfo(
            id=point.id,
            number=point.number,
            title=point.title,
            score=point.score,
            level=point.level,
            level_name=point.level_name,
            is_point=True,
            target_level=point.target_level,
            advice=point.advice,
            links=point.links,
        )
        for point in source.points
    ]
    pointed = {point.id for point in source.points}
    for part in model.parts():
        if part.id in pointed:
            continue
        node = result.nodes[part.id] if result is not None else None
        level = node.level if node is not None else None
        advice = part.advice.get(level) if level is not None else None
        infos.append(
            PartInfo(
                id=part.id,
                number=numbers[part.id],
                title=tr(part.title, lang),
                score=node.score if node is not None else None,
                level=level,
                level_name=level_name(model, level, lang),
                is_point=False,
                target_level=None,
                advice=tr(advice.text, lang) if advice else "",
                links=[
                    {"title": tr(link.title, lang), "url": link.url}
                    for link in (advice.links if advice else [])
                ],
            )
        )
    return infos


def action_row(action: PlanAction, today: datetime.date | None = None) -> ActionRow:
    return ActionRow(action, str(action.get_status_display()), action.is_overdue(today))


def plan_view(plan: Plan, source: SourceResult, lang: str) -> PlanView:
    """`plan` with its parts and actions loaded (selectors.plan_with_contents)."""
    today = timezone.localdate()
    infos = {info.id: info for info in part_infos(source, lang)}
    order = {part_id: index for index, part_id in enumerate(infos)}
    chosen = sorted(
        (part for part in plan.parts.all() if part.node_id in infos),
        key=lambda part: order[part.node_id],
    )
    rows = {part.pk: PartRow(infos[part.node_id]) for part in chosen}
    general = []
    for action in plan.actions.all():
        row = action_row(action, today)
        if action.part_id in rows:
            rows[action.part_id].actions.append(row)
        else:
            general.append(row)
    return PlanView(plan, source, list(rows.values()), general)


def plan_view_of(plan: Plan, source: Any, lang: str) -> PlanView:
    """The plan of `source` (loaded with selectors.plan_with_contents) with its result.
    A plan is made from a final result; should it not be final any more (a guided scan
    opened again), the plan is shown without the scores, never hidden."""
    adapter = sources.source_for(source)
    found = adapter.final(source, lang) or SourceResult(
        title=adapter.title(source),
        model=engine_model(plan.model_version),
        result=None,
        points=[],
    )
    return plan_view(plan, found, lang)


def part_choices(view: PlanView | None, source: SourceResult, lang: str) -> list[PartChoice]:
    """The parts to choose from, with the plan's current choice (none for a new plan)."""
    chosen = {row.info.id: len(row.actions) for row in view.parts} if view else {}
    return [
        PartChoice(info, info.id in chosen, chosen.get(info.id, 0))
        for info in part_infos(source, lang)
    ]
