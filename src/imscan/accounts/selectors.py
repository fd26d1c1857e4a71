"""Reads about a user's own account."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Count, Q

from imscan.organisations.models import Membership, Organisation


def organisations_needing_another_owner(*, user: User) -> list[Organisation]:
    """Organisations where the user is the only owner while other people are members.

    Deleting the account would leave those colleagues without anyone who can manage the
    organisation, so the user must first make someone else an owner.
    """
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER).values("organisation")
    return list(
        Organisation.objects.filter(pk__in=owned)
        .annotate(
            owners=Count("memberships", filter=Q(memberships__role=Membership.Role.OWNER)),
            members=Count("memberships"),
        )
        .filter(owners=1, members__gt=1)
        .order_by("name")
    )


def organisations_only_mine(*, user: User) -> list[Organisation]:
    """Organisations of which the user is the only member: they go with the account.

    Nobody else could ever reach them again, so keeping their scans would only keep
    organisational data that no one can see, correct or delete.
    """
    mine = Membership.objects.filter(user=user).values("organisation")
    return list(
        Organisation.objects.filter(pk__in=mine)
        .annotate(members=Count("memberships"))
        .filter(members=1)
        .order_by("name")
    )
