"""Results to make plans from: a finished self-scan (with its private link) and a closed
guided scan, both of the shipped IMS model."""

from __future__ import annotations

from typing import Any

from imscan.catalog.models import ModelVersion
from imscan.engine import MaturityModel
from imscan.organisations.models import Organisation
from imscan.plans import services
from imscan.plans.models import Plan
from imscan.scans.models import Scan
from tests.factories import respondent_with_token
from tests.reports.teams import Answers, guided_scan, model_of, random_answers


def self_scan(
    version: ModelVersion, answers: Answers | None = None, **fields: Any
) -> tuple[Scan, str]:
    """A finished self-scan and its private link's token."""
    scan = Scan.objects.create(model_version=version, kind=Scan.Kind.SELF, language="nl", **fields)
    _, token = respondent_with_token(scan, None, answers or random_answers(model_of(version), 5))
    return scan, token


def team_scan(
    version: ModelVersion, organisation: Organisation | None = None, **fields: Any
) -> Scan:
    """A closed guided scan of three respondents in one group."""
    model = model_of(version)
    answers = [random_answers(model, seed) for seed in (1, 2, 3)]
    scan, _ = guided_scan(version, {"Staff": answers}, organisation=organisation, **fields)
    return scan


def first_points(model: MaturityModel, scan: Scan, count: int = 2) -> list[str]:
    """The ids of the scan's first development points."""
    from imscan.reports.selectors import final_result

    found = final_result(scan)
    assert found is not None
    return [point.node_id for point in found.result.development_points[:count]]


def plan_for(scan: Scan, parts: list[str] | None = None) -> Plan:
    model = model_of(scan.model_version)
    return services.plan_create(source=scan, parts=parts or first_points(model, scan))


def other_part(model: MaturityModel, taken: list[str]) -> str:
    return next(part.id for part in model.parts() if part.id not in taken)
