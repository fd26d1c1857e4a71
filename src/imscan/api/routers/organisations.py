"""The caller's organisations and their scans; claiming a self-scan into one."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from imscan.api import auth, presenters
from imscan.api.errors import ApiError, Code, not_found
from imscan.api.pagination import Page, PageIn, page
from imscan.api.schemas import ClaimIn, OrganisationOut, ScanOut, responses
from imscan.organisations import services
from imscan.organisations.models import Organisation
from imscan.organisations.selectors import organisation_scans
from imscan.permissions import Action, organisation_for, visible_organisations
from imscan.scans.selectors import respondent_by_token

router = Router(auth=auth.USER)


def _organisation(request: HttpRequest, org_id: uuid.UUID, action: Action) -> Organisation:
    found = organisation_for(auth.user_of(request), org_id, action)
    if found is None:
        raise not_found()
    return found


@router.get("", response=responses(Page[OrganisationOut]), summary="List my organisations")
def list_organisations(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    """The organisations you are an owner or member of, or engaged by as a consultant."""
    user = auth.user_of(request)
    return page(visible_organisations(user), params, lambda org: presenters.organisation(org, user))


@router.get("/{org_id}", response=responses(OrganisationOut), summary="Read an organisation")
def read_organisation(request: HttpRequest, org_id: uuid.UUID) -> dict[str, Any]:
    organisation = _organisation(request, org_id, Action.VIEW)
    return presenters.organisation(organisation, auth.user_of(request))


@router.get(
    "/{org_id}/scans", response=responses(Page[ScanOut]), summary="List an organisation's scans"
)
def list_scans(request: HttpRequest, org_id: uuid.UUID, params: Query[PageIn]) -> dict[str, Any]:
    """Its guided scans and claimed self-scans, newest first."""
    organisation = _organisation(request, org_id, Action.VIEW)
    return page(organisation_scans(organisation), params, presenters.scan)


@router.post("/{org_id}/claims", response=responses(ScanOut, 201), summary="Add a self-scan to it")
def claim_self_scan(request: HttpRequest, org_id: uuid.UUID, body: ClaimIn) -> Status[Any]:
    """Add an anonymous self-scan, by its private link token, to an organisation you are
    an owner or member of: its result then shows with the organisation's scans."""
    user = auth.user_of(request)
    organisation = _organisation(request, org_id, Action.CREATE_SCAN)
    respondent = respondent_by_token(body.token)
    if respondent is None:
        raise ApiError(
            422, Code.VALIDATION_ERROR, _("There is no scan with that private link token.")
        )
    try:
        scan = services.scan_claim(scan=respondent.scan, organisation=organisation, user=user)
    except services.Refused as refusal:
        raise ApiError(409, Code.CLAIM_REFUSED, str(refusal)) from None
    return Status(201, presenters.scan(organisation_scans(organisation).get(pk=scan.pk)))
