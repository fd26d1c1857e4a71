"""Scans with known answers for the insights tests: every statement of a part answered
with one value, so that a part's score is that value (the IMS model scores the mean)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.insights.models import Measurement
from imscan.insights.recording import measurement_record
from imscan.organisations.models import ConsultantProfile, Organisation
from imscan.scans.models import Scan
from tests.factories import GuidedScanFactory, respondent_with_token


def answers(
    version: ModelVersion, value: float, parts: Mapping[str, float] | None = None
) -> dict[str, float | None]:
    """Every statement answered `value`, except the parts given their own value."""
    model = engine_model(version)
    given: dict[str, float | None] = {}
    for part in model.parts():
        for statement in part.statements or ():
            given[statement.id] = (parts or {}).get(part.id, value)
    return given


def self_scan(
    organisation: Organisation | None,
    version: ModelVersion,
    value: float = 3,
    *,
    parts: Mapping[str, float] | None = None,
    finished_at: datetime.datetime | None = None,
) -> Scan:
    """A finished self-scan of the organisation (or anonymous), recorded as on finishing."""
    scan = Scan.objects.create(
        model_version=version, kind=Scan.Kind.SELF, language="nl", organisation=organisation
    )
    respondent, _token = respondent_with_token(scan, answers=answers(version, value, parts))
    if finished_at is not None:
        respondent.finished_at = finished_at
        respondent.save(update_fields=["finished_at"])
        Scan.objects.filter(pk=scan.pk).update(created_at=finished_at)
    measurement_record(scan=scan)
    return scan


def guided_scan(
    organisation: Organisation,
    version: ModelVersion,
    values: list[float],
    *,
    closed_at: datetime.datetime | None = None,
    threshold: int = 3,
    guide: ConsultantProfile | None = None,
) -> Scan:
    """A closed guided scan with one finished respondent per value, recorded as on closing."""
    closed_at = closed_at or timezone.now()
    scan = GuidedScanFactory(
        model_version=version,
        organisation=organisation,
        closed_at=closed_at,
        anonymity_threshold=threshold,
        guide=guide,
    )
    Scan.objects.filter(pk=scan.pk).update(created_at=closed_at - datetime.timedelta(days=14))
    for value in values:
        respondent_with_token(scan, answers=answers(version, value))
    measurement_record(scan=scan)
    return scan


def current(organisation: Organisation) -> Measurement | None:
    return Measurement.objects.filter(organisation=organisation, current=True).first()
