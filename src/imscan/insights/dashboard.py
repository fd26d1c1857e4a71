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

from django.conf import settings
from django.db.models import Case, Count, IntegerField, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, level_for_score, tr
from imscan.insights.models import FollowUp, FollowUpAnswer, Measurement
from imscan.insights.privacy import quartiles
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
KINDS: tuple[str, ...] = tuple(Organisation.Kind.values)


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


def activity_table(
    key: str,
    title: str,
    year: int,
    rows: Activity,
) -> Table:
    """Counts per month and type, with month and type totals. `rows` are (month, the
    organisation or None, its type, count); each self-scan without an organisation counts
    as a contributor of its own (it belongs to nobody, so it reveals nobody)."""
    columns = _kind_columns()
    kinds = [column.key for column in columns if column.key != TOTAL]
    units: dict[Hashable, set[Hashable]] = {(m, k): set() for m in range(1, 13) for k in kinds}
    values: dict[Hashable, int] = defaultdict(int)
    for month, organisation_id, kind, count in rows:
        column = kind if organisation_id is not None and kind else ANONYMOUS
        if column not in kinds:
            continue
        if organisation_id is None:
            units[(month, column)].update((ANONYMOUS, month, i) for i in range(count))
        else:
            units[(month, column)].add(organisation_id)
        values[(month, column)] += count
    family = Family({unit: frozenset(found) for unit, found in units.items()}, _threshold())
    months = list(range(1, 13))
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
        return sum(values[unit] for unit in family.cells[cell])

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


def month_of(field: str, starts: Sequence[datetime.date]) -> Case:
    """The month (1-12) of a moment or date of the year, by comparing it with the months'
    starts: plain SQL on every engine (SQLite would truncate dates with a Python function
    per row)."""
    return Case(
        *(When(**{f"{field}__lt": starts[month]}, then=Value(month)) for month in range(1, 13)),
        output_field=IntegerField(),
    )


Activity = list[tuple[int, int | None, str | None, int]]  # month, organisation, type, count


def organisation_kinds() -> dict[int, str]:
    """Every organisation's type, so that the activity rows need not carry it."""
    return dict(Organisation.objects.values_list("id", "kind"))


def started_rows(year: int, kinds: dict[int, str]) -> Activity:
    """Scans started per month and organisation (one row per organisation and month)."""
    starts = month_starts(year)
    found = (
        Scan.objects.filter(created_at__gte=starts[0], created_at__lt=starts[-1])
        .annotate(month=month_of("created_at", starts))
        .values_list("month", "organisation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [(month, org, kinds.get(org) if org else None, n) for month, org, n in found]


def finished_rows(year: int, kinds: dict[int, str]) -> Activity:
    """Scans finished per month and organisation: their measurements (a self-scan's
    finish, a guided scan's closing with at least one finished respondent)."""
    starts = [moment.date() for moment in month_starts(year)]
    found = (
        Measurement.objects.filter(year=year, respondents__gt=0)
        .annotate(number=month_of("month", starts))
        .values_list("number", "organisation_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return [(month, org, kinds.get(org) if org else None, n) for month, org, n in found]


def reached_table(started: Activity) -> Table:
    """Organisations with at least one scan started in the year, per type."""
    members: dict[str, set[int]] = {kind: set() for kind in KINDS}
    for _month, organisation_id, kind, _count in started:
        if organisation_id is not None and kind in members:
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
    """Consultants who guided a scan started in the year, with the scans and organisations."""
    start, end = year_bounds(year)
    guided = list(
        Scan.objects.filter(
            kind=Scan.Kind.GUIDED, created_at__gte=start, created_at__lt=end, guide__isnull=False
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
                "consultants", _("Consultants who guided a scan"), {"n": figure(consultants, shown)}
            ),
            Row("guided", _("Guided scans they started"), {"n": figure(scans, shown)}),
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
    return [
        _Latest(org, kind, level, overall, parts)
        for org, kind, level, overall, parts in Measurement.objects.filter(
            benchmark_version=version, year=year, latest_in_year=True
        ).values_list(
            "organisation_id", "organisation__kind", "overall_level", "overall_score", "part_scores"
        )
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
                    "median": figure(spread and round(spread.median, 1), shown, SCORE),
                    "q1": figure(spread and round(spread.q1, 1), shown, SCORE),
                    "q3": figure(spread and round(spread.q3, 1), shown, SCORE),
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


def trend_table(model: MaturityModel, version: ModelVersion) -> Table:
    """The overall score per year: each organisation's latest counted result of the year."""
    per_year: dict[int, list[float]] = defaultdict(list)
    for year, overall in Measurement.objects.filter(
        benchmark_version=version, latest_in_year=True
    ).values_list("year", "overall_score"):
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
                    "median": figure(spread and round(spread.median, 1), shown, SCORE),
                    "q1": figure(spread and round(spread.q1, 1), shown, SCORE),
                    "q3": figure(spread and round(spread.q3, 1), shown, SCORE),
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
    model: MaturityModel | None
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
    started = started_rows(year, kinds)
    model = engine_model(version) if version else None
    latest = latest_of_year(version, year) if version else []
    levels = levels_table(model, latest, lang) if model else None
    return Dashboard(
        year=year,
        version=version,
        model=model,
        started=activity_table("started", _("Scans started"), year, started),
        finished=activity_table("finished", _("Scans finished"), year, finished_rows(year, kinds)),
        reached=reached_table(started),
        consultants=consultants_table(year),
        levels=levels,
        level_shares=shares(levels) if levels else None,
        parts=parts_table(model, latest, lang) if model else None,
        trend=trend_table(model, version) if model and version else None,
        followup=followup_tables(year, lang),
    )


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
