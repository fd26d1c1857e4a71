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


class NLDSFormMixin:
    """Gives every widget its Utrecht class and aria-invalid when the field has an error.

    Render a field with `{% include "includes/field.html" %}` and the form's general
    errors with `{% include "includes/form_errors.html" %}`.
    """

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for kind, c in _WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:
                self.fields[name].widget.attrs["aria-invalid"] = "true"
