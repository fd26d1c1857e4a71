"""Form helpers: NL Design System (Utrecht) classes on Django's widgets."""

from __future__ import annotations

from typing import Any

from django import forms

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
