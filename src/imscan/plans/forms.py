"""The forms of the plan pages; the services check everything again."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from imscan.core.forms import DateInput, NLDSFormMixin
from imscan.plans.models import MAX_OWNER, MAX_WHAT, PlanAction
from imscan.plans.presenters import PartChoice, PartRow
from imscan.plans.services import ActionFields, due_date_bounds

ACROSS_THE_BOARD = ""


class PartsForm(forms.Form):
    """The parts to work on: checkboxes, rendered by the template with each part's advice."""

    parts = forms.MultipleChoiceField(required=False)

    def __init__(self, *args: Any, choices: Sequence[PartChoice], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["parts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(choice.info.id, choice.info.title) for choice in choices]
        self.initial.setdefault("parts", [choice.info.id for choice in choices if choice.chosen])

    def selected(self) -> set[str]:
        """The ticked parts as submitted (for showing the form again), or as they are."""
        if self.is_bound:
            return set(self.data.getlist("parts")) if hasattr(self.data, "getlist") else set()
        return set(self.initial.get("parts", []))


class ActionForm(NLDSFormMixin, forms.Form):
    what = forms.CharField(
        label=_("What will be done"),
        max_length=MAX_WHAT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A concrete step, e.g. “Write down the innovation goals with the board”."),
    )
    owner = forms.CharField(
        label=_("Who takes it on"),
        max_length=MAX_OWNER,
        required=False,
        help_text=_("A name, a role or a team."),
    )
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(value, capfirst(label)) for value, label in PlanAction.Status.choices],
    )
    part = forms.ChoiceField(label=_("Part"), required=False)

    def __init__(self, *args: Any, parts: Sequence[PartRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["part"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            *((row.info.id, f"{row.info.number}. {row.info.title}") for row in parts),
            (ACROSS_THE_BOARD, _("Across the board (no single part)")),
        ]

    def clean_due_date(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("due_date")
        if day is None:
            return None
        earliest, latest = due_date_bounds()
        if not earliest <= day <= latest:
            raise forms.ValidationError(
                _("Choose a day between %(earliest)s and %(latest)s.")
                % {"earliest": earliest.strftime("%d-%m-%Y"), "latest": latest.strftime("%d-%m-%Y")}
            )
        return day

    def fields_typed(self) -> ActionFields:
        data = self.cleaned_data
        return ActionFields(
            what=data["what"],
            owner=data.get("owner") or "",
            due_date=data.get("due_date"),
            status=data["status"],
            part_id=data.get("part") or None,
        )


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=PlanAction.Status.choices)
