"""What the organisation and consultant pages show, and which buttons they offer."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from imscan.insights.services import participation_of
from imscan.organisations import selectors, services
from imscan.organisations.forms import EngagementForm, InvitationForm
from imscan.organisations.models import (
    ConsultantProfile,
    Engagement,
    Invitation,
    Membership,
    Organisation,
)
from imscan.permissions import Action, can
from imscan.scans.models import Scan

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class ScanRow:
    scan: Scan
    title: str
    status: str  # open | not-yet-open | closed | finished
    status_label: str
    is_guided: bool


def scan_status(scan: Scan, now: datetime.datetime | None = None) -> tuple[str, str]:
    """A guided scan is open, not yet open or closed; a self-scan is open or finished."""
    if scan.kind == Scan.Kind.SELF:
        if getattr(scan, "finished_count", 0):
            return "finished", _("finished")
        return "open", _("open")
    now = now or timezone.now()
    if scan.is_closed(now):
        return "closed", _("closed")
    if scan.opens_at is not None and now < scan.opens_at:
        return "not-yet-open", _("not yet open")
    return "open", _("open")


def scan_rows(organisation: Organisation) -> list[ScanRow]:
    now = timezone.now()
    rows = []
    for scan in selectors.organisation_scans(organisation):
        status, label = scan_status(scan, now)
        rows.append(
            ScanRow(
                scan=scan,
                title=scan.title or str(scan.get_kind_display()),
                status=status,
                status_label=label,
                is_guided=scan.kind == Scan.Kind.GUIDED,
            )
        )
    return rows


@dataclass(frozen=True)
class MemberRow:
    membership: Membership
    is_me: bool
    is_last_owner: bool


def organisation_page(
    user: AnyUser,
    organisation: Organisation,
    *,
    invite_form: InvitationForm | None = None,
    resend_offer: bool = False,
    error: str = "",
) -> dict[str, Any]:
    """The organisation page: details, scans, members, invitations and consultants."""
    may_manage = can(user, Action.MANAGE, organisation)
    memberships = selectors.members(organisation)
    owners = sum(1 for m in memberships if m.role == Membership.Role.OWNER)
    rows = [
        MemberRow(
            membership=m,
            is_me=m.user_id == user.pk,
            is_last_owner=m.role == Membership.Role.OWNER and owners == 1,
        )
        for m in memberships
    ]
    mine = next((row for row in rows if row.is_me), None)
    engagements = selectors.organisation_engagements(organisation)
    return {
        "organisation": organisation,
        "scans": scan_rows(organisation),
        "members": rows,
        "invitations": selectors.open_invitations(organisation),
        "engagements": engagements,
        "may_manage": may_manage,
        "may_create_scan": can(user, Action.CREATE_SCAN, organisation),
        "may_leave": mine is not None,
        "leave_blocked": mine is not None and mine.is_last_owner,
        "invite_form": invite_form or InvitationForm(),
        "resend_offer": resend_offer,
        "error": error,
        "roles": Membership.Role,
        "participation": participation_of(organisation),
    }


def consultants_page(
    organisation: Organisation, *, form: EngagementForm | None = None, error: str = ""
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "engagements": selectors.organisation_engagements(organisation),
        "form": form or EngagementForm(),
        "error": error,
    }


@dataclass(frozen=True)
class CertificateStatus:
    key: str  # awaiting | certified | expired
    label: str


def certificate_status(profile: ConsultantProfile) -> CertificateStatus:
    if profile.is_expired:
        return CertificateStatus("expired", _("expired"))
    if profile.verified_at is None:
        return CertificateStatus("awaiting", _("awaiting verification"))
    return CertificateStatus("certified", _("certified"))


def engage_options(user: AnyUser) -> list[Organisation]:
    """The organisations the user may engage consultants for."""
    if not user.is_authenticated:
        return []
    return [
        m.organisation
        for m in selectors.memberships_of(user)
        if can(user, Action.MANAGE, m.organisation)
    ]


def dashboard(user: User) -> dict[str, Any]:
    consultant = selectors.consultant_of(user)
    pending: list[Engagement] = []
    active: list[Engagement] = []
    if consultant is not None:
        pending, active = selectors.engagements_of(consultant)
    return {
        "memberships": selectors.memberships_of(user),
        "invitations": selectors.open_invitations_for(user),
        "consultant": consultant,
        "certificate": certificate_status(consultant) if consultant else None,
        "pending_engagements": pending,
        "active_engagements": active,
    }


def invitation_page(user: AnyUser, invitation: Invitation, path: str) -> dict[str, Any]:
    """What the invitation link shows: its state, and what this visitor can do with it."""
    try:
        services.invitation_check_open(invitation)
        problem = ""
    except services.Refused as refusal:
        problem = str(refusal)
    me = user if isinstance(user, User) else None
    next_query = urlencode({"next": path})
    return {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "problem": problem,
        "signed_in": me is not None,
        "addressed_to_me": me is not None and selectors.has_verified_email(me, invitation.email),
        "already_member": me is not None and selectors.is_member(invitation.organisation, me),
        "login_url": f"{reverse('account_login')}?{next_query}",
        "signup_url": f"{reverse('account_signup')}?{next_query}",
        "error": "",
    }


def claim_problem(scan: Scan) -> str:
    """Why this scan cannot be added to an organisation, or "" when it can."""
    if scan.kind != Scan.Kind.SELF:
        return str(services.GuidedScanNotClaimable())
    if scan.organisation_id is not None:
        return str(services.ScanAlreadyClaimed())
    return ""
