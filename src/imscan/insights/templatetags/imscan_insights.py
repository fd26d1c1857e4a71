"""Writing published figures: a number in the page's language, or a mark for a withheld one."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from imscan.insights.tables import PERCENT, SCORE, Figure

register = template.Library()


@register.filter
def figure(cell: Figure) -> SafeString | str:
    """`{{ cell|figure }}`: 12, 3,4, 16,5 % or a withheld mark with its meaning for
    screen readers (the page explains it next to every table)."""
    if cell.withheld:
        return format_html(
            '<span aria-hidden="true">×</span><span class="imscan-visually-hidden">{}</span>',
            _("withheld"),
        )
    if cell.value is None:
        return "–"
    if cell.kind == SCORE:
        return number_format(cell.value, decimal_pos=1)
    if cell.kind == PERCENT:
        return f"{number_format(cell.value, decimal_pos=0)} %"
    return number_format(int(cell.value), force_grouping=True)
