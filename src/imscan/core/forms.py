"""Form helpers: NL Design System (Utrecht) classes on Django's widgets."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

_WIDGET_CLASSES: dict[type[forms.Widget], str] = {
    forms.Textarea: "utrecht-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "",
}


TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"


def style_widget(widget: forms.Widget) -> None:
    """Give a widget its Utrecht class (once)."""
    css = next((c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)), TEXTBOX)
    if css and css not in widget.attrs.get("class", ""):
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class NLDSFormMixin:
    """Gives every widget its Utrecht class and aria-invalid when the field has an error.

    Render a field with `{% include "includes/field.html" %}` and the form's general
    errors with `{% include "includes/form_errors.html" %}`.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"


class DateInput(forms.DateInput):
    """The browser's date picker; without it, a text box that takes 2026-12-31."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


MAX_YEARS_AHEAD = 5


class LastDayField(forms.DateField):
    """The last day something works (a link, a token): after today, within five years."""

    widget = DateInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d-%m-%Y"])
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is None:
            return
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError(
                _("The expiry date must be in the future: choose a day after today.")
            )
        if value > today + datetime.timedelta(days=366 * MAX_YEARS_AHEAD):
            raise forms.ValidationError(
                _("Choose a day within %(years)d years.") % {"years": MAX_YEARS_AHEAD}
            )


def end_of_day(day: datetime.date | None) -> datetime.datetime | None:
    """The end of the day, in the site's time zone: what "up to and including" means."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
