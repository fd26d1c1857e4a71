"""Reads for organisations, members, invitations, consultants and engagements."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import User
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from imscan.organisations.models import (
    ConsultantProfile,
    Engagement,
    Invitation,
    Membership,
    Organisation,
)
from imscan.scans.models import Scan
from imscan.scans.tokens import token_hash

# ---- e-mail addresses (allauth's, which has no type information) ----


def _addresses() -> QuerySet[Model]:
    model: type[Model] = apps.get_model("account", "EmailAddress")
    return model._default_manager.all()


def has_verified_email(user: User, email: str) -> bool:
    """Whether the user has verified this address (case-insensitive)."""
    return _addresses().filter(user=user, email__iexact=email, verified=True).exists()


def verified_emails(user: User) -> list[str]:
    return [
        str(address)
        for address in _addresses().filter(user=user, verified=True).values_list("email", flat=True)
    ]


def _users_with_email(email: str) -> QuerySet[User]:
    """Users whose account or one of whose (verified or not) addresses is this one."""
    return User.objects.filter(
        Q(email__iexact=email) | Q(emailaddress__email__iexact=email)
    ).distinct()


# ---- organisations and members ----


def memberships_of(user: User) -> list[Membership]:
    """The user's memberships with their organisations, by organisation name."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def is_member(organisation: Organisation, user: User) -> bool:
    return Membership.objects.filter(organisation=organisation, user=user).exists()


def member_with_email(organisation: Organisation, email: str) -> bool:
    return Membership.objects.filter(
        organisation=organisation, user__in=_users_with_email(email)
    ).exists()


def members(organisation: Organisation) -> list[Membership]:
    """Owners first, then members, each by e-mail address."""
    return list(
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-role", "user__email")  # descending: "owner" before "member"
    )


def membership_in(organisation: Organisation, membership_id: int) -> Membership | None:
    return Membership.objects.filter(organisation=organisation, pk=membership_id).first()


def owner_count(organisation: Organisation) -> int:
    return Membership.objects.filter(organisation=organisation, role=Membership.Role.OWNER).count()


# ---- invitations ----


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def _open_invitations() -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def open_invitation(organisation: Organisation, email: str) -> Invitation | None:
    return _open_invitations().filter(organisation=organisation, email__iexact=email).first()


def open_invitations(organisation: Organisation) -> list[Invitation]:
    return list(_open_invitations().filter(organisation=organisation).order_by("email"))


def invitation_in(organisation: Organisation, invitation_id: int) -> Invitation | None:
    return Invitation.objects.filter(organisation=organisation, pk=invitation_id).first()


def open_invitations_for(user: User) -> list[Invitation]:
    """Open invitations addressed to one of the user's verified e-mail addresses."""
    addresses = verified_emails(user)
    if not addresses:
        return []
    match = Q()
    for address in addresses:
        match |= Q(email__iexact=address)
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return list(
        _open_invitations()
        .filter(match)
        .exclude(organisation_id__in=member_of)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def invitation_for_user(user: User, invitation_id: int) -> Invitation | None:
    """One of the user's open invitations (see `open_invitations_for`)."""
    return next((i for i in open_invitations_for(user) if i.pk == invitation_id), None)


# ---- scans of an organisation ----


def organisation_scans(organisation: Organisation) -> QuerySet[Scan]:
    """Its guided scans and claimed self-scans, newest first, with respondent counts."""
    return (
        Scan.objects.filter(organisation=organisation)
        .select_related("model_version")
        .defer("model_version__source")
        .annotate(
            respondent_count=Count("respondents"),
            finished_count=Count("respondents", filter=Q(respondents__finished_at__isnull=False)),
        )
        .order_by("-created_at", "-pk")
    )


# ---- consultants ----


def consultant_of(user: User) -> ConsultantProfile | None:
    return ConsultantProfile.objects.filter(user=user).first()


def consultant_by_email(email: str) -> ConsultantProfile | None:
    if not email:
        return None
    return (
        ConsultantProfile.objects.filter(user__in=_users_with_email(email))
        .select_related("user")
        .first()
    )


def directory(query: str = "") -> QuerySet[ConsultantProfile]:
    """Listed consultants with a verified certificate that has not expired."""
    found = ConsultantProfile.objects.filter(
        listed=True, verified_at__isnull=False, valid_until__gte=timezone.localdate()
    )
    for word in query.split():
        found = found.filter(
            Q(display_name__icontains=word) | Q(firm__icontains=word) | Q(region__icontains=word)
        )
    return found.order_by("display_name", "pk")


def listed_consultant(pk: int) -> ConsultantProfile | None:
    return directory().filter(pk=pk).first()


def profiles_for_staff() -> tuple[list[ConsultantProfile], list[ConsultantProfile]]:
    """Profiles awaiting verification (oldest first), and all the others by name."""
    profiles = ConsultantProfile.objects.select_related("user", "verified_by")
    awaiting = list(profiles.filter(verified_at__isnull=True).order_by("updated_at", "pk"))
    others = list(profiles.filter(verified_at__isnull=False).order_by("display_name", "pk"))
    return awaiting, others


def consultant_by_pk(pk: int) -> ConsultantProfile | None:
    return ConsultantProfile.objects.filter(pk=pk).first()


# ---- engagements ----


def current_engagement(
    organisation: Organisation, consultant: ConsultantProfile
) -> Engagement | None:
    """The engagement not ended (pending or accepted); at most one per pair."""
    return (
        Engagement.objects.filter(
            organisation=organisation, consultant=consultant, ended_at__isnull=True
        )
        .select_related("consultant")
        .first()
    )


def organisation_engagements(organisation: Organisation) -> list[Engagement]:
    """Current engagements (invited or accepted), with their consultants."""
    return list(
        Engagement.objects.filter(organisation=organisation, ended_at__isnull=True)
        .select_related("consultant__user")
        .order_by("consultant__display_name", "pk")
    )


def engagement_in(organisation: Organisation, engagement_id: int) -> Engagement | None:
    return (
        Engagement.objects.filter(organisation=organisation, pk=engagement_id)
        .select_related("consultant__user")
        .first()
    )


def engagements_of(consultant: ConsultantProfile) -> tuple[list[Engagement], list[Engagement]]:
    """The consultant's invitations still to answer, and their active engagements."""
    current = list(
        Engagement.objects.filter(consultant=consultant, ended_at__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )
    pending = [e for e in current if e.accepted_at is None]
    active = [e for e in current if e.accepted_at is not None]
    return pending, active


def engagement_of_user(user: User, engagement_id: int) -> Engagement | None:
    """One of the user's own engagements as consultant."""
    return (
        Engagement.objects.filter(pk=engagement_id, consultant__user=user)
        .select_related("organisation", "consultant")
        .first()
    )
