"""Writes for organisations, members, invitations, consultants and engagements.

Every function checks everything before it changes anything: a refusal raises one of the
`Refused` exceptions below (its `str()` is the message for the user, in the active
language) and leaves the database as it was.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from imscan.insights.recording import measurement_record, peers_changed
from imscan.organisations import emails, selectors
from imscan.organisations.models import (
    ConsultantProfile,
    Engagement,
    Invitation,
    Membership,
    Organisation,
    invitation_expiry,
)
from imscan.permissions import forget_roles
from imscan.scans.models import Scan
from imscan.scans.tokens import new_token, token_hash

# ---- refusals ----


class Refused(Exception):
    """A request the rules do not allow. Nothing was changed."""

    def message(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self.message()


class AlreadyMember(Refused):
    def __init__(self, email: str) -> None:
        self.email = email

    def message(self) -> str:
        return _("%(email)s is already a member of this organisation.") % {"email": self.email}


class InvitationAlreadyOpen(Refused):
    def __init__(self, invitation: Invitation) -> None:
        self.invitation = invitation

    def message(self) -> str:
        return _(
            "%(email)s has already been invited and has not answered yet. You can send the"
            " invitation again."
        ) % {"email": self.invitation.email}


class InvitationExpired(Refused):
    def message(self) -> str:
        return _("This invitation has expired. Ask the organisation for a new invitation.")


class InvitationUsed(Refused):
    def message(self) -> str:
        return _("This invitation has already been accepted. The link works only once.")


class InvitationRevoked(Refused):
    def message(self) -> str:
        return _("This invitation has been withdrawn by the organisation.")


class InvitationForSomeoneElse(Refused):
    def __init__(self, email: str) -> None:
        self.email = email

    def message(self) -> str:
        return _(
            "This invitation is for %(email)s. Log in with that e-mail address, or add it to"
            " your account and verify it, to accept the invitation."
        ) % {"email": self.email}


class AlreadyMemberYourself(Refused):
    def message(self) -> str:
        return _("You are already a member of this organisation.")


class LastOwner(Refused):
    def message(self) -> str:
        return _("An organisation always needs an owner. Make someone else an owner first.")


class NotInOrganisation(Refused):
    def message(self) -> str:
        return _("You are not a member of this organisation.")


class NotAMember(Refused):
    def message(self) -> str:
        return _("You can only add a scan to an organisation you are a member of.")


class NoSuchConsultant(Refused):
    def __init__(self, email: str) -> None:
        self.email = email

    def message(self) -> str:
        return _(
            "There is no consultant with the e-mail address %(email)s. Consultants first"
            " create an account and a consultant profile."
        ) % {"email": self.email}


class AlreadyEngaged(Refused):
    def __init__(self, engagement: Engagement) -> None:
        self.engagement = engagement

    def message(self) -> str:
        name = self.engagement.consultant.display_name
        if self.engagement.accepted_at is None:
            return _("%(name)s has already been invited and has not answered yet.") % {"name": name}
        return _("%(name)s is already engaged by this organisation.") % {"name": name}


class CertificateNotVerified(Refused):
    def __init__(self, profile: ConsultantProfile) -> None:
        self.profile = profile

    def message(self) -> str:
        return _(
            "The certificate of %(name)s has not been verified yet by the programme staff,"
            " so they cannot be engaged yet."
        ) % {"name": self.profile.display_name}


class CertificateExpired(Refused):
    def __init__(self, profile: ConsultantProfile) -> None:
        self.profile = profile

    def message(self) -> str:
        return _("The certificate of %(name)s expired on %(date)s, so they cannot be engaged.") % {
            "name": self.profile.display_name,
            "date": _date(self.profile.valid_until),
        }


class OwnCertificateExpired(Refused):
    def message(self) -> str:
        return _(
            "Your certificate has expired or has not been verified yet, so you cannot accept"
            " an engagement. Renew your certificate on your consultant profile."
        )


class EngagementAnswered(Refused):
    def message(self) -> str:
        return _("You have already answered this invitation, or it has been withdrawn.")


class EngagementEnded(Refused):
    def message(self) -> str:
        return _("This engagement has already ended.")


class InvalidExpiredVerification(Refused):
    def message(self) -> str:
        return _("This certificate has expired; an expired certificate cannot be verified.")


class GuidedScanNotClaimable(Refused):
    def message(self) -> str:
        return _("This is a guided scan: it already belongs to the organisation that runs it.")


class ScanAlreadyClaimed(Refused):
    def message(self) -> str:
        return _("This scan has already been added to an organisation.")


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


# ---- organisations ----


def organisation_create(
    *, user: User, name: str, kind: str, size: str, country: str
) -> Organisation:
    """A new organisation with its creator as its owner."""
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, kind=kind, size=size, country=country)
        Membership.objects.create(organisation=organisation, user=user, role=Membership.Role.OWNER)
    forget_roles(user)
    return organisation


def organisation_update(
    *, organisation: Organisation, name: str, kind: str, size: str, country: str
) -> Organisation:
    regrouped = (kind, size) != (organisation.kind, organisation.size)
    organisation.name = name
    organisation.kind = kind
    organisation.size = size
    organisation.country = country
    organisation.save(update_fields=["name", "kind", "size", "country"])
    if regrouped:
        peers_changed()  # its results now count in other groups of peers
    return organisation


# ---- invitations ----


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    token: str  # only in the e-mail; the database keeps its hash


def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    invited_by: User,
    site_url: str,
    language: str,
) -> SentInvitation:
    """Invite an e-mail address to become a member; the link goes out by e-mail."""
    email = email.strip()
    if selectors.member_with_email(organisation, email):
        raise AlreadyMember(email)
    existing = selectors.open_invitation(organisation, email)
    if existing is not None:
        raise InvitationAlreadyOpen(existing)
    token = new_token()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=Membership.Role(role),
        token_hash=token_hash(token),
        invited_by=invited_by,
    )
    _send_invitation(invitation, token, invited_by, site_url, language)
    return SentInvitation(invitation, token)


def invitation_resend(
    *, invitation: Invitation, invited_by: User, site_url: str, language: str
) -> SentInvitation:
    """Send an open invitation again, with a new link and a new expiry date.

    The old link stops working: only the hash of the newest token is kept.
    """
    _check_not_closed(invitation)
    token = new_token()
    invitation.token_hash = token_hash(token)
    invitation.expires_at = invitation_expiry()
    invitation.save(update_fields=["token_hash", "expires_at"])
    _send_invitation(invitation, token, invited_by, site_url, language)
    return SentInvitation(invitation, token)


def _send_invitation(
    invitation: Invitation, token: str, invited_by: User, site_url: str, language: str
) -> None:
    emails.send(
        template="organisation_invitation",
        to=invitation.email,
        language=language,
        site_url=site_url,
        context={
            "organisation": invitation.organisation,
            "invitation": invitation,
            "inviter": invited_by.email,
        },
        links={"accept_url": ("invitation", {"token": token})},
    )


def _check_not_closed(invitation: Invitation) -> None:
    if invitation.revoked_at is not None:
        raise InvitationRevoked
    if invitation.accepted_at is not None:
        raise InvitationUsed


def invitation_check_open(invitation: Invitation) -> None:
    """Raise the reason why the invitation can no longer be accepted, if there is one."""
    _check_not_closed(invitation)
    if invitation.expires_at <= timezone.now():
        raise InvitationExpired


def invitation_revoke(*, invitation: Invitation) -> None:
    _check_not_closed(invitation)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """The invited person becomes a member, if the invitation is open and addressed to them."""
    with transaction.atomic():
        # Locked, so that two clicks on the link cannot both use it.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        invitation_check_open(invitation)
        if not selectors.has_verified_email(user, invitation.email):
            raise InvitationForSomeoneElse(invitation.email)
        if Membership.objects.filter(
            organisation_id=invitation.organisation_id, user=user
        ).exists():
            raise AlreadyMemberYourself
        membership = Membership.objects.create(
            organisation_id=invitation.organisation_id, user=user, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    forget_roles(user)
    return membership


# ---- members ----


def _other_owners_exist(membership: Membership) -> bool:
    """Whether the organisation keeps an owner without this membership (owners locked)."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=Membership.Role.OWNER)
        .values_list("pk", flat=True)
    )
    return any(pk != membership.pk for pk in owners)


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    new_role = Membership.Role(role)
    with transaction.atomic():
        if (
            membership.role == Membership.Role.OWNER
            and new_role != Membership.Role.OWNER
            and not _other_owners_exist(membership)
        ):
            raise LastOwner
        membership.role = new_role
        membership.save(update_fields=["role"])
    return membership


def membership_remove(*, membership: Membership) -> None:
    with transaction.atomic():
        if membership.role == Membership.Role.OWNER and not _other_owners_exist(membership):
            raise LastOwner
        membership.delete()


def organisation_leave(*, organisation: Organisation, user: User) -> None:
    """End the user's own membership (an engagement as consultant is ended by an owner)."""
    with transaction.atomic():
        membership = Membership.objects.filter(organisation=organisation, user=user).first()
        if membership is None:
            raise NotInOrganisation
        if membership.role == Membership.Role.OWNER and not _other_owners_exist(membership):
            raise LastOwner
        membership.delete()
    forget_roles(user)


# ---- consultants ----

CERTIFICATE_FIELDS = ("certifying_body", "certificate_number", "valid_until")


def consultant_profile_save(
    *, user: User, profile: ConsultantProfile | None, data: dict[str, Any]
) -> ConsultantProfile:
    """Create or update the user's consultant profile.

    A changed certificate (body, number or expiry date) must be verified again.
    """
    if profile is None:
        profile = ConsultantProfile(user=user)
        certificate_changed = True
    else:
        # Compared with what is stored: a ModelForm has already copied its data onto `profile`.
        stored = ConsultantProfile.objects.filter(pk=profile.pk).values(*CERTIFICATE_FIELDS).get()
        certificate_changed = any(stored[name] != data[name] for name in CERTIFICATE_FIELDS)
    for name, value in data.items():
        setattr(profile, name, value)
    if certificate_changed:
        profile.verified_at = None
        profile.verified_by = None
    profile.save()
    return profile


def consultant_verify(*, profile: ConsultantProfile, staff: User) -> None:
    if profile.is_expired:
        raise InvalidExpiredVerification
    profile.verified_at = timezone.now()
    profile.verified_by = staff
    profile.save(update_fields=["verified_at", "verified_by", "updated_at"])


def consultant_unverify(*, profile: ConsultantProfile) -> None:
    profile.verified_at = None
    profile.verified_by = None
    profile.save(update_fields=["verified_at", "verified_by", "updated_at"])


# ---- engagements ----


def engagement_create(
    *,
    organisation: Organisation,
    consultant: ConsultantProfile | None,
    email: str = "",
    invited_by: User,
    site_url: str,
    language: str,
) -> Engagement:
    """Invite a consultant (given directly, or by their e-mail address) to work with us."""
    if consultant is None:
        consultant = selectors.consultant_by_email(email.strip())
        if consultant is None:
            raise NoSuchConsultant(email.strip())
    current = selectors.current_engagement(organisation, consultant)
    if current is not None:
        raise AlreadyEngaged(current)
    if consultant.is_expired:
        raise CertificateExpired(consultant)
    if consultant.verified_at is None:
        raise CertificateNotVerified(consultant)
    try:
        with transaction.atomic():
            engagement = Engagement.objects.create(
                organisation=organisation, consultant=consultant, invited_by=invited_by
            )
    except IntegrityError:  # engaged at the same moment by another owner
        current = selectors.current_engagement(organisation, consultant)
        if current is None:
            raise
        raise AlreadyEngaged(current) from None
    emails.send(
        template="engagement_invitation",
        to=consultant.user.email,
        language=language,
        site_url=site_url,
        context={"organisation": organisation, "consultant": consultant},
        links={"dashboard_url": ("dashboard", {})},
    )
    return engagement


def engagement_respond(
    *, engagement: Engagement, accept: bool, site_url: str, language: str
) -> Engagement:
    """The consultant accepts or declines; whoever invited them hears about it."""
    with transaction.atomic():
        engagement = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("organisation", "consultant", "invited_by")
            .get(pk=engagement.pk)
        )
        if engagement.accepted_at is not None or engagement.ended_at is not None:
            raise EngagementAnswered
        if accept and not engagement.consultant.is_certified:
            raise OwnCertificateExpired
        if accept:
            engagement.accepted_at = timezone.now()
            engagement.save(update_fields=["accepted_at"])
        else:
            engagement.ended_at = timezone.now()
            engagement.save(update_fields=["ended_at"])
    forget_roles(engagement.consultant.user)
    if engagement.invited_by is not None and engagement.invited_by.email:
        emails.send(
            template="engagement_response",
            to=engagement.invited_by.email,
            language=language,
            site_url=site_url,
            context={
                "organisation": engagement.organisation,
                "consultant": engagement.consultant,
                "accepted": accept,
            },
            links={
                "consultants_url": (
                    "org-consultants",
                    {"org_id": engagement.organisation.public_id},
                )
            },
        )
    return engagement


def engagement_revoke(*, engagement: Engagement, site_url: str, language: str) -> None:
    """End an engagement, pending or active: the consultant's access ends at once."""
    with transaction.atomic():
        engagement = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("organisation", "consultant__user")
            .get(pk=engagement.pk)
        )
        if engagement.ended_at is not None:
            raise EngagementEnded
        engagement.ended_at = timezone.now()
        engagement.save(update_fields=["ended_at"])
    forget_roles(engagement.consultant.user)
    emails.send(
        template="engagement_revoked",
        to=engagement.consultant.user.email,
        language=language,
        site_url=site_url,
        context={"organisation": engagement.organisation, "consultant": engagement.consultant},
        links={"dashboard_url": ("dashboard", {})},
    )


# ---- claiming a self-scan ----


def scan_claim(*, scan: Scan, organisation: Organisation, user: User) -> Scan:
    """Add an anonymous self-scan to one of the user's organisations (owner or member)."""
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise NotAMember
    with transaction.atomic():
        scan = Scan.objects.select_for_update().get(pk=scan.pk)
        if scan.kind != Scan.Kind.SELF:
            raise GuidedScanNotClaimable
        if scan.organisation_id is not None:
            raise ScanAlreadyClaimed
        scan.organisation = organisation
        scan.save(update_fields=["organisation"])
        measurement_record(scan=scan)  # it now counts as the organisation's, if it opted in
        # A plan made through the private link goes along (docs/decisions.md).
        from imscan.plans.services import plan_follow_source

        plan_follow_source(source=scan)
    return scan
