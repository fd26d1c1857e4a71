"""The form to create a share link."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import NLDSFormMixin
from imscan.sharing.services import MAX_LABEL_LENGTH

MAX_YEARS_AHEAD = 5


class DateInput(forms.DateInput):
    """The browser's date picker; without it, a text box that takes 2026-12-31."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class ShareLinkForm(NLDSFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=MAX_LABEL_LENGTH,
        required=False,
        help_text=_("Only for you, to recognise the link, e.g. “for the management team”."),
    )
    expires_on = forms.DateField(
        label=_("Works until"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_(
            "The link works up to and including this day. Leave it empty for a link that "
            "works until you revoke it."
        ),
    )

    def clean_expires_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(
                _("The expiry date must be in the future: choose a day after today.")
            )
        if day > today + datetime.timedelta(days=366 * MAX_YEARS_AHEAD):
            raise forms.ValidationError(
                _("Choose a day within %(years)d years.") % {"years": MAX_YEARS_AHEAD}
            )
        return day

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day, in the site's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
