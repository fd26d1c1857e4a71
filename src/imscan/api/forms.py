"""The form to make a personal API token."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from imscan.accounts.forms import PasswordAgainForm
from imscan.api.services import MAX_NAME_LENGTH
from imscan.core.forms import LastDayField, end_of_day


class ApiTokenForm(PasswordAgainForm):
    """A token is a new way into the account: the password again first."""

    field_order = ["name", "read_only", "expires_on", "password"]

    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("What the token is for, e.g. “dashboard of the innovation team”."),
    )
    read_only = forms.BooleanField(
        label=_("Read only: the token can read, but not change anything"),
        required=False,
        initial=True,
    )
    expires_on = LastDayField(
        label=_("Works until"),
        required=False,
        help_text=_(
            "The token works up to and including this day. Leave it empty for a token that "
            "works until you revoke it."
        ),
    )

    def expires_at(self) -> datetime.datetime | None:
        return end_of_day(self.cleaned_data.get("expires_on"))
