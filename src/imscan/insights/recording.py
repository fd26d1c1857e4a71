"""Writing measurements: the stored figures of finished self-scans and closed guided scans.

The services that finish, close, claim or import a scan call `measurement_record` (one
explicit call each); `imscan record_results` records what they could not: guided scans
closed by their closing date, and scans from before this app existed. Recording is
idempotent: a scan has at most one measurement, written again with the same figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, F, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from imscan.catalog.selectors import engine_model
from imscan.engine import RespondentAnswers, score, score_many
from imscan.insights.models import Measurement, Participation, Stamp
from imscan.insights.versions import benchmarked_as
from imscan.organisations.models import Organisation
from imscan.reports.selectors import group_key
from imscan.scans.models import Answer, Respondent, Scan

BATCH = 500


@dataclass(frozen=True)
class _Finished:
    respondents: list[RespondentAnswers]
    first_finished: datetime.datetime | None


def benchmark_choice(organisation_id: int | None, choices: dict[int, str]) -> str:
    return choices.get(organisation_id or 0, Participation.Benchmark.GUIDED)


def is_counted(*, scan_kind: str, comparable: bool, has_organisation: bool, choice: str) -> bool:
    """Whether a measurement counts in benchmarks and statistics: the organisation's choice
    (guided scans by default, self-scans only when it opted in), and a comparable result.
    A self-scan without an organisation never counts: nobody could opt it in."""
    if not (has_organisation and comparable):
        return False
    if choice == Participation.Benchmark.ALL:
        return True
    return choice == Participation.Benchmark.GUIDED and scan_kind == Scan.Kind.GUIDED


def _measured_at(scan: Scan, finished: _Finished) -> datetime.datetime | None:
    """When the result became final: a self-scan's finish, a guided scan's closing."""
    if scan.kind == Scan.Kind.SELF:
        return finished.first_finished
    moments = [moment for moment in (scan.closed_at, scan.closes_at) if moment is not None]
    return min(moments) if moments else None


def _is_done(scan: Scan, finished: _Finished, now: datetime.datetime) -> bool:
    if scan.kind == Scan.Kind.SELF:
        return finished.first_finished is not None
    return scan.is_closed(now)


def _finished_answers(scan_ids: Sequence[int]) -> dict[int, _Finished]:
    """Every finished respondent's answers of the scans, in two queries (the respondents,
    then their answers without repeating the respondent's columns on every answer)."""
    respondents = (
        Respondent.objects.filter(scan_id__in=scan_ids, finished_at__isnull=False)
        .values_list("id", "scan_id", "group_id", "finished_at")
        .order_by("scan_id", "id")
    )
    given: dict[int, dict[str, float | None]] = {}
    of_scan: dict[int, list[int]] = {}
    groups: dict[int, str] = {}
    first: dict[int, datetime.datetime] = {}
    for respondent_id, scan_id, group_id, finished_at in respondents:
        given[respondent_id] = {}
        of_scan.setdefault(scan_id, []).append(respondent_id)
        groups[respondent_id] = group_key(group_id)
        if finished_at is not None:  # always, by the filter
            first.setdefault(scan_id, finished_at)  # the first respondent: a self-scan's one
    answers = Answer.objects.filter(
        respondent__scan_id__in=scan_ids, respondent__finished_at__isnull=False
    ).values_list("respondent_id", "statement_id", "value")
    for respondent_id, statement_id, value in answers:
        given[respondent_id][statement_id] = value
    return {
        scan_id: _Finished(
            [RespondentAnswers(groups[pk], given[pk]) for pk in members], first[scan_id]
        )
        for scan_id, members in of_scan.items()
    }


def _measurement(
    scan: Scan, finished: _Finished, measured_at: datetime.datetime, choices: dict[int, str]
) -> Measurement:
    model = engine_model(scan.model_version)
    respondents = finished.respondents
    if scan.kind == Scan.Kind.SELF:
        respondents = respondents[:1]  # a self-scan has one respondent
    # Below its own anonymity threshold a guided scan shows no team result: no figures.
    shown = bool(respondents) and len(respondents) >= scan.result_threshold
    overall_score = overall_level = None
    parts: dict[str, float | None] = {}
    if shown:
        # One respondent's team result is their own: score() gives it at half the cost.
        many = len(respondents) > 1
        result = score_many(model, respondents) if many else score(model, respondents[0].answers)
        overall_score, overall_level = result.overall.score, result.overall.level
        parts = {part.id: result.nodes[part.id].score for part in model.parts()}
    comparable = overall_score is not None and all(v is not None for v in parts.values())
    local = timezone.localtime(measured_at)
    return Measurement(
        scan=scan,
        organisation_id=scan.organisation_id,
        model_version=scan.model_version,
        benchmark_version=benchmarked_as(scan.model_version),
        scan_kind=scan.kind,
        guide_id=scan.guide_id,
        measured_at=measured_at,
        year=local.year,
        month=local.date().replace(day=1),
        respondents=len(respondents),
        comparable=comparable,
        overall_score=overall_score,
        overall_level=overall_level,
        part_scores=parts,
        counted=is_counted(
            scan_kind=scan.kind,
            comparable=comparable,
            has_organisation=scan.organisation_id is not None,
            choice=benchmark_choice(scan.organisation_id, choices),
        ),
    )


def _record(
    scans: Sequence[Scan], now: datetime.datetime, *, refresh: bool = True
) -> list[Measurement]:
    """Write the measurements of the scans that are done; with `refresh`, also the flags of
    their organisations (a backfill refreshes everyone's once, at the end)."""
    finished = _finished_answers([scan.pk for scan in scans])
    organisation_ids = {scan.organisation_id for scan in scans if scan.organisation_id}
    choices = dict(
        Participation.objects.filter(organisation_id__in=organisation_ids).values_list(
            "organisation_id", "benchmark"
        )
    )
    made = []
    for scan in scans:
        done = finished.get(scan.pk, _Finished([], None))
        measured_at = _measured_at(scan, done)
        if measured_at is None or not _is_done(scan, done, now):
            continue
        made.append(_measurement(scan, done, measured_at, choices))
    if made:
        Measurement.objects.bulk_create(
            made,
            update_conflicts=True,
            unique_fields=["scan"],
            update_fields=[
                field.name
                for field in Measurement._meta.concrete_fields
                if field.name not in {"id", "scan", "current", "latest_in_year"}
            ],
        )
        if refresh:
            refresh_flags(organisation_ids={m.organisation_id for m in made if m.organisation_id})
            if any(measurement.counted for measurement in made):
                peers_changed()
    return made


def _scans(queryset: QuerySet[Scan]) -> QuerySet[Scan]:
    return queryset.select_related("model_version").defer("model_version__source")


def measurement_record(*, scan: Scan) -> Measurement | None:
    """Store the figures of a finished self-scan or a closed guided scan (again, after it
    was claimed); does nothing for a scan that is not done. Returns the measurement."""
    with transaction.atomic():
        made = _record(list(_scans(Scan.objects.filter(pk=scan.pk))), timezone.now())
    return made[0] if made else None


def done_scans(now: datetime.datetime) -> QuerySet[Scan]:
    """Self-scans with a finished respondent and guided scans that are closed."""
    finished_self = Q(kind=Scan.Kind.SELF, respondents__finished_at__isnull=False)
    closed_guided = Q(kind=Scan.Kind.GUIDED) & (Q(closed_at__isnull=False) | Q(closes_at__lte=now))
    return Scan.objects.filter(finished_self | closed_guided).distinct()


def measurements_backfill(*, rebuild: bool = False) -> int:
    """Record every done scan without a measurement (or, with `rebuild`, every done scan),
    in batches; returns how many were written."""
    now = timezone.now()
    wanted = done_scans(now)
    if not rebuild:
        wanted = wanted.filter(measurement__isnull=True)
    ids = list(wanted.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with transaction.atomic():
            scans = list(_scans(Scan.objects.filter(pk__in=batch)))
            written += len(_record(scans, now, refresh=False))
    if written or rebuild:
        refresh_flags()
        peers_changed()
    return written


def refresh_flags(*, organisation_ids: Iterable[int] | None = None) -> None:
    """Mark each organisation's latest counted measurement per benchmark version
    (`current`) and per calendar year (`latest_in_year`), for the given organisations or,
    with None, for all. Two UPDATE statements, whatever the number of measurements."""
    scope = Measurement.objects.all()
    if organisation_ids is not None:
        ids = list(organisation_ids)
        if not ids:
            return
        scope = scope.filter(organisation_id__in=ids)
    newest = [F("measured_at").desc(), F("id").desc()]
    for flag, partition in (
        ("current", ["organisation_id", "benchmark_version_id"]),
        ("latest_in_year", ["organisation_id", "benchmark_version_id", "year"]),
    ):
        latest = (
            scope.filter(counted=True, organisation__isnull=False)
            .annotate(
                rank=Window(RowNumber(), partition_by=[F(f) for f in partition], order_by=newest)
            )
            .filter(rank=1)
            .values("pk")
        )
        scope.update(**{flag: Case(When(pk__in=latest, then=Value(True)), default=Value(False))})


def organisation_recount(*, organisation: Organisation, choice: str) -> None:
    """Apply a changed benchmark choice to the organisation's measurements, at once
    (`is_counted` as a database condition)."""
    measurements = Measurement.objects.filter(organisation=organisation)
    if choice == Participation.Benchmark.NONE:
        measurements.update(counted=False)
    else:
        condition = Q(comparable=True)
        if choice == Participation.Benchmark.GUIDED:
            condition &= Q(scan_kind=Scan.Kind.GUIDED)
        measurements.update(counted=Case(When(condition, then=Value(True)), default=Value(False)))
    refresh_flags(organisation_ids=[organisation.pk])
    peers_changed()


PEERS = "peers"


def peers_changed() -> None:
    """Tell every process that cached benchmarks are out of date (insights.benchmark).
    Called by the writes above, and by organisation_update when a type or size changes."""
    if not Stamp.objects.filter(name=PEERS).update(value=F("value") + 1):
        Stamp.objects.get_or_create(name=PEERS)
