"""Scans to share: a closed guided scan with e-mailed respondents, a finished self-scan."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import Organisation
from imscan.scans.models import Answer, Scan
from imscan.scans.services import self_scan_start
from tests.factories import GroupFactory, GuidedScanFactory, respondent_with_token
from tests.reports.teams import model_of, uniform

RESPONDENT_EMAILS = ["anna.jansen@example.org", "bert.smit@example.org", "carla.vos@example.org"]


def closed_guided(version: ModelVersion, organisation: Organisation | None = None, **fields: Any):
    """A guided scan with three respondents (invited by e-mail) who finished; closed unless
    closed_at=None. Returns the scan and the respondents' tokens."""
    fields.setdefault("closed_at", timezone.now())
    extra = {"organisation": organisation} if organisation else {}
    scan = GuidedScanFactory(model_version=version, anonymity_threshold=3, **extra, **fields)
    group = GroupFactory(scan=scan, name="Management")
    model = model_of(version)
    tokens = [
        respondent_with_token(scan, group, uniform(model, value), email=email)[1]
        for value, email in zip([2.0, 3.0, 4.0], RESPONDENT_EMAILS, strict=True)
    ]
    return scan, tokens


def self_scan(version: ModelVersion, finished: bool = True) -> tuple[Scan, str]:
    started = self_scan_start(version=version, language="nl")
    now = timezone.now()
    model = model_of(version)
    Answer.objects.bulk_create(
        Answer(respondent=started.respondent, statement_id=sid, value=value, updated_at=now)
        for sid, value in uniform(model, 3.0).items()
    )
    if finished:
        started.respondent.finished_at = now
        started.respondent.save(update_fields=["finished_at"])
    return started.scan, started.token


def org_share_url(scan: Scan, language: str = "en") -> str:
    return f"/{language}/scans/{scan.public_id}/share/"


def link_share_url(token: str, language: str = "en") -> str:
    return f"/{language}/scan/{token}/share/"


SHARED = re.compile(r'value="(https?://[^"]+/shared/([A-Za-z0-9_-]+)/)"')


def create(client: Client, url: str, **data: str) -> tuple[Any, str]:
    """POST the create form; returns the response and the new link's token ("" if none)."""
    response = client.post(url, data)
    found = SHARED.search(response.content.decode())
    return response, found.group(2) if found else ""
