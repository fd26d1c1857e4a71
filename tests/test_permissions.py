"""The permission matrix: every URL of the site, requested by every kind of visitor.

The URL patterns are enumerated from the URLconf, so a new URL without an entry in
MATRIX fails `test_every_url_has_a_rule`, and a view without a rule from
imscan.permissions fails `test_every_view_declares_its_rule`.

Outcomes: OK (the page or action is reached: any status but 404/405 or a login
redirect), LOGIN (redirect to the login page) and HIDDEN (404: the object is hidden,
so its existence does not leak). Respondents have no account: for links that carry a
token, the token is the permission, so every visitor with the link reaches the page
(bearer semantics), and a wrong token is a 404 (`test_a_wrong_token_is_not_found`).

The JSON API under /api/v1/ has a matrix of its own, operation by operation, with API
tokens as the callers: tests/api/test_permissions.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from imscan.api.services import api_token_create
from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.insights.models import FollowUp
from imscan.organisations.models import Engagement, Invitation, Membership
from imscan.plans.models import Plan, PlanAction, PlanPart
from imscan.scans.models import Scan
from imscan.scans.services import self_scan_start
from imscan.scans.tokens import new_token, token_hash
from imscan.sharing.models import ShareLink
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

OK, LOGIN, HIDDEN = "ok", "login", "404"

ROLES = (
    "anonymous",
    "respondent",  # of this scan: anonymous, holding this scan's private link
    "other_respondent",  # of another organisation's scan
    "member",
    "owner",
    "other_member",  # member (and owner) of another organisation
    "consultant",  # engaged by the organisation, accepted
    "revoked_consultant",  # was engaged, the organisation revoked it
    "other_consultant",  # certified, not engaged by this organisation
    "staff",  # programme staff
)
VISITORS = ("anonymous", "respondent", "other_respondent")


def rule(default: str, **overrides: str) -> dict[str, str]:
    unknown = set(overrides) - set(ROLES)
    assert not unknown, unknown
    return {role: overrides.get(role, default) for role in ROLES}


PUBLIC = rule(OK)
LINK = rule(OK)  # a token link: whoever holds it
SIGNED_IN = rule(OK, **dict.fromkeys(VISITORS, LOGIN))
STAFF = rule(HIDDEN, staff=OK, **dict.fromkeys(VISITORS, LOGIN))
ORG_VIEW = rule(HIDDEN, member=OK, owner=OK, consultant=OK, **dict.fromkeys(VISITORS, LOGIN))
ORG_MANAGE = rule(HIDDEN, owner=OK, **dict.fromkeys(VISITORS, LOGIN))
ORG_RUN = ORG_VIEW  # create and run scans: members, owners and the engaged consultant
OWN_ENGAGEMENT = rule(HIDDEN, consultant=OK, **dict.fromkeys(VISITORS, LOGIN))
# Claiming a self-scan needs its link and an account.
CLAIM = rule(OK, **dict.fromkeys(VISITORS, LOGIN))
# Development plans: seen by whoever sees the result, edited by members, owners and the
# engaged consultant (Action.EDIT_PLAN).
PLAN_EDIT = rule(HIDDEN, member=OK, owner=OK, consultant=OK, **dict.fromkeys(VISITORS, LOGIN))

MATRIX: dict[str, dict[str, str]] = {
    # taking a scan
    "home": PUBLIC,
    "scan-start": PUBLIC,
    "method": PUBLIC,
    "scan-welcome": LINK,
    "scan-page": LINK,
    "scan-answer": LINK,
    "scan-review": LINK,
    "scan-finish": LINK,
    "scan-results": LINK,
    "scan-claim": CLAIM,
    "guided-join": LINK,
    "invitation": LINK,
    # accounts (our own views; allauth's are listed in ALLAUTH below)
    "account-delete": SIGNED_IN,
    "dashboard": SIGNED_IN,
    "api-tokens": SIGNED_IN,
    "api-token-revoke": rule(HIDDEN, member=OK, **dict.fromkeys(VISITORS, LOGIN)),  # the member's
    # organisations
    "org-create": SIGNED_IN,
    "org-detail": ORG_VIEW,
    "org-edit": ORG_MANAGE,
    "org-invite": ORG_MANAGE,
    "org-invitation-revoke": ORG_MANAGE,
    "org-member-role": ORG_MANAGE,
    "org-member-remove": ORG_MANAGE,
    "org-leave": rule(HIDDEN, member=OK, owner=OK, **dict.fromkeys(VISITORS, LOGIN)),
    "org-consultants": ORG_MANAGE,
    "org-engagement-revoke": ORG_MANAGE,
    "org-progress": ORG_VIEW,
    "org-import": ORG_RUN,
    # consultants
    "consultant-directory": PUBLIC,
    "consultant-detail": PUBLIC,
    "consultant-profile": SIGNED_IN,
    "engagement-respond": OWN_ENGAGEMENT,
    "staff-consultants": STAFF,
    "staff-consultant-verify": STAFF,
    # guided scans
    "guided-create": ORG_RUN,
    "guided-detail": ORG_RUN,
    "guided-edit": ORG_RUN,
    "guided-group-add": ORG_RUN,
    "guided-group-link": ORG_RUN,
    "guided-group-link-remove": ORG_RUN,
    "guided-invite": ORG_RUN,
    "guided-remind": ORG_RUN,
    "guided-close": ORG_RUN,
    "team-results": ORG_VIEW,
    # exports
    "team-export": ORG_VIEW,
    "scan-export": LINK,
    # shared report links
    "share-links": ORG_VIEW,
    "share-link-revoke": ORG_VIEW,
    "scan-share-links": LINK,
    "scan-share-link-revoke": LINK,
    "shared-report": LINK,
    # insights: sharing choices, the programme dashboard, open data, impact follow-ups
    "org-participation": ORG_MANAGE,
    "programme-dashboard": STAFF,
    "programme-dashboard-csv": STAFF,
    "open-data": PUBLIC,
    "open-data-file": PUBLIC,
    "followup": LINK,
    # development plans
    "scan-plan": ORG_VIEW,
    "scan-plan-create": PLAN_EDIT,
    "plan-detail": ORG_VIEW,
    "plan-parts": PLAN_EDIT,
    "plan-action-add": PLAN_EDIT,
    "plan-action-edit": PLAN_EDIT,
    "plan-action-status": PLAN_EDIT,
    "plan-action-delete": PLAN_EDIT,
    "plan-export": ORG_VIEW,
    "respondent-plan": LINK,
    "respondent-plan-parts": LINK,
    "respondent-plan-action-add": LINK,
    "respondent-plan-action-edit": LINK,
    "respondent-plan-action-status": LINK,
    "respondent-plan-action-delete": LINK,
    "respondent-plan-export": LINK,
}

# allauth's own views: the login, sign-up and password-reset steps are open to anyone;
# managing an account needs one. Checked per URL like ours.
ALLAUTH_PUBLIC = {
    "account_login",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",
    "mfa_authenticate",
    "account_logout",
}
ALLAUTH_SIGNED_IN = {
    "account_email",
    "account_change_password",
    "account_set_password",
    "account_reauthenticate",
    "account_request_reauthentication_code",
    "account_confirm_reauthentication_code",
    "mfa_index",
    "mfa_reauthenticate",
    "mfa_activate_totp",
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes",
}


API_NAMESPACE = "api-v1"


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    callback: Any


def routes() -> Iterator[Route]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[Route]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver) and pattern.namespace == API_NAMESPACE:
                continue  # the JSON API: every operation in tests/api/test_permissions.py
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield Route(pattern.name or "", prefix + str(pattern.pattern), pattern.callback)

    seen: set[str] = set()
    for route in walk(get_resolver().url_patterns, ""):
        if route.name not in seen:  # every language prefix lists the same names
            seen.add(route.name)
            yield route


ROUTES = list(routes())
OURS = [route for route in ROUTES if not route.callback.__module__.startswith("allauth.")]


def test_every_url_has_a_rule() -> None:
    names = {route.name for route in ROUTES}
    missing = sorted(names - set(MATRIX) - ALLAUTH_PUBLIC - ALLAUTH_SIGNED_IN)
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert not stale, f"Matrix entries for URLs that no longer exist: {stale}"
    assert all(route.name for route in ROUTES), "every URL pattern needs a name"


def test_every_view_declares_its_rule() -> None:
    undeclared = [route.name for route in OURS if not hasattr(route.callback, "access_rule")]
    assert not undeclared, f"views without a rule from imscan.permissions: {undeclared}"


# ---------------------------------------------------------------------------------------
# The world: one organisation with a guided scan, and everyone around it.


@dataclass
class World:
    users: dict[str, Any]
    tokens: dict[str, str]  # role -> private link token
    kwargs: dict[str, dict[str, Any]]  # URL name -> kwargs for reverse()


def _survey_version() -> ModelVersion:
    from imscan.catalog.services import model_version_store
    from tests.conftest import SHIPPED_MODELS

    path = SHIPPED_MODELS / "impact-followup.yaml"
    return model_version_store(source=path.read_text(encoding="utf-8")).version


def _plan_with_action(scan: Scan) -> tuple[Plan, PlanAction]:
    """A plan with one part and one action, made directly: the world's guided scan is still
    open, so the services would not make one yet; the views are what is checked here."""
    part_id = engine_model(scan.model_version).parts()[0].id
    plan = Plan.objects.create(
        organisation=scan.organisation,
        source_type=ContentType.objects.get_for_model(scan),
        source_id=scan.pk,
        model_version=scan.model_version,
    )
    part = PlanPart.objects.create(plan=plan, node_id=part_id)
    return plan, PlanAction.objects.create(plan=plan, part=part, what="Write the goals down")


def build_world(version: ModelVersion) -> World:
    organisation = OrganisationFactory()
    other_org = OrganisationFactory()
    member = MembershipFactory(organisation=organisation).user
    owner = MembershipFactory(organisation=organisation, role=Membership.Role.OWNER).user
    other_member = MembershipFactory(organisation=other_org, role=Membership.Role.OWNER).user
    engagement = EngagementFactory(organisation=organisation)
    consultant = with_totp(engagement.consultant.user)
    revoked = EngagementFactory(organisation=organisation, ended_at=timezone.now())
    revoked_consultant = with_totp(revoked.consultant.user)
    other_consultant_profile = ConsultantFactory()
    other_consultant = with_totp(other_consultant_profile.user)
    staff = with_totp(UserFactory(is_staff=True))

    scan = GuidedScanFactory(model_version=version, organisation=organisation)
    group = GroupFactory(scan=scan)
    group_token = new_token()
    group.link_token_hash = token_hash(group_token)
    group.link_cap = 50
    group.save()
    _, respondent_token = respondent_with_token(scan, group, finished=False)
    other_scan = GuidedScanFactory(model_version=version, organisation=other_org)
    _, other_token = respondent_with_token(other_scan, GroupFactory(scan=other_scan))
    self_scan = self_scan_start(version=version, language="nl")
    self_scan.respondent.finished_at = timezone.now()
    self_scan.respondent.save(update_fields=["finished_at"])
    org_link = ShareLink.objects.create(scan=scan, token_hash=token_hash(new_token()))
    self_link = ShareLink.objects.create(scan=self_scan.scan, token_hash=token_hash(new_token()))
    share_token = new_token()
    ShareLink.objects.create(scan=self_scan.scan, token_hash=token_hash(share_token))
    followup_token = new_token()
    FollowUp.objects.create(
        scan=scan,
        organisation=organisation,
        survey_version=_survey_version(),
        status=FollowUp.Status.SENT,
        language="nl",
        token_hash=token_hash(followup_token),
        sent_at=timezone.now(),
    )
    org_plan, org_action = _plan_with_action(scan)
    self_plan, self_action = _plan_with_action(self_scan.scan)

    invitation_token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email="new.colleague@example.org",
        token_hash=token_hash(invitation_token),
        invited_by=owner,
    )
    membership = Membership.objects.get(organisation=organisation, user=member)
    member_token = api_token_create(user=member, name="dashboard", read_only=True, expires_at=None)
    pending = Engagement.objects.create(
        organisation=other_org, consultant=other_consultant_profile, invited_by=other_member
    )
    del pending  # the other consultant has an invitation of their own, not from this org

    org = {"org_id": organisation.public_id}
    on_scan = {"scan_id": scan.public_id}
    link = {"token": respondent_token}
    kwargs: dict[str, dict[str, Any]] = {
        "scan-welcome": link,
        "scan-page": {**link, "number": 1},
        "scan-answer": link,
        "scan-review": link,
        "scan-finish": link,
        "scan-results": link,
        "scan-claim": {"token": self_scan.token},
        "api-token-revoke": {"token_id": member_token.token.pk},
        "guided-join": {"token": group_token},
        "invitation": {"token": invitation_token},
        "org-detail": org,
        "org-edit": org,
        "org-invite": org,
        "org-invitation-revoke": {**org, "invitation_id": invitation.pk},
        "org-member-role": {**org, "membership_id": membership.pk},
        "org-member-remove": {**org, "membership_id": membership.pk},
        "org-leave": org,
        "org-consultants": org,
        "org-engagement-revoke": {**org, "engagement_id": engagement.pk},
        "org-progress": org,
        "org-import": org,
        "consultant-detail": {"pk": engagement.consultant.pk},
        "engagement-respond": {"engagement_id": engagement.pk},
        "staff-consultant-verify": {"pk": other_consultant_profile.pk},
        "guided-create": org,
        "guided-detail": on_scan,
        "guided-edit": on_scan,
        "guided-group-add": on_scan,
        "guided-group-link": {**on_scan, "group_id": group.pk},
        "guided-group-link-remove": {**on_scan, "group_id": group.pk},
        "guided-invite": on_scan,
        "guided-remind": on_scan,
        "guided-close": on_scan,
        "team-results": on_scan,
        "team-export": {**on_scan, "kind": "answers", "fmt": "csv"},
        "scan-export": {"token": self_scan.token, "kind": "answers", "fmt": "csv"},
        "share-links": on_scan,
        "share-link-revoke": {**on_scan, "link_id": org_link.pk},
        "scan-share-links": {"token": self_scan.token},
        "scan-share-link-revoke": {"token": self_scan.token, "link_id": self_link.pk},
        "shared-report": {"token": share_token},
        "org-participation": org,
        "open-data-file": {"fmt": "csv"},
        "followup": {"token": followup_token},
        "scan-plan": on_scan,
        "scan-plan-create": on_scan,
        "plan-detail": {"plan_id": org_plan.public_id},
        "plan-parts": {"plan_id": org_plan.public_id},
        "plan-action-add": {"plan_id": org_plan.public_id},
        "plan-action-edit": {"plan_id": org_plan.public_id, "action_id": org_action.pk},
        "plan-action-status": {"plan_id": org_plan.public_id, "action_id": org_action.pk},
        "plan-action-delete": {"plan_id": org_plan.public_id, "action_id": org_action.pk},
        "plan-export": {"plan_id": org_plan.public_id, "fmt": "csv"},
        "respondent-plan": {"token": self_scan.token},
        "respondent-plan-parts": {"token": self_scan.token},
        "respondent-plan-action-add": {"token": self_scan.token},
        "respondent-plan-action-edit": {"token": self_scan.token, "action_id": self_action.pk},
        "respondent-plan-action-status": {"token": self_scan.token, "action_id": self_action.pk},
        "respondent-plan-action-delete": {"token": self_scan.token, "action_id": self_action.pk},
        "respondent-plan-export": {"token": self_scan.token, "fmt": "csv"},
    }
    del self_plan
    users = {
        "member": member,
        "owner": owner,
        "other_member": other_member,
        "consultant": consultant,
        "revoked_consultant": revoked_consultant,
        "other_consultant": other_consultant,
        "staff": staff,
    }
    tokens = {"respondent": respondent_token, "other_respondent": other_token}
    assert Scan.objects.count() == 3
    return World(users, tokens, kwargs)


def outcome(response: Any) -> str:
    if response.status_code in (301, 302) and "/accounts/login/" in response["Location"]:
        return LOGIN
    if response.status_code == 404:
        return HIDDEN
    if response.status_code in (403, 405):
        return f"unexpected {response.status_code}"
    return OK


def request(client: Client, url: str) -> Any:
    response = client.get(url)
    if response.status_code == 405:  # a POST-only action: post nothing
        response = client.post(url, {})
    return response


def client_for(world: World, role: str) -> Client:
    client = Client()
    if role in world.users:
        client.force_login(world.users[role], "django.contrib.auth.backends.ModelBackend")
    return client


CASES = [(name, role) for name in sorted(MATRIX) for role in ROLES]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "role"), CASES)
def test_permission_matrix(ims_version: ModelVersion, name: str, role: str) -> None:
    world = build_world(ims_version)
    url = reverse(name, kwargs=world.kwargs.get(name))
    got = outcome(request(client_for(world, role), url))
    assert got == MATRIX[name][role], f"{role} on {name} ({url}): got {got}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        "scan-welcome",
        "scan-results",
        "scan-claim",
        "guided-join",
        "invitation",
        "scan-share-links",
        "shared-report",
        "followup",
        "respondent-plan",
    ],
)
def test_a_wrong_token_is_not_found(ims_version: ModelVersion, name: str) -> None:
    world = build_world(ims_version)
    url = reverse(name, kwargs={"token": new_token()})
    assert client_for(world, "member").get(url).status_code == 404


def test_allauth_lists_match_allauth() -> None:
    allauth_names = {r.name for r in ROUTES if r.callback.__module__.startswith("allauth.")}
    assert allauth_names == ALLAUTH_PUBLIC | ALLAUTH_SIGNED_IN


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["account_login", "account_signup", "account_reset_password", "account_inactive"]
)
def test_allauth_entrance_pages_are_open(name: str) -> None:
    assert Client().get(reverse(name)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ALLAUTH_SIGNED_IN))
def test_allauth_account_pages_need_login(name: str) -> None:
    assert outcome(Client().get(reverse(name))) == LOGIN, name
