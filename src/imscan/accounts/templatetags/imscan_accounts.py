"""Template helpers for the allauth pages: NL Design System classes on allauth's forms."""

from __future__ import annotations

from django import forms, template

from imscan.core.forms import style_widget

register = template.Library()


@register.simple_tag
def nlds_form(form: forms.BaseForm) -> forms.BaseForm:
    """Give the widgets of an allauth form the Utrecht classes our own forms get from
    `NLDSFormMixin`, and drop allauth's placeholders: our labels are always visible, and
    a placeholder repeating the label only looks like a filled-in value."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)
        style_widget(field.widget)
    return form
