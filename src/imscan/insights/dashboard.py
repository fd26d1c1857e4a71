"""The programme dashboard's figures for one calendar year (and one model version for the
levels): each section one table, released with the threshold K and complementary
suppression (insights.privacy), whichever year or version is asked for.

The figures come from the scans (started) and the stored measurements (finished, levels,
parts), never from raw answers; every query groups in the database and returns at most
one row per organisation and month, or per organisation. See docs/insights.md.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, tr
from imscan.insights.benchmark import KINDS
from imscan.insights.models import FollowUp, FollowUpAnswer, Measurement, Stamp
from imscan.insights.privacy import Quartiles, quartiles
from imscan.insights.recording import PEERS
from imscan.insights.tables import (
    PERCENT,
    SCORE,
    Column,
    Family,
    Figure,
    Row,
    Table,
    figure,
    percent,
)
from imscan.organisations.models import Organisation
from imscan.scans.models import Scan
from imscan.scans.presenters import part_numbers

TOTAL = "total"
ANONYMOUS = "none"  # self-scans of no organisation
YEAR = "year"


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    starts = month_starts(year)
    return starts[0], starts[-1]


def _threshold() -> int:
    return int(settings.IMSCAN_MIN_ORGANISATIONS)


# ---- activity: scans started and finished per month, by type of government ----


def _kind_columns() -> list[Column]:
    columns = [Column(kind, str(Organisation.Kind(kind).label)) for kind in KINDS]
    columns.append(Column(ANONYMOUS, _("No organisation (self-scans)")))
    return [*columns, Column(TOTAL, _("Total"))]


def _month_label(year: int, month: int) -> str:
    return date_format(datetime.date(year, month, 1), "F")


@dataclass(frozen=True)
class Activity:
    """Scans started or finished in a year: every organisation's scans per month, and the
    scans without an organisation per month."""

    per_month: dict[int, tuple[str, list[int]]]  # organisation -> (its type, 12 counts)
    anonymous: list[int]  # 12 counts


def activity_table(key: str, title: str, year: int, activity: Activity) -> Table:
    """Counts per month and type, with month and type totals. Each self-scan without an
    organisation counts as a contributor of its own (it belongs to nobody, so it reveals
    nobody)."""
    columns = _kind_columns()
    kinds = [column.key for column in columns if column.key != TOTAL]
    months = list(range(1, 13))
    units: dict[Hashable, set[Hashable]] = {(m, k): set() for m in months for k in kinds}
    scans: dict[Hashable, int] = defaultdict(int)
    for organisation_id, (kind, counts) in activity.per_month.items():
        for month, count in zip(months, counts, strict=True):
            if count:
                units[(month, kind)].add(organisation_id)
                scans[(month, kind)] += count
    for month, count in zip(months, activity.anonymous, strict=True):
        units[(month, ANONYMOUS)].update((ANONYMOUS, month, i) for i in range(count))
        scans[(month, ANONYMOUS)] = count
    family = Family({unit: frozenset(found) for unit, found in units.items()}, _threshold())
    family.add((YEAR, TOTAL), units)
    for month in months:
        family.add((month, TOTAL), [(month, k) for k in kinds])
    for kind in kinds:
        family.add((YEAR, kind), [(m, kind) for m in months])
    for month in months:
        for kind in kinds:
            family.add((month, kind), [(month, kind)])
    shown = family.release()

    def value(cell: tuple[int | str, str]) -> int:
        return sum(scans[unit] for unit in family.cells[cell])

    table_rows = [
        Row(
            str(month),
            _month_label(year, month),
            {k: figure(value((month, k)), (month, k) in shown) for k in [*kinds, TOTAL]},
        )
        for month in months
    ]
    table_rows.append(
        Row(
            YEAR,
            _("Whole year"),
            {k: figure(value((YEAR, k)), (YEAR, k) in shown) for k in [*kinds, TOTAL]},
            total=True,
        )
    )
    return Table(key, title, [Column("month", _("Month")), *columns], table_rows)


def month_starts(year: int) -> list[datetime.datetime]:
    """The first moment of every month of the year and of the next year, in the site's
    time zone."""
    zone = timezone.get_current_timezone()
    starts = [datetime.datetime(year, month, 1, tzinfo=zone) for month in range(1, 13)]
    return [*starts, datetime.datetime(year + 1, 1, 1, tzinfo=zone)]


def organisation_kinds() -> dict[int, str]:
    """Every organisation's type, so that the activity rows need not carry it."""
    return dict(Organisation.objects.values_list("id", "kind"))


def activity(
    found: QuerySet[Any], field: str, starts: Sequence[datetime.date], kinds: dict[int, str]
) -> Activity:
    """One grouped query: per organisation (and for none) its scans in each month, as
    twelve filtered counts; at most one row per organisation, whatever the scans."""
    counts = {
        f"m{month}": Count(
            "id", filter=Q(**{f"{field}__gte": starts[month - 1], f"{field}__lt": starts[month]})
        )
        for month in range(1, 13)
    }
    per_month: dict[int, tuple[str, list[int]]] = {}
    anonymous = [0] * 12
    rows = found.values("organisation_id").annotate(**counts).order_by()
    for organisation_id, *months in rows.values_list("organisation_id", *counts):
        if organisation_id is None:
            anonymous = months
        elif organisation_id in kinds:
            per_month[organisation_id] = (kinds[organisation_id], months)
    return Activity(per_month, anonymous)


def started(year: int, kinds: dict[int, str]) -> Activity:
    """Every scan created in the year."""
    starts = month_starts(year)
    scans = Scan.objects.filter(created_at__gte=starts[0], created_at__lt=starts[-1])
    return activity(scans, "created_at", starts, kinds)


def finished(year: int, kinds: dict[int, str]) -> Activity:
    """The year's measurements with a finished respondent: a self-scan's finish, a guided
    scan's closing."""
    starts = [moment.date() for moment in month_starts(year)]
    measurements = Measurement.objects.filter(
        month__gte=starts[0], month__lt=starts[-1], respondents__gt=0
    )
    return activity(measurements, "month", starts, kinds)


def reached_table(started: Activity) -> Table:
    """Organisations with at least one scan started in the year, per type."""
    members: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for organisation_id, (kind, _months) in started.per_month.items():
        members[kind].add(organisation_id)
    family = Family({k: frozenset(v) for k, v in members.items()}, _threshold())
    family.add(TOTAL, KINDS)
    for kind in KINDS:
        family.add(kind, [kind])
    shown = family.release()
    rows = [
        Row(
            kind,
            str(Organisation.Kind(kind).label),
            {"n": figure(len(members[kind]), kind in shown)},
        )
        for kind in KINDS
    ]
    rows.append(
        Row(TOTAL, _("Total"), {"n": figure(family.behind(TOTAL), TOTAL in shown)}, total=True)
    )
    return Table(
        "reached",
        _("Organisations reached"),
        [Column("kind", _("Type of government")), Column("n", _("Organisations"))],
        rows,
    )


def consultants_table(year: int) -> Table:
    """Consultants who guided a scan that closed in the year (with a finished respondent),
    with those scans and their organisations."""
    starts = [moment.date() for moment in month_starts(year)]
    guided = list(
        Measurement.objects.filter(
            month__gte=starts[0], month__lt=starts[-1], guide__isnull=False, respondents__gt=0
        )
        .values_list("guide_id", "organisation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    organisations = frozenset(org for _guide, org, _count in guided)
    family = Family({"all": organisations}, _threshold())
    family.add("all", ["all"])
    shown = "all" in family.release()
    consultants = len({guide for guide, _org, _count in guided})
    scans = sum(count for _guide, _org, count in guided)
    return Table(
        "consultants",
        _("Consultants active"),
        [Column("what", ""), Column("n", _("Number"))],
        [
            Row(
                "consultants",
                _("Consultants who guided a scan"),
                {"n": figure(consultants, shown)},
            ),
            Row("guided", _("Guided scans they closed"), {"n": figure(scans, shown)}),
            Row(
                "organisations",
                _("Organisations they guided"),
                {"n": figure(len(organisations), shown)},
            ),
        ],
    )


# ---- levels and parts: each organisation's latest counted measurement of the year ----


@dataclass(frozen=True)
class _Latest:
    organisation_id: int
    kind: str
    level: int
    overall: float
    parts: dict[str, float]


def latest_of_year(version: ModelVersion, year: int) -> list[_Latest]:
    """Each organisation's latest counted measurement of the year (one row each)."""
    return [
        _Latest(org, kind, level, overall, parts)
        for org, kind, level, overall, parts in Measurement.objects.filter(
            benchmark_version=version, year=year, latest_in_year=True
        ).values_list(
            "organisation_id", "organisation__kind", "overall_level", "overall_score", "part_scores"
        )
        if level is not None and overall is not None  # always: counted means comparable
    ]


def levels_table(model: MaturityModel, latest: list[_Latest], lang: str) -> Table:
    """Organisations per level, per type of government and for all together."""
    levels = [level.level for level in model.levels]
    units = {
        (kind, level): frozenset(
            m.organisation_id for m in latest if m.kind == kind and m.level == level
        )
        for kind in KINDS
        for level in levels
    }
    family = Family(units, _threshold())
    family.add((TOTAL, TOTAL), units)
    for level in levels:
        family.add((TOTAL, level), [(k, level) for k in KINDS])
    for kind in KINDS:
        family.add((kind, TOTAL), [(kind, level) for level in levels])
    for kind in KINDS:
        for level in levels:
            family.add((kind, level), [(kind, level)])
    shown = family.release()
    columns = [Column("kind", _("Type of government"))]
    columns += [Column(str(level), _("Level %(level)s") % {"level": level}) for level in levels]
    columns.append(Column(TOTAL, _("Organisations")))

    def row(kind: str, label: str, total: bool = False) -> Row:
        whole = family.behind((kind, TOTAL))
        cells = {}
        for level in levels:
            n = family.behind((kind, level))
            cells[str(level)] = figure(n, (kind, level) in shown)
        cells[TOTAL] = figure(whole, (kind, TOTAL) in shown)
        return Row(kind, label, cells, total=total)

    rows = [row(kind, str(Organisation.Kind(kind).label)) for kind in KINDS]
    rows.append(row(TOTAL, _("All organisations"), total=True))
    return Table("levels", _("Organisations per level"), columns, rows)


def shares(table: Table) -> Table:
    """The same table as percentages of each row's organisations (where both are shown)."""
    rows = []
    for row in table.rows:
        whole = row.cells[TOTAL].value
        cells = {
            key: Figure(percent(cell.value, whole), cell.withheld or whole is None, PERCENT)
            for key, cell in row.cells.items()
            if key != TOTAL
        }
        cells[TOTAL] = row.cells[TOTAL]
        rows.append(Row(row.key, row.label, cells, row.total))
    return Table(table.key + "-shares", table.title, table.columns, rows)


def parts_table(model: MaturityModel, latest: list[_Latest], lang: str) -> Table:
    """Every part's median and quartiles over the organisations, the weakest first."""
    shown = len(latest) >= _threshold()
    numbers = part_numbers(model)
    entries = []
    for part in model.parts():
        values = [m.parts[part.id] for m in latest if m.parts.get(part.id) is not None]
        spread = quartiles(values) if values and shown else None
        # Ordered by the published (rounded) median: the order says no more than the table.
        weakest = round(spread.median, 1) if spread else float("inf")
        entries.append((weakest, numbers[part.id], part, spread))
    entries.sort(key=lambda entry: (entry[0], entry[1]))
    rows = []
    for _median, number, part, spread in entries:
        level = level_for_score(model, spread.median) if spread else None
        rows.append(
            Row(
                part.id,
                f"{number}. {tr(part.title, lang)}",
                {
                    **spread_figures(spread, shown),
                    "level": figure(level, shown),
                    "n": figure(len(latest), shown),
                },
            )
        )
    return Table(
        "parts",
        _("Parts, the weakest first"),
        [
            Column("part", _("Part")),
            Column("median", _("Median"), SCORE),
            Column("q1", _("First quartile"), SCORE),
            Column("q3", _("Third quartile"), SCORE),
            Column("level", _("Level of the median")),
            Column("n", _("Organisations")),
        ],
        rows,
    )


def spread_figures(spread: Quartiles | None, shown: bool) -> dict[str, Figure]:
    """The median and quartiles as published figures, rounded to one decimal."""
    values: dict[str, float | None] = {"median": None, "q1": None, "q3": None}
    if spread is not None:
        values = {key: round(getattr(spread, key), 1) for key in values}
    return {key: figure(value, shown, SCORE) for key, value in values.items()}


def trend_table(model: MaturityModel, version: ModelVersion) -> Table:
    """The overall score per year: each organisation's latest counted result of the year."""
    per_year: dict[int, list[float]] = defaultdict(list)
    for year, overall in Measurement.objects.filter(
        benchmark_version=version, latest_in_year=True
    ).values_list("year", "overall_score"):
        if overall is not None:  # always: counted means comparable
            per_year[year].append(overall)
    rows = []
    for year in sorted(per_year):
        values = per_year[year]
        shown = len(values) >= _threshold()
        spread = quartiles(values) if shown else None
        level = level_for_score(model, spread.median) if spread else None
        rows.append(
            Row(
                str(year),
                str(year),
                {
                    "n": figure(len(values), shown),
                    **spread_figures(spread, shown),
                    "level": figure(level, shown),
                },
            )
        )
    return Table(
        "trend",
        _("Maturity over the years"),
        [
            Column("year", _("Year")),
            Column("n", _("Organisations")),
            Column("median", _("Median overall score"), SCORE),
            Column("q1", _("First quartile"), SCORE),
            Column("q3", _("Third quartile"), SCORE),
            Column("level", _("Level of the median")),
        ],
        rows,
    )


# ---- impact follow-up ----


def followup_tables(year: int, lang: str) -> list[Table]:
    """Invitations sent and answered in the year, and per statement the share of "yes"
    among the yes and no answers, with the number of answers behind it."""
    start, end = year_bounds(year)
    sent = dict(
        FollowUp.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .values("organisation_id")
        .annotate(answered=Count("answered_at"))
        .order_by()
        .values_list("organisation_id", "answered")
    )
    units = {
        "answered": frozenset(org for org, answered in sent.items() if answered),
        "silent": frozenset(org for org, answered in sent.items() if not answered),
    }
    family = Family(units, _threshold())
    family.add("sent", ["answered", "silent"])
    family.add("answered", ["answered"])
    shown = family.release()
    response = Table(
        "followup-response",
        _("Follow-up surveys"),
        [Column("what", ""), Column("n", _("Organisations"))],
        [
            Row("sent", _("Invited"), {"n": figure(family.behind("sent"), "sent" in shown)}),
            Row(
                "answered",
                _("Answered"),
                {"n": figure(family.behind("answered"), "answered" in shown)},
            ),
        ],
    )
    answers = (
        FollowUpAnswer.objects.filter(
            followup__answered_at__gte=start,
            followup__answered_at__lt=end,
            value__isnull=False,
        )
        .values_list("statement_id", "value", "followup__organisation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    yes: dict[str, set[int]] = defaultdict(set)
    no: dict[str, set[int]] = defaultdict(set)
    counts: dict[tuple[str, bool], int] = defaultdict(int)
    for statement_id, value, organisation_id, count in answers:
        said_yes = value >= 0.5
        (yes if said_yes else no)[statement_id].add(organisation_id)
        counts[(statement_id, said_yes)] += count
    survey = _survey_model()
    rows = []
    for statement in survey.statements() if survey else []:
        family = Family(
            {"yes": frozenset(yes[statement.id]), "no": frozenset(no[statement.id])},
            _threshold(),
        )
        family.add("n", ["yes", "no"])
        family.add("yes", ["yes"])
        released = family.release()
        n = counts[(statement.id, True)] + counts[(statement.id, False)]
        share = percent(counts[(statement.id, True)], n)
        rows.append(
            Row(
                statement.id,
                tr(statement.text, lang),
                {
                    "yes": figure(share, "yes" in released, PERCENT),  # None: no answers
                    "n": figure(n, "n" in released),
                },
            )
        )
    outcomes = Table(
        "followup-outcomes",
        _("What the scan led to"),
        [
            Column("statement", _("Outcome")),
            Column("yes", _("Yes"), PERCENT),
            Column("n", _("Answers (yes or no)")),
        ],
        rows,
    )
    return [response, outcomes]


def _survey_model() -> MaturityModel | None:
    version = (
        ModelVersion.objects.defer("source")
        .filter(model_id=settings.IMSCAN_FOLLOWUP_SURVEY)
        .order_by("-created_at", "-id")
        .first()
    )
    return engine_model(version) if version else None


# ---- the whole dashboard ----


@dataclass(frozen=True)
class Dashboard:
    year: int
    version: ModelVersion | None
    started: Table
    finished: Table
    reached: Table
    consultants: Table
    levels: Table | None
    level_shares: Table | None
    parts: Table | None
    trend: Table | None
    followup: list[Table]

    @property
    def tables(self) -> list[Table]:
        found = [self.started, self.finished, self.reached, self.consultants]
        found += [t for t in (self.levels, self.parts, self.trend) if t is not None]
        return found + self.followup


def dashboard(year: int, version: ModelVersion | None, lang: str) -> Dashboard:
    kinds = organisation_kinds()
    begun = started(year, kinds)
    model = engine_model(version) if version else None
    latest = latest_of_year(version, year) if version else []
    levels = levels_table(model, latest, lang) if model else None
    return Dashboard(
        year=year,
        version=version,
        started=activity_table("started", _("Scans started"), year, begun),
        finished=activity_table("finished", _("Scans finished"), year, finished(year, kinds)),
        reached=reached_table(begun),
        consultants=consultants_table(year),
        levels=levels,
        level_shares=shares(levels) if levels else None,
        parts=parts_table(model, latest, lang) if model else None,
        trend=trend_table(model, version) if model and version else None,
        followup=followup_tables(year, lang),
    )


CACHE_SECONDS = 60


def cached_dashboard(year: int, version: ModelVersion | None, lang: str) -> Dashboard:
    """The dashboard, computed at most once a minute per year, version and language. A
    change of what an organisation shares, or of its type, moves the stamp
    (insights.recording.peers_changed) and so recomputes it on the next request; new scans
    show within the minute."""
    stamp = Stamp.objects.filter(name=PEERS).values_list("value", flat=True).first() or 0
    minute = int(timezone.now().timestamp() // CACHE_SECONDS)
    version_id = version.pk if version else 0
    key = f"insights-dashboard:{year}:{version_id}:{lang}:{stamp}:{_threshold()}:{minute}"
    found: Dashboard | None = cache.get(key)
    if found is None:
        found = dashboard(year, version, lang)
        cache.set(key, found, CACHE_SECONDS * 2)
    return found


def benchmark_versions() -> list[ModelVersion]:
    """The versions that measurements are compared as, the one with the most organisations
    first (one grouped query over each organisation's current measurements)."""
    counted = dict(
        Measurement.objects.filter(current=True)
        .values("benchmark_version_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("benchmark_version_id", "n")
    )
    found = ModelVersion.objects.defer("source").filter(pk__in=counted)
    return sorted(found, key=lambda version: (-counted[version.pk], str(version)))


def years() -> list[int]:
    """From the year of the first measurement to this year, the latest first."""
    now = timezone.localdate().year
    first = Measurement.objects.order_by("month").values_list("year", flat=True).first()
    return list(range(now, min(first or now, now) - 1, -1))
