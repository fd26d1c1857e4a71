"""One organisation with a closed guided scan (two groups, one of them too small), a
claimed self-scan and an open guided scan, and everyone around it, for the API tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from imscan.api.models import ApiToken
from imscan.api.services import api_token_create
from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.organisations.models import Membership, Organisation
from imscan.scans.models import Scan
from imscan.scans.services import self_scan_start
from tests.factories import (
    ConsultantFactory,
    EngagementFactory,
    GroupFactory,
    GuidedScanFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    respondent_with_token,
    with_totp,
)


def answers_all(version: ModelVersion, value: float) -> dict[str, float | None]:
    return {statement.id: value for statement in engine_model(version).statements()}


@dataclass
class World:
    organisation: Organisation
    other_org: Organisation
    closed: Scan  # guided, closed: 4 managers and 1 from staff finished
    open: Scan  # guided, open: 3 finished
    self_scan: Scan  # a finished self-scan, claimed into the organisation
    users: dict[str, Any]
    tokens: dict[str, str]  # caller -> bearer token
    links: dict[str, str]  # respondent kind -> private link token


def build_world(version: ModelVersion) -> World:
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    other_org = OrganisationFactory(name="Provincie Anders")
    member = MembershipFactory(organisation=organisation).user
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    other_member = MembershipFactory(organisation=other_org, role=Membership.Role.OWNER).user
    consultant = with_totp(EngagementFactory(organisation=organisation).consultant.user)
    revoked = EngagementFactory(organisation=organisation, ended_at=timezone.now())
    revoked_consultant = with_totp(revoked.consultant.user)
    other_consultant = with_totp(ConsultantFactory().user)
    staff = with_totp(UserFactory(is_staff=True))

    closed = GuidedScanFactory(model_version=version, organisation=organisation, title="Closed")
    managers, staff_group = (
        GroupFactory(scan=closed, name="Managers"),
        GroupFactory(scan=closed, name="Staff"),
    )
    for value in (2.0, 3.0, 4.0, 5.0):
        respondent_with_token(closed, managers, answers_all(version, value))
    respondent_with_token(closed, staff_group, answers_all(version, 1.0))
    respondent_with_token(closed, staff_group, finished=False, email="late@example.org")
    closed.closed_at = timezone.now()
    closed.save(update_fields=["closed_at"])

    open_scan = GuidedScanFactory(model_version=version, organisation=organisation, title="Open")
    for value in (2.0, 3.0, 4.0):
        respondent_with_token(open_scan, None, answers_all(version, value))
    _, guided_link = respondent_with_token(
        open_scan, None, finished=False, email="invited@example.org"
    )

    started = self_scan_start(version=version, language="nl")
    started.respondent.finished_at = timezone.now()
    started.respondent.save(update_fields=["finished_at"])
    started.scan.organisation = organisation
    started.scan.save(update_fields=["organisation"])

    unclaimed = self_scan_start(version=version, language="en")
    other_scan = GuidedScanFactory(model_version=version, organisation=other_org)
    _, other_link = respondent_with_token(other_scan, None, finished=False)

    users = {
        "member": member,
        "owner": owner,
        "other_member": other_member,
        "consultant": consultant,
        "revoked_consultant": revoked_consultant,
        "other_consultant": other_consultant,
        "staff": staff,
    }
    tokens = {role: token(user) for role, user in users.items()}
    tokens["read_only_member"] = token(member, read_only=True)
    expired = api_token_create(user=owner, name="expired", read_only=False, expires_at=None)
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    tokens["expired_token"] = expired.secret
    revoked_token = api_token_create(user=owner, name="revoked", read_only=False, expires_at=None)
    ApiToken.objects.filter(pk=revoked_token.token.pk).update(revoked_at=timezone.now())
    tokens["revoked_token"] = revoked_token.secret
    links = {
        "self": unclaimed.token,  # an unclaimed self-scan, open
        "claimed_self": started.token,  # the claimed self-scan, finished
        "guided": guided_link,  # an invited respondent of the open guided scan
        "other": other_link,  # a respondent of another organisation's scan
    }
    return World(
        organisation=organisation,
        other_org=other_org,
        closed=closed,
        open=open_scan,
        self_scan=started.scan,
        users=users,
        tokens=tokens,
        links=links,
    )


def token(user: Any, read_only: bool = False) -> str:
    return api_token_create(user=user, name="test", read_only=read_only, expires_at=None).secret
