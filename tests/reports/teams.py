"""Helpers for the team results and progress tests: guided scans with finished
respondents in groups, and logged-in members."""

from __future__ import annotations

import datetime
from random import Random
from typing import Any

from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel
from imscan.organisations.models import Organisation
from imscan.scans.models import RespondentGroup, Scan
from tests.factories import (
    GroupFactory,
    GuidedScanFactory,
    MembershipFactory,
    UserFactory,
    respondent_with_token,
)

Answers = dict[str, float | None]


def model_of(version: ModelVersion) -> MaturityModel:
    return engine_model(version)


def uniform(model: MaturityModel, value: float | None) -> Answers:
    return {statement.id: value for statement in model.statements()}


def random_answers(model: MaturityModel, seed: int) -> Answers:
    rng = Random(seed)
    return {s.id: rng.choice([1.0, 2.0, 3.0, 4.0, 5.0, None]) for s in model.statements()}


def guided_scan(
    version: ModelVersion,
    groups: dict[str, list[Answers]],
    *,
    threshold: int = 3,
    organisation: Organisation | None = None,
    **fields: Any,
) -> tuple[Scan, dict[str, RespondentGroup]]:
    """A guided scan with one group per key, each with a finished respondent per answers.

    Closed unless `closed_at=None` is given: an open scan shows no figures yet.
    """
    extra: dict[str, Any] = {"organisation": organisation} if organisation else {}
    fields.setdefault("closed_at", timezone.now())
    scan = GuidedScanFactory(
        model_version=version, anonymity_threshold=threshold, **extra, **fields
    )
    made = {}
    for position, (name, answers) in enumerate(groups.items()):
        group = GroupFactory(scan=scan, name=name, position=position)
        made[name] = group
        for given in answers:
            respondent_with_token(scan, group, given)
    return scan, made


def member(client: Client, organisation: Organisation) -> Any:
    """A member of the organisation, logged in on `client`."""
    user = UserFactory()
    MembershipFactory(organisation=organisation, user=user)
    client.force_login(user)
    return user


def team_url(scan: Scan, language: str = "en") -> str:
    return f"/{language}/scans/{scan.public_id}/results/"


def progress_url(organisation: Organisation, language: str = "en") -> str:
    return f"/{language}/organisations/{organisation.public_id}/progress/"


def at(days_ago: int) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(days=days_ago)
