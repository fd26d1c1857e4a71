"""The benchmark: how organisations that took the same model version score, per part.

Every organisation counts once, with its latest counted measurement (`current`). The
groups are all organisations, each type of government, each size band, and each type and
size together; which of them may be shown is decided for all of them at once
(insights.privacy), whichever group is asked for, so no two requests can be combined to
reveal an organisation. Computed in one query of at most one row per organisation, and
cached until a counted measurement, a choice or an organisation's type changes.

`peers(version)` is the selector for pages and the JSON API alike: its `group(kind, size)`
gives a group's figures, with the threshold and complementary suppression applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, QuerySet, Subquery

from imscan.catalog.models import ModelVersion
from imscan.insights.models import Measurement, Stamp
from imscan.insights.privacy import publishable, quartiles
from imscan.insights.recording import PEERS
from imscan.organisations.models import Organisation

KINDS: tuple[str, ...] = tuple(Organisation.Kind.values)
SIZES: tuple[str, ...] = tuple(Organisation.Size.values)
DECIMALS = 1  # published figures are rounded: finer steps would say more than they mean
CACHE_SECONDS = 24 * 60 * 60
OVERALL = ""  # the overall score among the parts' columns (part ids are never empty)


@dataclass(frozen=True)
class Group:
    """A group of peers: None means any type of government, or any size."""

    kind: str | None = None
    size: str | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"unknown type of government {self.kind!r}")
        if self.size is not None and self.size not in SIZES:
            raise ValueError(f"unknown size band {self.size!r}")


def all_groups() -> list[Group]:
    """Every group, the most important first (complementary suppression spares those)."""
    return [
        Group(),
        *(Group(kind=kind) for kind in KINDS),
        *(Group(size=size) for size in SIZES),
        *(Group(kind, size) for kind in KINDS for size in SIZES),
    ]


def shown_groups(members: dict[tuple[str, str], set[int]], threshold: int) -> frozenset[Group]:
    """Which groups may be shown, given the organisations of each type and size band."""
    units = {
        (kind, size): frozenset(members.get((kind, size), ())) for kind in KINDS for size in SIZES
    }
    cells = {
        group: {
            unit
            for unit in units
            if group.kind in (None, unit[0]) and group.size in (None, unit[1])
        }
        for group in all_groups()
    }
    return publishable(units, cells, threshold)


class Figures(NamedTuple):
    """One published cell: the organisations behind it and their quartiles. (A named tuple:
    a cached benchmark holds hundreds, and these unpickle fastest.)"""

    organisations: int
    q1: float
    median: float
    q3: float


@dataclass(frozen=True)
class GroupFigures:
    """A group's figures: None when withheld (fewer than K organisations, or it would give
    another group of fewer than K away)."""

    group: Group
    threshold: int
    overall: Figures | None
    parts: dict[str, Figures] | None

    @property
    def shown(self) -> bool:
        return self.overall is not None

    @property
    def organisations(self) -> int | None:
        return self.overall.organisations if self.overall else None


@dataclass(frozen=True)
class _Row:
    organisation_id: int
    kind: str
    size: str
    overall: float
    parts: dict[str, float]


@dataclass(frozen=True)
class Peers:
    """The benchmark of one version: every group's figures, with which groups may be shown
    decided for all of them at once. Only comparable results count (every part has a
    score), so every part of a group has the same organisations behind it."""

    version_id: int
    threshold: int
    groups: dict[Group, GroupFigures]

    def group(self, kind: str | None = None, size: str | None = None) -> GroupFigures:
        group = Group(kind, size)
        return self.groups.get(group) or GroupFigures(group, self.threshold, None, None)


def release(version_id: int, rows: list[_Row], threshold: int) -> Peers:
    """Every group's figures. The scores are sorted once per type-and-size cell; a group's
    are the concatenation of its cells' (which the sort of `quartiles` merges in one pass),
    so 42 groups cost little more than one."""
    cells: dict[tuple[str, str], list[_Row]] = {}
    for row in rows:
        cells.setdefault((row.kind, row.size), []).append(row)
    members = {cell: {row.organisation_id for row in found} for cell, found in cells.items()}
    shown = shown_groups(members, threshold)
    items = list(rows[0].parts) if rows else []
    columns = {
        cell: {
            OVERALL: sorted(row.overall for row in found),
            **{item: sorted(row.parts[item] for row in found) for item in items},
        }
        for cell, found in cells.items()
    }
    groups = {}
    for group in shown:
        inside = [
            cell
            for cell in cells
            if group.kind in (None, cell[0]) and group.size in (None, cell[1])
        ]
        if not inside:  # an empty group is "shown", but there is nothing to show
            continue
        merged = {
            item: _figures([value for cell in inside for value in columns[cell][item]])
            for item in (OVERALL, *items)
        }
        overall = merged.pop(OVERALL)
        groups[group] = GroupFigures(group, threshold, overall, merged)
    return Peers(version_id, threshold, groups)


def _figures(values: list[float]) -> Figures:
    spread = quartiles(values)
    return Figures(
        organisations=len(values),
        q1=round(spread.q1, DECIMALS),
        median=round(spread.median, DECIMALS),
        q3=round(spread.q3, DECIMALS),
    )


def fingerprint_of(version_id: int) -> tuple[int, int]:
    """What a cached benchmark is valid for: the stamp that the writes move, and the number
    of current measurements (a deleted organisation takes its own away)."""
    stamp = Stamp.objects.filter(name=PEERS).values_list("value", flat=True).first()
    count = Measurement.objects.filter(benchmark_version_id=version_id, current=True).count()
    return (stamp or 0, count)


def peers(version: ModelVersion, fingerprint: tuple[int, int] | None = None) -> Peers:
    """The benchmark of a benchmark version: from the cache while nothing changed (one
    query for the fingerprint, none if the caller has it), else one query, one row per
    organisation. `fingerprint` may come with the caller's own query
    (`with_fingerprint`)."""
    threshold = int(settings.IMSCAN_MIN_ORGANISATIONS)
    stamp, count = fingerprint if fingerprint is not None else fingerprint_of(version.pk)
    key = f"insights-peers:{version.pk}:{stamp}:{count}:{threshold}"
    cached: Peers | None = cache.get(key)
    if cached is not None:
        return cached
    rows = [
        _Row(organisation_id, kind, size, overall, parts)
        for organisation_id, kind, size, overall, parts in Measurement.objects.filter(
            benchmark_version=version, current=True
        ).values_list(
            "organisation_id",
            "organisation__kind",
            "organisation__size",
            "overall_score",
            "part_scores",
        )
        if overall is not None and organisation_id is not None  # always, being current
    ]
    found = release(version.pk, rows, threshold)
    cache.set(key, found, CACHE_SECONDS)
    return found


def with_fingerprint(measurements: QuerySet[Measurement]) -> QuerySet[Measurement]:
    """The measurements with their benchmark's fingerprint (`peers_stamp`, `peers_count`),
    so that a results page needs no query of its own for it."""
    return measurements.annotate(
        peers_stamp=Subquery(Stamp.objects.filter(name=PEERS).values("value")[:1]),
        peers_count=Subquery(
            Measurement.objects.filter(
                benchmark_version_id=OuterRef("benchmark_version_id"), current=True
            )
            .order_by()
            .values("benchmark_version_id")
            .annotate(n=Count("id"))
            .values("n")
        ),
    )
