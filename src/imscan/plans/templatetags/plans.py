from typing import Any

from django import template

from imscan.plans.views import Place

register = template.Library()


@register.simple_tag
def plan_url(place: Place, page: str, **kwargs: Any) -> str:
    """The URL of one of the plan's pages where the visitor is: `{% plan_url place "parts" %}`,
    `{% plan_url place "action-edit" action_id=action.pk %}`."""
    return place.url(page, **kwargs)
