"""Reads for the team results and progress pages: a fixed number of queries each, however
many respondents and answers there are (the answers come in one query and are grouped
here)."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from imscan.catalog.selectors import engine_model
from imscan.engine import (
    MaturityModel,
    RespondentAnswers,
    ScoreResult,
    TeamReport,
    score,
    score_many,
    team_report,
)
from imscan.organisations.models import Organisation
from imscan.plans.models import Plan
from imscan.scans.models import Respondent, RespondentGroup, Scan
from imscan.scans.selectors import respondent_answers

# The group key of respondents without a group (RespondentAnswers.group is a string).
NO_GROUP = ""


def group_key(group_id: int | None) -> str:
    return NO_GROUP if group_id is None else str(group_id)


@dataclass(frozen=True)
class GroupCount:
    key: str
    name: str  # "" for respondents without a group
    finished: int
    total: int


@dataclass(frozen=True)
class ScanState:
    """What a scan's result depends on, besides the answers themselves."""

    groups: list[GroupCount]  # in the scan's order; respondents without a group last
    finished: int
    total: int
    latest_finished: datetime.datetime | None

    def fingerprint(self, scan: Scan, now: datetime.datetime | None = None) -> str:
        """Changes whenever the page would: a respondent finishing, closing, settings."""
        parts = [
            str(scan.closed_at and scan.closed_at.timestamp()),
            str(scan.is_closed(now)),
            str(scan.closes_at and scan.closes_at.timestamp()),
            str(scan.anonymity_threshold),
            scan.title,
            scan.organisation.name if scan.organisation else "",
            str(self.finished),
            str(self.total),
            str(self.latest_finished and self.latest_finished.timestamp()),
            *(f"{group.key}={group.name}:{group.finished}" for group in self.groups),
        ]
        return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def scan_state(scan: Scan) -> ScanState:
    """The scan's groups with their respondents counted, in two queries."""
    names = dict(
        RespondentGroup.objects.filter(scan=scan)
        .order_by("position", "pk")
        .values_list("id", "name")
    )
    counted = {
        row["group_id"]: row
        for row in Respondent.objects.filter(scan=scan)
        .values("group_id")
        .annotate(
            total=Count("id"),
            finished=Count("id", filter=Q(finished_at__isnull=False)),
            latest=Max("finished_at"),
        )
        .order_by()
    }
    groups = [
        GroupCount(
            group_key(group_id),
            name,
            counted.get(group_id, {}).get("finished", 0),
            counted.get(group_id, {}).get("total", 0),
        )
        for group_id, name in names.items()
    ]
    if None in counted:
        row = counted[None]
        groups.append(GroupCount(NO_GROUP, "", row["finished"], row["total"]))
    latest = [row["latest"] for row in counted.values() if row["latest"] is not None]
    return ScanState(
        groups=groups,
        finished=sum(row["finished"] for row in counted.values()),
        total=sum(row["total"] for row in counted.values()),
        latest_finished=max(latest, default=None),
    )


def _collect(
    rows: Iterable[tuple[int, int | None, str | None, float | None]],
) -> list[RespondentAnswers]:
    answers: dict[int, dict[str, float | None]] = {}
    groups: dict[int, str] = {}
    for respondent_id, group_id, statement_id, value in rows:
        given = answers.setdefault(respondent_id, {})
        groups[respondent_id] = group_key(group_id)
        if statement_id is not None:  # a respondent who finished without any answer
            given[statement_id] = value
    return [RespondentAnswers(groups[pk], answers[pk]) for pk in sorted(answers)]


def self_scan_respondent(scan: Scan) -> Respondent | None:
    """A self-scan's respondent once finished (the first, should there ever be more)."""
    return Respondent.objects.filter(scan=scan, finished_at__isnull=False).order_by("pk").first()


def finished_answers(scan: Scan) -> list[RespondentAnswers]:
    """Every finished respondent of the scan with their answers, in one query."""
    rows = (
        Respondent.objects.filter(scan=scan, finished_at__isnull=False)
        .values_list("id", "group_id", "answers__statement_id", "answers__value")
        .order_by()
    )
    return _collect(rows)


def scan_team_report(scan: Scan, state: ScanState) -> tuple[MaturityModel, TeamReport]:
    """The scan's model and team report, with the scan's anonymity threshold and its groups'
    order: what the team results page, the PDF and the API show. One query."""
    model = engine_model(scan.model_version)
    report = team_report(
        model,
        finished_answers(scan),
        threshold=scan.result_threshold,
        group_order=[group.key for group in state.groups],
    )
    return model, report


@dataclass(frozen=True)
class FinalResult:
    """A scan's result once it is final and may be shown (see `final_result`)."""

    model: MaturityModel
    result: ScoreResult
    date: datetime.datetime  # when it became final: finished (self-scan) or closed
    respondents: int


def final_result(scan: Scan, now: datetime.datetime | None = None) -> FinalResult | None:
    """The result as the result pages show it, once it can no longer change: a self-scan
    once finished; a guided scan once closed, with at least its anonymity threshold of
    finished respondents. None before that. Two queries at most."""
    model = engine_model(scan.model_version)
    if scan.kind == Scan.Kind.SELF:
        respondent = self_scan_respondent(scan)
        if respondent is None or respondent.finished_at is None:
            return None
        result = score(model, respondent_answers(respondent))
        return FinalResult(model, result, respondent.finished_at, 1)
    if not scan.is_closed(now):
        return None
    respondents = finished_answers(scan)
    if len(respondents) < max(1, scan.result_threshold):
        return None
    closed = scan.closed_at or scan.closes_at
    assert closed is not None  # is_closed() says one of them is set
    return FinalResult(model, score_many(model, respondents), closed, len(respondents))


@dataclass(frozen=True)
class ScanAnswers:
    """A scan of an organisation with its finished respondents, for progress over time."""

    scan: Scan
    respondents: list[RespondentAnswers]
    latest_finished: datetime.datetime | None


def organisation_scans(organisation: Organisation) -> list[ScanAnswers]:
    """Every scan of the organisation with its finished respondents' answers: two queries.

    The scans come with their model version (without its source text), oldest first.
    """
    scans = list(
        Scan.objects.filter(organisation=organisation)
        .select_related("model_version")
        .defer("model_version__source")
        .order_by("created_at", "pk")
    )
    rows = (
        Respondent.objects.filter(scan__organisation=organisation, finished_at__isnull=False)
        .values_list(
            "scan_id", "id", "group_id", "finished_at", "answers__statement_id", "answers__value"
        )
        .order_by()
    )
    per_scan: dict[int, list[tuple[int, int | None, str | None, float | None]]] = {}
    latest: dict[int, datetime.datetime] = {}
    for scan_id, respondent_id, group_id, finished_at, statement_id, value in rows:
        per_scan.setdefault(scan_id, []).append((respondent_id, group_id, statement_id, value))
        if finished_at is not None and (scan_id not in latest or finished_at > latest[scan_id]):
            latest[scan_id] = finished_at
    return [
        ScanAnswers(scan, _collect(per_scan.get(scan.pk, [])), latest.get(scan.pk))
        for scan in scans
    ]


def organisation_fingerprint(organisation: Organisation) -> str:
    """Changes whenever the progress page would: a scan added, closed, finished by someone,
    a development plan changed."""
    scans = (
        Scan.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list("pk", "closed_at", "closes_at", "anonymity_threshold", "title", "kind")
    )
    finished = Respondent.objects.filter(
        scan__organisation=organisation, finished_at__isnull=False
    ).aggregate(count=Count("id"), latest=Max("finished_at"))
    plans = Plan.objects.filter(organisation=organisation).aggregate(
        count=Count("id"), latest=Max("updated_at")
    )
    now = timezone.now()
    # A scan past its closing date is closed without its row changing: count that too.
    parts = [repr((*row, row[2] is not None and row[2] <= now)) for row in scans]
    parts += [repr(finished["count"]), repr(finished["latest"])]
    parts += [repr(plans["count"]), repr(plans["latest"])]  # the plans' follow-up
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]
