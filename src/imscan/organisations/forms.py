"""Forms for organisations, invitations, consultants and engagements (NL Design System)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import NLDSFormMixin
from imscan.organisations.models import ConsultantProfile, Membership, Organisation


class OrganisationForm(NLDSFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = ["name", "kind", "size", "country"]
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "organization"})}


class InvitationForm(NLDSFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("We send an invitation link to this address. It works for 14 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=Membership.Role.choices,
        initial=Membership.Role.MEMBER,
        help_text=_(
            "Members see the organisation, its scans and results, and can run scans."
            " Owners can also change the details, members and consultants."
        ),
    )
    # Set by the button "Send the invitation again" after an open invitation was found.
    resend = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Membership.Role.choices)


class ConsultantProfileForm(NLDSFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ConsultantProfile
        fields = [
            "display_name",
            "firm",
            "region",
            "bio",
            "certifying_body",
            "certificate_number",
            "valid_until",
            "listed",
        ]
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "firm": forms.TextInput(attrs={"autocomplete": "organization"}),
            "bio": forms.Textarea(attrs={"rows": 5}),
            "valid_until": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "region": _("Where you work, for example a province or “the whole country”."),
            "valid_until": _("The date on your certificate until which it is valid."),
            "listed": _(
                "Organisations can then find you and engage you. Only consultants with a"
                " verified certificate that has not expired are shown."
            ),
        }

    def clean_valid_until(self) -> Any:
        value = self.cleaned_data["valid_until"]
        if value is not None and value < timezone.localdate() and self._changed("valid_until"):
            raise forms.ValidationError(
                _("This date has passed. Enter the date until which your certificate is valid.")
            )
        return value

    def _changed(self, name: str) -> bool:
        return self.instance.pk is None or name in self.changed_data


class EngagementForm(NLDSFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("The consultant's e-mail address"),
        help_text=_("The address of their IMS Scan account."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


class DirectorySearchForm(NLDSFormMixin, forms.Form):
    q = forms.CharField(label=_("Search by name, firm or region"), required=False, max_length=100)


class ClaimForm(NLDSFormMixin, forms.Form):
    organisation = forms.TypedChoiceField(
        label=_("Organisation"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, organisations: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(org.pk, org.name) for org in organisations]
        if len(organisations) == 1:
            field.initial = organisations[0].pk
        self.organisations = {org.pk: org for org in organisations}

    def chosen(self) -> Organisation:
        organisation: Organisation = self.organisations[self.cleaned_data["organisation"]]
        return organisation
