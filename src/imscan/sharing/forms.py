"""The form to create a share link."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import LastDayField, NLDSFormMixin, end_of_day
from imscan.sharing.services import MAX_LABEL_LENGTH


class ShareLinkForm(NLDSFormMixin, forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=MAX_LABEL_LENGTH,
        required=False,
        help_text=_("Only for you, to recognise the link, e.g. “for the management team”."),
    )
    expires_on = LastDayField(
        label=_("Works until"),
        required=False,
        help_text=_(
            "The link works up to and including this day. Leave it empty for a link that "
            "works until you revoke it."
        ),
    )

    def expires_at(self) -> datetime.datetime | None:
        """The end of the chosen day, in the site's time zone."""
        return end_of_day(self.cleaned_data.get("expires_on"))
