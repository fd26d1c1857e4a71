"""An organisation's scan: details, respondents' progress (never an answer), the team
result with the anonymity rules of the team results page, and exports. Who may see what
is decided by `imscan.permissions`, as for the web pages."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from imscan.api import auth, presenters
from imscan.api.downloads import OPENAPI as DOWNLOAD_OPENAPI
from imscan.api.downloads import ExportFormat, ExportKind, choose, download
from imscan.api.errors import not_found
from imscan.api.http import cached_json
from imscan.api.pagination import Page, PageIn, page
from imscan.api.schemas import (
    LanguageCode,
    ProgressOut,
    RespondentProgressOut,
    ScanOut,
    TeamResultOut,
    responses,
)
from imscan.organisations.selectors import organisation_scans
from imscan.permissions import Action, scan_for
from imscan.reports.selectors import scan_state
from imscan.scans.guided_selectors import scan_progress
from imscan.scans.models import Scan

router = Router(auth=auth.USER)


def _scan(request: HttpRequest, scan_id: uuid.UUID, action: Action) -> Scan:
    scan = scan_for(auth.user_of(request), scan_id, action)
    if scan is None:
        raise not_found()
    return scan


@router.get("/{scan_id}", response=responses(ScanOut), summary="Read a scan")
def read_scan(request: HttpRequest, scan_id: uuid.UUID) -> dict[str, Any]:
    scan = _scan(request, scan_id, Action.VIEW)
    assert scan.organisation is not None  # scan_for opens an organisation's scans only
    counted = organisation_scans(scan.organisation).get(pk=scan.pk)
    return presenters.scan(counted)


@router.get("/{scan_id}/progress", response=responses(ProgressOut), summary="Read the progress")
def read_progress(request: HttpRequest, scan_id: uuid.UUID) -> dict[str, Any]:
    """How many respondents joined, started and finished, in all and per group."""
    scan = _scan(request, scan_id, Action.RUN_SCAN)
    return presenters.progress(scan, scan_progress(scan))


@router.get(
    "/{scan_id}/respondents",
    response=responses(Page[RespondentProgressOut]),
    summary="List the invited respondents' status",
)
def list_respondents(
    request: HttpRequest, scan_id: uuid.UUID, params: Query[PageIn]
) -> dict[str, Any]:
    """Everyone invited by e-mail, in order of invitation, with their status: invited,
    started or finished. Never their answers. People who joined through a group's link
    are only counted (in the progress)."""
    scan = _scan(request, scan_id, Action.RUN_SCAN)
    return page(presenters.respondent_rows(scan_progress(scan)), params, lambda row: row)


@router.get("/{scan_id}/result", response=responses(TeamResultOut), summary="Read the team result")
def read_team_result(request: HttpRequest, scan_id: uuid.UUID) -> HttpResponse:
    """The team's result in the JSON of `imscan score` (with the spread), per shown group
    and the discussion agenda, with the anonymity rules of the team results page: no
    figures while the scan is open or below its threshold, small groups not shown."""
    scan = _scan(request, scan_id, Action.VIEW)
    key = f"api-team-result:{scan.public_id}:{scan_state(scan).fingerprint(scan)}"
    return cached_json(key, lambda: presenters.team_result(scan))


@router.get(
    "/{scan_id}/exports/{kind}",
    response=responses(None),
    openapi_extra=DOWNLOAD_OPENAPI,
    summary="Download an export",
)
def export_scan(
    request: HttpRequest,
    scan_id: uuid.UUID,
    kind: ExportKind,
    format: ExportFormat | None = None,
    lang: LanguageCode | None = None,
) -> HttpResponse:
    """The answers or scores (csv, the default; xlsx; json), the report (pdf) or, for a
    self-scan, the whole scan (json), with the rules of the downloads on the result
    pages: a guided scan once closed and above its anonymity threshold."""
    scan = _scan(request, scan_id, Action.VIEW)
    return download(scan, kind, *choose(scan, kind, format, lang))
