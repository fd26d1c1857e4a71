"""Access to a scan through its private link, decided in this one place.

The link's token is in every scan URL; `with_respondent` turns it into the respondent and
the model their scan was taken with, or a friendly 404, so no view can forget the check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel
from imscan.permissions import mark
from imscan.scans.models import Respondent
from imscan.scans.selectors import respondent_by_token


@dataclass(frozen=True)
class ScanAccess:
    """What a private link opens: the respondent, and the model their scan was taken with."""

    token: str
    respondent: Respondent
    model: MaturityModel


# Django passes the URL's parts as keyword arguments (token=..., number=...).
ScanView = Callable[..., HttpResponse]


def with_respondent(view: ScanView) -> ScanView:
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        respondent = respondent_by_token(token)
        if respondent is None:
            return render(request, "scans/link_not_found.html", status=404)
        model = engine_model(respondent.scan.model_version)
        return view(request, ScanAccess(token, respondent, model), **kwargs)

    return mark(wrapper, "respondent link")
