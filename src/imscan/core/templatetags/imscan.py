"""Template helpers for model texts, which carry their own translations."""

from collections.abc import Mapping

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from imscan.engine import tr

register = template.Library()


@register.filter
def text(value: Mapping[str, str] | None) -> str:
    """A model text in the current language: `{{ node.title|text }}`."""
    if not value:
        return ""
    return tr(value, get_language() or "nl")


@register.filter
def score(value: float | None, digits: int = 1) -> str:
    """A score with a fixed number of decimals in the current locale; a dash when absent."""
    if value is None:
        return "–"
    return number_format(round(value, digits), decimal_pos=digits)


@register.filter
def number(value: float) -> str:
    """A scale bound as people write it: `1`, not `1.0`; decimals in the current locale."""
    if float(value).is_integer():
        return str(int(value))
    return number_format(value)
