"""Writes on a user's own account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from imscan.accounts.selectors import (
    organisations_needing_another_owner,
    organisations_only_mine,
)
from imscan.organisations.models import Organisation


class SoleOwnerError(Exception):
    """The user is the only owner of organisations that have other members."""

    def __init__(self, organisations: list[Organisation]) -> None:
        super().__init__("the only owner of: " + ", ".join(o.name for o in organisations))
        self.organisations = organisations


def user_delete(*, user: User) -> None:
    """Delete the account: its login, e-mail addresses, two-factor authentication,
    memberships, consultant profile and engagements, and the organisations of which the
    user is the only member, with their scans. Other organisations and their scans stay
    (a scan the user created no longer says by whom).

    Refused with `SoleOwnerError`, changing nothing, while the user is the only owner of
    an organisation with other members: they must hand over ownership first.
    """
    with transaction.atomic():
        # Lock the user's row: two deletions at once, or a membership change racing this
        # check, wait for each other.
        get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
        blocking = organisations_needing_another_owner(user=user)
        if blocking:
            raise SoleOwnerError(blocking)
        for organisation in organisations_only_mine(user=user):
            organisation.delete()  # its scans, respondents and answers cascade
        user.delete()
