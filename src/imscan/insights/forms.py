"""Forms of the insights pages (NL Design System classes through NLDSFormMixin)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import NLDSFormMixin
from imscan.insights.models import Participation
from imscan.organisations.models import Organisation


class BenchmarkFilterForm(NLDSFormMixin, forms.Form):
    """Which peers to compare with: a type of government and a size band, or any."""

    type = forms.ChoiceField(
        label=_("Type of government"),
        required=False,
        choices=[("", _("Any type")), *list(Organisation.Kind.choices)],
    )
    size = forms.ChoiceField(
        label=_("Size"),
        required=False,
        choices=[("", _("Any size")), *list(Organisation.Size.choices)],
    )

    def __init__(self, *args: Any, own: Organisation | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if own is not None:  # mark the organisation's own type and size in the lists
            for name, value in (("type", own.kind), ("size", own.size)):
                field = self.fields[name]
                assert isinstance(field, forms.ChoiceField)
                choices = cast(list[tuple[str, str]], field.choices)  # set just above
                field.choices = [
                    (key, _("%(label)s (yours)") % {"label": label} if key == value else label)
                    for key, label in choices
                ]


class ParticipationForm(NLDSFormMixin, forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Participation
        fields = ["benchmark", "contactable", "contact_name", "contact_email", "followups"]
        widgets = {
            "benchmark": forms.RadioSelect,
            "contact_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        labels = {
            "benchmark": _("What counts in the benchmark"),
            "contactable": _("Other organisations may contact us to learn from us"),
            "contact_name": _("Contact person or team"),
            "contact_email": _("Contact e-mail address"),
            "followups": _("Send us a short follow-up survey some months after a scan"),
        }
        help_texts = {
            "benchmark": _(
                "Results are only ever shown as medians and quartiles of groups of at least"
                " %(k)s organisations, never on their own. Closed guided scans count by"
                " default; self-scans, done by one person, only when you choose so."
            ),
            "contactable": _(
                "Organisations that took the same scan then see your organisation's name,"
                " type and size, the contact details below, and the parts in which your"
                " latest result is at least a level above theirs. Never your scores."
            ),
            "contact_email": _(
                "Shown to other organisations if you are contactable; the follow-up surveys"
                " go to this address too (without it, to the owners)."
            ),
            "followups": _(
                "A few questions about what the scan has led to, answered in two minutes."
                " The programme publishes the answers only in totals of at least %(k)s"
                " organisations."
            ),
        }

    def __init__(self, *args: Any, threshold: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("benchmark", "followups"):
            field = self.fields[name]
            field.help_text = str(field.help_text) % {"k": threshold}


class DashboardForm(NLDSFormMixin, forms.Form):
    """The dashboard's period (a calendar year) and the model version of its levels."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    model = forms.TypedChoiceField(label=_("Model"), coerce=int, required=False)

    def __init__(
        self, *args: Any, years: list[int], versions: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        year, model = self.fields["year"], self.fields["model"]
        assert isinstance(year, forms.ChoiceField) and isinstance(model, forms.ChoiceField)
        year.choices = [(value, str(value)) for value in years]
        model.choices = versions
