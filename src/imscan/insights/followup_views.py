"""The impact follow-up survey, answered through the link in its invitation (no account:
the link is the permission, like a respondent's private link)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from imscan.catalog.selectors import engine_model
from imscan.engine import tr
from imscan.insights.followups import (
    FollowUpClosed,
    InvalidFollowUpAnswer,
    answers_open_until,
    followup_answers_save,
    followup_by_token,
    saved_answers,
)
from imscan.insights.models import FollowUp
from imscan.permissions import mark
from imscan.scans.forms import field_value, posted_answers
from imscan.scans.presenters import part_view
from imscan.scans.services import InvalidAnswer

FollowUpView = Callable[..., HttpResponse]


def with_followup(view: FollowUpView) -> FollowUpView:
    """The link's token becomes the follow-up, or a friendly 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, token: str, **kwargs: Any) -> HttpResponse:
        followup = followup_by_token(token)
        if followup is None:
            return render(request, "insights/followup_not_found.html", status=404)
        return view(request, followup, **kwargs)

    return mark(wrapper, "follow-up link")


def _context(followup: FollowUp, answers: dict[str, float | None], lang: str) -> dict[str, Any]:
    survey = engine_model(followup.survey_version)
    until = answers_open_until(followup)
    chosen = {statement_id: field_value(value) for statement_id, value in answers.items()}
    parts = [
        (view, [(statement, chosen.get(statement.id)) for statement in view.statements])
        for view in (
            part_view(survey, part, number, lang)
            for number, part in enumerate(survey.parts(), start=1)
        )
    ]
    return {
        "followup": followup,
        "survey": survey,
        "scan_model": tr(engine_model(followup.scan.model_version).title, lang),
        "finished": _finished(followup),
        "parts": parts,
        "open_until": until,
        "is_open": until is None or timezone.now() < until,
    }


def _finished(followup: FollowUp) -> datetime.datetime:
    """When the followed-up scan finished (its measurement), else when it was started."""
    try:
        return followup.scan.measurement.measured_at
    except ObjectDoesNotExist:
        return followup.scan.created_at


@require_http_methods(["GET", "POST"])
@with_followup
def followup(request: HttpRequest, followup: FollowUp) -> HttpResponse:
    lang = get_language()
    if request.method == "POST":
        try:
            answers = posted_answers(request.POST)
            followup_answers_save(followup=followup, answers=answers)
        except (InvalidAnswer, InvalidFollowUpAnswer) as error:
            context = _context(followup, saved_answers(followup), lang)
            context["error"] = str(error)
            return render(request, "insights/followup.html", context, status=400)
        except FollowUpClosed:
            context = _context(followup, saved_answers(followup), lang)
            return render(request, "insights/followup.html", context, status=409)
        messages.success(request, _("Thank you: your answers have been saved."))
        return redirect(request.path)
    context = _context(followup, saved_answers(followup), lang)
    return render(request, "insights/followup.html", context)
