"""The organisation services: what they do, and that every refusal changes nothing."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from django.utils import timezone

from imscan import permissions
from imscan.catalog.models import ModelVersion
from imscan.organisations import services
from imscan.organisations.models import Engagement, Invitation, Membership, Organisation
from imscan.permissions import Action, can
from imscan.scans.services import self_scan_start
from tests.factories import (
    EngagementFactory,
    GuidedScanFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.organisations.helpers import (
    SITE,
    consultant,
    expire,
    invite,
    member,
    owner,
    snapshot,
)

pytestmark = pytest.mark.django_db


@contextmanager
def refused(kind: type[services.Refused]) -> Iterator[None]:
    """The block raises `kind` and the database (and outbox) are exactly as before."""
    before = snapshot()
    with pytest.raises(kind) as raised:
        yield
    assert str(raised.value)  # a message for the user
    assert snapshot() == before


# ---- organisations ----


def test_creating_an_organisation_makes_the_creator_its_owner() -> None:
    user = UserFactory()
    organisation = services.organisation_create(
        user=user, name="Gemeente Utrecht", kind="municipal", size="1000-4999", country="NL"
    )
    membership = Membership.objects.get()
    assert (membership.organisation, membership.user, membership.role) == (
        organisation,
        user,
        Membership.Role.OWNER,
    )


def test_creating_an_organisation_is_one_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(Membership.objects, "create", fail)
    with pytest.raises(RuntimeError):
        services.organisation_create(
            user=UserFactory(), name="X", kind="municipal", size="0-99", country="NL"
        )
    assert Organisation.objects.count() == 0


# ---- invitations ----


def test_an_invitation_stores_only_the_hash_of_its_token() -> None:
    organisation = OrganisationFactory()
    sent = invite(organisation, "new@example.org", role="owner")
    stored = Invitation.objects.get()
    assert sent.token not in stored.token_hash
    assert stored.role == "owner" and stored.is_open
    assert stored.expires_at > timezone.now() + datetime.timedelta(days=13)


def test_inviting_a_member_is_refused() -> None:
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    colleague = member(organisation).user
    with refused(services.AlreadyMember):
        invite(organisation, colleague.email.upper(), by=inviter)


def test_inviting_an_address_with_an_open_invitation_is_refused() -> None:
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    invite(organisation, "new@example.org", by=inviter)
    with refused(services.InvitationAlreadyOpen):
        invite(organisation, "NEW@example.org", by=inviter)


def test_an_expired_invitation_does_not_block_a_new_one() -> None:
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    expire(invite(organisation, "new@example.org", by=inviter).invitation)
    invite(organisation, "new@example.org", by=inviter)
    assert Invitation.objects.count() == 2


def test_resending_replaces_the_link_and_the_expiry() -> None:
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    first = invite(organisation, "new@example.org", by=inviter)
    old_hash = first.invitation.token_hash
    again = services.invitation_resend(
        invitation=first.invitation, invited_by=inviter, site_url=SITE, language="nl"
    )
    assert again.token != first.token
    assert Invitation.objects.get().token_hash not in {old_hash}


def test_accepting_makes_a_member_with_the_invited_role() -> None:
    organisation = OrganisationFactory()
    sent = invite(organisation, "new@example.org", role="owner")
    user = UserFactory(email="New@Example.org")
    services.invitation_accept(invitation=sent.invitation, user=user)
    assert Membership.objects.get(user=user).role == Membership.Role.OWNER
    assert Invitation.objects.get().accepted_at is not None


def accepted_invitation() -> Invitation:
    sent = invite(OrganisationFactory(), "new@example.org")
    services.invitation_accept(
        invitation=sent.invitation, user=UserFactory(email="new@example.org")
    )
    return Invitation.objects.get()


@pytest.mark.parametrize(
    ("spoil", "kind"),
    [
        (expire, services.InvitationExpired),
        (lambda i: services.invitation_revoke(invitation=i), services.InvitationRevoked),
    ],
)
def test_accepting_a_closed_invitation_is_refused(
    spoil: Callable[[Invitation], None], kind: type[services.Refused]
) -> None:
    sent = invite(OrganisationFactory(), "new@example.org")
    spoil(sent.invitation)
    user = UserFactory(email="new@example.org")
    with refused(kind):
        services.invitation_accept(invitation=sent.invitation, user=user)


def test_accepting_a_used_invitation_again_is_refused() -> None:
    invitation = accepted_invitation()
    with refused(services.InvitationUsed):
        services.invitation_accept(invitation=invitation, user=UserFactory())


def test_only_the_verified_invited_address_can_accept() -> None:
    from allauth.account.models import EmailAddress

    sent = invite(OrganisationFactory(), "new@example.org")
    with refused(services.InvitationForSomeoneElse):
        services.invitation_accept(invitation=sent.invitation, user=UserFactory())
    unverified = UserFactory(email="new@example.org")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with refused(services.InvitationForSomeoneElse):
        services.invitation_accept(invitation=sent.invitation, user=unverified)


def test_accepting_when_already_a_member_is_refused() -> None:
    organisation = OrganisationFactory()
    sent = invite(organisation, "new@example.org")
    user = UserFactory(email="new@example.org")
    Membership.objects.create(organisation=organisation, user=user)
    with refused(services.AlreadyMemberYourself):
        services.invitation_accept(invitation=sent.invitation, user=user)


def test_revoking_twice_or_after_acceptance_is_refused() -> None:
    invitation = accepted_invitation()
    with refused(services.InvitationUsed):
        services.invitation_revoke(invitation=invitation)
    other = invite(OrganisationFactory(), "x@example.org").invitation
    services.invitation_revoke(invitation=other)
    with refused(services.InvitationRevoked):
        services.invitation_revoke(invitation=other)
    with refused(services.InvitationRevoked):
        services.invitation_resend(
            invitation=other, invited_by=UserFactory(), site_url=SITE, language="nl"
        )


# ---- members ----


def test_the_last_owner_cannot_be_demoted_removed_or_leave() -> None:
    only = owner()
    other = member(only.organisation)
    with refused(services.LastOwner):
        services.membership_set_role(membership=only, role="member")
    with refused(services.LastOwner):
        services.membership_remove(membership=only)
    with refused(services.LastOwner):
        services.organisation_leave(organisation=only.organisation, user=only.user)
    services.membership_set_role(membership=other, role="owner")
    services.membership_set_role(membership=only, role="member")
    assert Membership.objects.get(pk=only.pk).role == "member"


def test_an_owner_can_be_removed_while_another_owner_remains() -> None:
    first = owner()
    second = owner(first.organisation)
    services.membership_remove(membership=first)
    assert list(Membership.objects.all()) == [second]


def test_a_member_can_leave() -> None:
    first = owner()
    colleague = member(first.organisation)
    services.organisation_leave(organisation=first.organisation, user=colleague.user)
    assert list(Membership.objects.all()) == [first]


def test_an_engaged_consultant_cannot_leave_as_if_a_member() -> None:
    engagement = EngagementFactory(consultant=consultant())
    with refused(services.NotInOrganisation):
        services.organisation_leave(
            organisation=engagement.organisation, user=engagement.consultant.user
        )


def test_leaving_an_organisation_you_are_not_in_is_refused() -> None:
    organisation, outsider = OrganisationFactory(), UserFactory()
    with refused(services.NotInOrganisation):
        services.organisation_leave(organisation=organisation, user=outsider)


# ---- consultants ----

PROFILE = {
    "display_name": "Anna de Vries",
    "firm": "Vries Advies",
    "region": "Utrecht",
    "bio": "",
    "certifying_body": "Stichting Innovatiecertificering",
    "certificate_number": "IMS-1",
    "valid_until": datetime.date(2099, 1, 1),
    "listed": True,
}


def test_a_new_profile_awaits_verification() -> None:
    profile = services.consultant_profile_save(user=UserFactory(), profile=None, data=PROFILE)
    assert profile.verified_at is None and not profile.is_certified


@pytest.mark.parametrize("changed", ["certifying_body", "certificate_number", "valid_until"])
def test_changing_the_certificate_clears_the_verification(changed: str) -> None:
    profile = consultant()
    data = {name: getattr(profile, name) for name in PROFILE}
    data[changed] = datetime.date(2098, 1, 1) if changed == "valid_until" else "other"
    services.consultant_profile_save(user=profile.user, profile=profile, data=data)
    profile.refresh_from_db()
    assert profile.verified_at is None and profile.verified_by is None


def test_changing_other_details_keeps_the_verification() -> None:
    profile = consultant()
    data = {name: getattr(profile, name) for name in PROFILE}
    data.update(display_name="New name", bio="Twenty years in government", listed=False)
    services.consultant_profile_save(user=profile.user, profile=profile, data=data)
    profile.refresh_from_db()
    assert profile.verified_at is not None and profile.display_name == "New name"


def test_staff_verify_and_withdraw() -> None:
    profile = consultant(verified_at=None)
    checker = UserFactory(is_staff=True)
    services.consultant_verify(profile=profile, staff=checker)
    profile.refresh_from_db()
    assert profile.is_certified and profile.verified_by == checker
    services.consultant_unverify(profile=profile)
    profile.refresh_from_db()
    assert profile.verified_at is None and profile.verified_by is None


def test_an_expired_certificate_cannot_be_verified() -> None:
    profile = consultant(verified_at=None, valid_until=datetime.date(2000, 1, 1))
    with refused(services.InvalidExpiredVerification):
        services.consultant_verify(profile=profile, staff=UserFactory(is_staff=True))


# ---- engagements ----


def engage(organisation: Organisation, **kwargs: object) -> Engagement:
    """Engage as the organisation's (first) owner, made when there is none yet."""
    first = Membership.objects.filter(organisation=organisation, role="owner").first()
    return services.engagement_create(
        organisation=organisation,
        invited_by=(first or owner(organisation)).user,
        site_url=SITE,
        language="nl",
        **kwargs,  # type: ignore[arg-type]
    )


def test_engaging_by_email_address_creates_a_pending_engagement() -> None:
    profile = consultant()
    engagement = engage(OrganisationFactory(), consultant=None, email=profile.user.email.upper())
    assert engagement.consultant == profile
    assert engagement.accepted_at is None and engagement.ended_at is None


def test_engaging_an_unknown_address_is_refused() -> None:
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    UserFactory(email="not-a-consultant@example.org")
    with refused(services.NoSuchConsultant):
        services.engagement_create(
            organisation=organisation,
            consultant=None,
            email="not-a-consultant@example.org",
            invited_by=inviter,
            site_url=SITE,
            language="nl",
        )


def test_engaging_twice_is_refused() -> None:
    profile = consultant()
    organisation = OrganisationFactory()
    engage(organisation, consultant=profile)
    with refused(services.AlreadyEngaged):
        engage(organisation, consultant=profile)
    Engagement.objects.update(accepted_at=timezone.now())
    with refused(services.AlreadyEngaged):
        engage(organisation, consultant=profile)


def test_engaging_again_after_the_end_is_allowed() -> None:
    profile = consultant()
    organisation = OrganisationFactory()
    first = engage(organisation, consultant=profile)
    services.engagement_revoke(engagement=first, site_url=SITE, language="nl")
    engage(organisation, consultant=profile)
    assert Engagement.objects.filter(ended_at__isnull=True).count() == 1


@pytest.mark.parametrize(
    ("changes", "kind"),
    [
        ({"valid_until": datetime.date(2000, 1, 1)}, services.CertificateExpired),
        ({"verified_at": None}, services.CertificateNotVerified),
    ],
)
def test_engaging_a_consultant_without_a_current_verified_certificate_is_refused(
    changes: dict[str, object], kind: type[services.Refused]
) -> None:
    profile = consultant(**changes)
    organisation = OrganisationFactory()
    inviter = owner(organisation).user
    with refused(kind):
        services.engagement_create(
            organisation=organisation,
            consultant=profile,
            invited_by=inviter,
            site_url=SITE,
            language="nl",
        )


def test_the_consultant_accepts_or_declines_once() -> None:
    organisation = OrganisationFactory()
    accepted = engage(organisation, consultant=consultant())
    services.engagement_respond(engagement=accepted, accept=True, site_url=SITE, language="nl")
    accepted.refresh_from_db()
    assert accepted.is_active
    with refused(services.EngagementAnswered):
        services.engagement_respond(engagement=accepted, accept=False, site_url=SITE, language="nl")
    declined = engage(organisation, consultant=consultant())
    services.engagement_respond(engagement=declined, accept=False, site_url=SITE, language="nl")
    declined.refresh_from_db()
    assert declined.ended_at is not None and declined.accepted_at is None


def test_a_consultant_whose_certificate_expired_cannot_accept() -> None:
    profile = consultant()
    engagement = engage(OrganisationFactory(), consultant=profile)
    profile.valid_until = datetime.date(2000, 1, 1)
    profile.save()
    with refused(services.OwnCertificateExpired):
        services.engagement_respond(
            engagement=engagement, accept=True, site_url=SITE, language="nl"
        )


def test_revoking_ends_access_at_once() -> None:
    engagement = EngagementFactory(consultant=consultant())
    user = engagement.consultant.user
    assert can(user, Action.VIEW, engagement.organisation)
    services.engagement_revoke(engagement=engagement, site_url=SITE, language="nl")
    permissions.forget_roles(user)  # memoised per request; this is the next one
    assert not can(user, Action.VIEW, engagement.organisation)
    with refused(services.EngagementEnded):
        services.engagement_revoke(engagement=engagement, site_url=SITE, language="nl")


# ---- claiming a self-scan ----


def test_claiming_a_self_scan_into_my_organisation(ims_version: ModelVersion) -> None:
    started = self_scan_start(version=ims_version, language="nl")
    mine = owner()
    services.scan_claim(scan=started.scan, organisation=mine.organisation, user=mine.user)
    started.scan.refresh_from_db()
    assert started.scan.organisation == mine.organisation


def test_claiming_refusals(ims_version: ModelVersion) -> None:
    mine = owner()
    guided = GuidedScanFactory(model_version=ims_version, organisation=mine.organisation)
    with refused(services.GuidedScanNotClaimable):
        services.scan_claim(scan=guided, organisation=mine.organisation, user=mine.user)
    started = self_scan_start(version=ims_version, language="nl")
    elsewhere = OrganisationFactory()
    with refused(services.NotAMember):
        services.scan_claim(scan=started.scan, organisation=elsewhere, user=mine.user)
    services.scan_claim(scan=started.scan, organisation=mine.organisation, user=mine.user)
    other = owner()
    Membership.objects.create(organisation=other.organisation, user=mine.user)
    with refused(services.ScanAlreadyClaimed):
        services.scan_claim(scan=started.scan, organisation=other.organisation, user=mine.user)
