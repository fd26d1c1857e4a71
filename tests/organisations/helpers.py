"""Helpers for the organisation tests: people in their roles, and a database snapshot."""

from __future__ import annotations

import datetime
import re
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from imscan.organisations.models import (
    ConsultantProfile,
    Engagement,
    Invitation,
    Membership,
    Organisation,
)
from imscan.organisations.services import SentInvitation, invitation_create
from imscan.scans.models import Scan
from tests.factories import ConsultantFactory, MembershipFactory, OrganisationFactory, UserFactory

SITE = "http://testserver/"


def with_two_factor(user: User) -> User:
    """Consultants and staff must have an authenticator app, or every page sends them to set
    one up (imscan.accounts.middleware)."""
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    return user


def owner(organisation: Organisation | None = None) -> Membership:
    membership: Membership = MembershipFactory(
        organisation=organisation or OrganisationFactory(), role=Membership.Role.OWNER
    )
    return membership


def member(organisation: Organisation) -> Membership:
    membership: Membership = MembershipFactory(
        organisation=organisation, role=Membership.Role.MEMBER
    )
    return membership


def consultant(**kwargs: Any) -> ConsultantProfile:
    profile: ConsultantProfile = ConsultantFactory(**kwargs)
    with_two_factor(profile.user)
    return profile


def staff() -> User:
    user: User = UserFactory(is_staff=True)
    return with_two_factor(user)


def invite(
    organisation: Organisation, email: str, role: str = "member", by: User | None = None
) -> SentInvitation:
    inviter = by or owner(organisation).user
    return invitation_create(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=inviter,
        site_url=SITE,
        language="en",
    )


def expire(invitation: Invitation) -> None:
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save(update_fields=["expires_at"])


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Everything the organisation services may change, to check that a refusal changed nothing."""
    return {
        "organisations": list(
            Organisation.objects.order_by("pk").values_list("pk", "name", "kind", "size", "country")
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("pk", "organisation", "user", "role")
        ),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "email", "role", "token_hash", "expires_at", "accepted_at", "revoked_at"
            )
        ),
        "consultants": list(
            ConsultantProfile.objects.order_by("pk").values_list(
                "pk",
                "certifying_body",
                "certificate_number",
                "valid_until",
                "verified_at",
                "verified_by",
                "listed",
            )
        ),
        "engagements": list(
            Engagement.objects.order_by("pk").values_list(
                "pk", "organisation", "consultant", "accepted_at", "ended_at"
            )
        ),
        "scans": list(Scan.objects.order_by("pk").values_list("pk", "organisation")),
        "mails": [(m.to, m.subject) for m in mail.outbox],
    }


def link_in(message: mail.EmailMessage) -> str:
    """The one link in an e-mail, as a path (/nl/...) for the test client."""
    links = re.findall(r"http://testserver(/\S+)", str(message.body))
    assert len(links) == 1, message.body
    return links[0]
