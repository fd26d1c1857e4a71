"""Peer learning: organisations that chose to be contactable and score well where this
scan scores low. The only place where another organisation is named: with its consent,
and without its scores (docs/insights.md, "Peer learning")."""

from __future__ import annotations

from dataclasses import dataclass

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, level_start, tr
from imscan.insights.models import Measurement, Participation
from imscan.organisations.models import Organisation
from imscan.scans.presenters import part_numbers

SUGGESTIONS = 5
WEAK_PARTS = 4  # at most this many of the scan's weakest parts are looked at


@dataclass(frozen=True)
class Strength:
    number: int | None
    title: str


@dataclass(frozen=True)
class Suggestion:
    name: str
    kind: str  # display labels
    size: str
    contact_name: str
    contact_email: str
    strengths: list[Strength]  # the weak parts of this scan in which it is a level higher


def weak_parts(model: MaturityModel, measurement: Measurement) -> list[str]:
    """The parts holding this result back: below the next level's threshold, lowest first;
    at the top level (or with none below it), the lowest parts."""
    scores = {p: s for p, s in measurement.part_scores.items() if s is not None}
    ordered = sorted(scores, key=lambda part: (scores[part], part))
    level = measurement.overall_level
    if level is not None and level < model.level_count:
        threshold = level_start(model, level + 1)
        below = [part for part in ordered if scores[part] < threshold]
        if below:
            return below[:WEAK_PARTS]
    return ordered[: min(3, WEAK_PARTS)]


def is_contactable(organisation: Organisation) -> bool:
    return Participation.objects.filter(organisation=organisation, contactable=True).exists()


def learn_from(measurement: Measurement, lang: str) -> list[Suggestion]:
    """Up to five contactable organisations whose latest counted result on the same
    benchmark version is at least a level higher on this scan's weak parts; the most such
    parts first, then the largest lead. One query."""
    assert measurement.organisation_id is not None  # only for an organisation's scans
    model = engine_model(measurement.benchmark_version)
    weak = weak_parts(model, measurement)
    own_levels = {part: level_for_score(model, measurement.part_scores[part]) for part in weak}
    candidates = (
        Measurement.objects.filter(
            benchmark_version=measurement.benchmark_version,
            current=True,
            organisation__participation__contactable=True,
        )
        .exclude(organisation_id=measurement.organisation_id)
        .values_list(
            "organisation__name",
            "organisation__kind",
            "organisation__size",
            "organisation__participation__contact_name",
            "organisation__participation__contact_email",
            "part_scores",
        )
    )
    numbers = part_numbers(model)
    ranked = []
    for name, kind, size, contact_name, contact_email, parts in candidates:
        strong, lead = [], 0.0
        for part in weak:
            level = level_for_score(model, parts.get(part))
            own = own_levels[part]
            if level is not None and own is not None and level > own:
                strong.append(part)
                lead += parts[part] - measurement.part_scores[part]
        if strong:
            ranked.append(
                (-len(strong), -lead, name, kind, size, contact_name, contact_email, strong)
            )
    ranked.sort(key=lambda item: (item[0], item[1], item[2]))
    return [
        Suggestion(
            name=name,
            kind=str(Organisation.Kind(kind).label),
            size=str(Organisation.Size(size).label),
            contact_name=contact_name,
            contact_email=contact_email,
            strengths=[Strength(numbers.get(p), tr(model.node(p).title, lang)) for p in strong],
        )
        for _count, _lead, name, kind, size, contact_name, contact_email, strong in ranked[
            :SUGGESTIONS
        ]
    ]
