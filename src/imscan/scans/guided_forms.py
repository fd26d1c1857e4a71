"""Forms for guided scans. They check what was typed; the rules (who may guide, what a
closed scan refuses) are checked again by the services in `guided.py`."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import latest_versions
from imscan.core.forms import NLDSFormMixin
from imscan.engine import tr
from imscan.organisations.models import ConsultantProfile, Organisation
from imscan.scans import guided_selectors as selectors
from imscan.scans.guided import (
    MAX_ANONYMITY_THRESHOLD,
    MAX_INVITATIONS_AT_ONCE,
    MAX_LINK_CAP,
    MIN_ANONYMITY_THRESHOLD,
    normalise_address,
)
from imscan.scans.models import DEFAULT_ANONYMITY_THRESHOLD, RespondentGroup, Scan


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's date and time picker; without it, a text box that takes 2026-12-03T09:00."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


if TYPE_CHECKING:  # Django's form fields are generic only in the type stubs
    ConsultantChoiceField = forms.ModelChoiceField[ConsultantProfile]
    GroupChoiceField = forms.ModelChoiceField[RespondentGroup]
else:
    ConsultantChoiceField = GroupChoiceField = forms.ModelChoiceField


class GuideChoiceField(ConsultantChoiceField):
    def label_from_instance(self, obj: ConsultantProfile) -> str:
        label = obj.display_name + (f" ({obj.firm})" if obj.firm else "")
        if obj.verified_at is None:
            return label + " – " + gettext("certificate not verified")
        if obj.is_expired:
            return label + " – " + gettext("certificate expired")
        return label


def _format(text: Any, params: dict[str, Any]) -> str:
    return str(text) % params


# A lazy text with its placeholders filled in when it is shown, in the language of the moment.
lazy_format = lazy(_format, str)


def version_label(version: ModelVersion) -> str:
    title = tr(version.title, get_language() or "nl") if version.title else version.model_id
    return title + " – " + gettext("version %(version)s") % {"version": version.version}


def group_names(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


TITLE_HELP = _("Respondents see it, for example “Innovation scan 2026, Social Affairs”.")
CLOSES_HELP = _(
    "At this moment the scan closes by itself; you can also close it by hand."
    " After closing nobody can answer any more and the result is frozen."
)
THRESHOLD_HELP = _(
    "Anonymity threshold: the result shows a group's figures only when at least this many"
    " of its respondents have finished, so nobody's answers can be singled out. At least 2;"
    " 3 is usual."
)


class _ScanSettingsForm(NLDSFormMixin, forms.Form):
    """The settings a scan is created with and that can change while it is open."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=TITLE_HELP)
    opens_at = forms.DateTimeField(
        label=_("Opens at"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("Leave empty to open the scan straight away."),
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), required=False, widget=DateTimeLocalInput(), help_text=CLOSES_HELP
    )
    anonymity_threshold = forms.IntegerField(
        label=_("Minimum number of respondents per group"),
        min_value=MIN_ANONYMITY_THRESHOLD,
        max_value=MAX_ANONYMITY_THRESHOLD,
        initial=DEFAULT_ANONYMITY_THRESHOLD,
        help_text=THRESHOLD_HELP,
    )
    guide = GuideChoiceField(
        label=_("Guiding consultant"),
        queryset=ConsultantProfile.objects.none(),
        required=False,
        empty_label=_("No guiding consultant"),
        help_text=_(
            "One of the consultants your organisation has engaged, with a valid certificate."
        ),
    )

    def _offer_guides(self, organisation: Organisation, with_guide: bool) -> None:
        """The organisation's certified, engaged consultants; no field for a consultant,
        who guides the scans they create themselves."""
        if with_guide:
            guide_field = self.fields["guide"]
            assert isinstance(guide_field, GuideChoiceField)
            guide_field.queryset = selectors.guide_choices(organisation)
        else:
            del self.fields["guide"]


class GuidedScanForm(_ScanSettingsForm):
    version = forms.ChoiceField(label=_("Model"))
    language = forms.ChoiceField(
        label=_("Language of the invitations and the report"), choices=settings.LANGUAGES
    )
    groups = forms.CharField(
        label=_("Groups"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One group per line, for example “Management” and “Staff”. The result compares the"
            " groups. You can add groups later."
        ),
    )
    field_order = [
        "title",
        "version",
        "language",
        "groups",
        "opens_at",
        "closes_at",
        "anonymity_threshold",
        "guide",
    ]

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        with_guide: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in latest_versions()}
        version_field = self.fields["version"]
        assert isinstance(version_field, forms.ChoiceField)
        version_field.choices = [(pk, version_label(v)) for pk, v in self.versions.items()]
        self.fields["language"].initial = get_language()
        self._offer_guides(organisation, with_guide)

    def clean_version(self) -> ModelVersion:
        return self.versions[self.cleaned_data["version"]]

    def clean_groups(self) -> list[str]:
        names = group_names(self.cleaned_data["groups"])
        if not names:
            raise ValidationError(_("Give at least one group."))
        return names


class GuidedScanEditForm(_ScanSettingsForm):
    """Title, dates, threshold and guide of a scan that has not closed (initially its values)."""

    def __init__(self, *args: Any, scan: Scan, with_guide: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": scan.title,
                "opens_at": scan.opens_at,
                "closes_at": scan.closes_at,
                "anonymity_threshold": scan.anonymity_threshold,
                "guide": scan.guide_id,
            },
        )
        super().__init__(*args, **kwargs)
        assert scan.organisation is not None
        if selectors.has_opened(scan):
            # A disabled field keeps its initial value, whatever is posted.
            self.fields["opens_at"].disabled = True
            self.fields["opens_at"].help_text = _(
                "The scan has opened, so its opening date can no longer change."
            )
        self._offer_guides(scan.organisation, with_guide)


class GroupsForm(NLDSFormMixin, forms.Form):
    groups = forms.CharField(
        label=_("New groups"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One group per line."),
    )

    def clean_groups(self) -> list[str]:
        names = group_names(self.cleaned_data["groups"])
        if not names:
            raise ValidationError(_("Give at least one group."))
        return names


class GroupLinkForm(NLDSFormMixin, forms.Form):
    cap = forms.IntegerField(
        label=_("Maximum number of people"),
        min_value=1,
        max_value=MAX_LINK_CAP,
        help_text=_(
            "At most this many people can join the group through a link, counting those who"
            " joined through an earlier link."
        ),
    )


ADDRESS_SEPARATORS = re.compile(r"[,;]")


class InviteForm(NLDSFormMixin, forms.Form):
    group = GroupChoiceField(
        label=_("Group"), queryset=RespondentGroup.objects.none(), empty_label=None
    )
    addresses = forms.CharField(
        label=_("E-mail addresses"),
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=lazy_format(
            _(
                "One per line, or separated by commas; at most %(max)s at once. Each address"
                " gets its own personal link to the scan."
            ),
            {"max": MAX_INVITATIONS_AT_ONCE},
        ),
    )

    def __init__(self, *args: Any, scan: Scan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scan = scan
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = selectors.scan_groups(scan)

    def clean_addresses(self) -> list[str]:
        """Every address checked at once: wrong ones by line, doubles, already invited."""
        problems: list[ValidationError] = []
        addresses: list[str] = []
        for number, line in enumerate(self.cleaned_data["addresses"].splitlines(), start=1):
            for part in ADDRESS_SEPARATORS.split(line):
                address = part.strip()
                if not address:
                    continue
                try:
                    validate_email(address)
                except ValidationError:
                    problems.append(
                        ValidationError(
                            _("Line %(line)s: “%(address)s” is not a valid e-mail address."),
                            params={"line": number, "address": address[:100]},
                        )
                    )
                    continue
                addresses.append(normalise_address(address))
        if len(addresses) + len(problems) > MAX_INVITATIONS_AT_ONCE:
            raise ValidationError(
                _("You can invite at most %(max)s addresses at once; this list has %(count)s."),
                params={"max": MAX_INVITATIONS_AT_ONCE, "count": len(addresses) + len(problems)},
            )
        twice = sorted(address for address, n in Counter(addresses).items() if n > 1)
        if twice:
            problems.append(
                ValidationError(
                    _("These addresses are in the list more than once: %(addresses)s."),
                    params={"addresses": ", ".join(twice)},
                )
            )
        already = selectors.invited_addresses(self.scan, addresses)
        if already:
            problems.append(
                ValidationError(
                    ngettext(
                        "This address has already been invited to this scan: %(addresses)s.",
                        "These addresses have already been invited to this scan: %(addresses)s.",
                        len(already),
                    ),
                    params={"addresses": ", ".join(already)},
                )
            )
        if not addresses and not problems:
            raise ValidationError(_("Give at least one e-mail address."))
        if problems:
            raise ValidationError(problems)
        return addresses


class RemindForm(NLDSFormMixin, forms.Form):
    group = GroupChoiceField(
        label=_("Who"),
        queryset=RespondentGroup.objects.none(),
        required=False,
        empty_label=_("Everyone in every group who has not finished"),
    )

    def __init__(self, *args: Any, scan: Scan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = selectors.scan_groups(scan)
