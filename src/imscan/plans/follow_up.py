"""Did the planned parts move? A plan made after one scan, checked against the next scan
of the same model on the progress page.

The rules are the progress page's (imscan.reports.over_time): a part moved when its level
changed or its score changed by at least MOVE_THRESHOLD. Across model versions a part is
compared only when both versions have it (by id) and the engine's comparison of the two
versions (`engine.diff_models`) finds its scores comparable: the same statements, answer
values, weights and scoring. Otherwise the scores are shown, but no verdict is given.
Explained in docs/scoring.md, "Did the planned parts move?".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext as _

from imscan.engine import MaturityModel, ModelDiff, diff_models, tr
from imscan.plans.models import Plan, PlanAction
from imscan.reports.over_time import DOWN, UP, ModelProgress, ScanPoint, change_text, movement
from imscan.reports.presenters import level_name
from imscan.scans.presenters import part_numbers

MOVED_UP = UP
MOVED_DOWN = DOWN
STAYED = "stayed"  # compared, and it did not move
NOT_COMPARABLE = "not-comparable"  # both versions have the part, but it changed
NOT_IN_VERSION = "not-in-version"  # the next scan's version has no such part
WAITING = "waiting"  # no next scan yet


@dataclass(frozen=True)
class Measure:
    score: float | None
    level: int | None
    level_name: str


@dataclass(frozen=True)
class PlannedPart:
    id: str
    number: int | None
    title: str
    actions: int
    done: int
    before: Measure
    after: Measure | None  # None without a next scan, or when it has no such part
    verdict: str
    change: float | None

    @property
    def change_text(self) -> str:
        return change_text(self.change)

    @property
    def verdict_text(self) -> str:
        return verdict_text(self.verdict)


@dataclass(frozen=True)
class FollowUp:
    plan: Plan
    made_after: ScanPoint  # the scan the plan was made from
    next: ScanPoint | None  # the next counted scan of the model, if there is one yet
    labels: tuple[str, str]  # their short dates, as the progress page shows them
    parts: list[PlannedPart]
    actions: int
    done: int

    @property
    def moved(self) -> int:
        return sum(1 for part in self.parts if part.verdict in (MOVED_UP, MOVED_DOWN))


def _comparable(old: MaturityModel, new: MaturityModel, part_id: str) -> bool:
    """The engine's verdict on the part's scores across the two versions."""
    verdict = _diff(old, new).verdict(part_id)
    return verdict is not None and verdict.comparable


_diffs: dict[tuple[str, str, str, str], ModelDiff] = {}


def _diff(old: MaturityModel, new: MaturityModel) -> ModelDiff:
    # Stored versions never change, so their comparison is kept for the process.
    key = (old.id, old.version, new.id, new.version)
    if key not in _diffs:
        _diffs[key] = diff_models(old, new)
    return _diffs[key]


def _measure(point: ScanPoint, part_id: str, lang: str) -> Measure:
    node = point.result.nodes[part_id]
    return Measure(node.score, node.level, level_name(point.model, node.level, lang))


def _has_part(model: MaturityModel, part_id: str) -> bool:
    return any(part.id == part_id for part in model.parts())


def _planned_part(
    plan: Plan, point: ScanPoint, after: ScanPoint | None, part_id: str, lang: str
) -> PlannedPart:
    model = point.model
    actions = [action for action in plan.actions.all() if action.part_id is not None]
    mine = [action for action in actions if action.part.node_id == part_id]  # type: ignore[union-attr]
    before = _measure(point, part_id, lang)
    measured: Measure | None = None
    change: float | None = None
    if after is None:
        verdict = WAITING
    elif not _has_part(after.model, part_id):
        verdict = NOT_IN_VERSION
    else:
        measured = _measure(after, part_id, lang)
        change, moved = movement(before.score, before.level, measured.score, measured.level)
        same = after.model.version == model.version and after.model.id == model.id
        if not same and not _comparable(model, after.model, part_id):
            verdict = NOT_COMPARABLE
        else:
            verdict = moved or STAYED
    return PlannedPart(
        id=part_id,
        number=part_numbers(model).get(part_id),
        title=tr(model.node(part_id).title, lang),
        actions=len(mine),
        done=sum(1 for action in mine if action.status == PlanAction.Status.DONE),
        before=before,
        after=measured,
        verdict=verdict,
        change=change,
    )


def follow_ups(progress: ModelProgress, plans: dict[int, Plan], lang: str) -> list[FollowUp]:
    """For each counted scan with a plan (`plans` by scan pk, with parts and actions loaded),
    newest first: its planned parts against the next counted scan."""
    out = []
    points = progress.points
    for index, point in enumerate(points):
        plan = plans.get(point.scan.pk)
        if plan is None:
            continue
        after = points[index + 1] if index + 1 < len(points) else None
        order = [part.id for part in point.model.parts()]
        part_ids = sorted(
            (part.node_id for part in plan.parts.all() if part.node_id in order), key=order.index
        )
        actions = list(plan.actions.all())
        out.append(
            FollowUp(
                plan=plan,
                made_after=point,
                next=after,
                labels=(progress.labels[index], progress.labels[index + 1] if after else ""),
                parts=[_planned_part(plan, point, after, part_id, lang) for part_id in part_ids],
                actions=len(actions),
                done=sum(1 for action in actions if action.status == PlanAction.Status.DONE),
            )
        )
    return out[::-1]


def with_follow_ups(
    models: list[ModelProgress], plans: dict[int, Plan], lang: str
) -> list[ModelProgress]:
    return [
        dataclasses.replace(progress, follow_ups=follow_ups(progress, plans, lang))
        for progress in models
    ]


def verdict_text(verdict: str) -> str:
    """The verdict in words, for the page."""
    return {
        MOVED_UP: _("moved up"),
        MOVED_DOWN: _("moved down"),
        STAYED: _("did not move"),
        NOT_COMPARABLE: _("not comparable: the part changed between the model versions"),
        NOT_IN_VERSION: _("not in the next scan's model version"),
        WAITING: _("waiting for the next scan"),
    }[verdict]
