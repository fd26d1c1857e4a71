"""Insights pages: thin views over the services, selectors and presenters."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from imscan.insights import opendata
from imscan.insights.forms import ParticipationForm
from imscan.insights.services import ParticipationError, participation_of, participation_update
from imscan.organisations.models import Organisation
from imscan.permissions import Action, for_organisation, public


@require_http_methods(["GET", "POST"])
@for_organisation(Action.MANAGE)
def org_participation(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    """What the organisation shares: benchmark, peer learning, follow-ups."""
    threshold = settings.IMSCAN_MIN_ORGANISATIONS
    form = ParticipationForm(
        request.POST or None, instance=participation_of(organisation), threshold=threshold
    )
    if request.method == "POST" and form.is_valid():
        try:
            participation_update(organisation=organisation, **form.cleaned_data)
        except ParticipationError as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            messages.success(request, _("Your choices have been saved. They apply at once."))
            return redirect("org-detail", org_id=organisation.public_id)
    context = {"form": form, "organisation": organisation, "threshold": threshold}
    status = 400 if form.errors else 200
    return render(request, "insights/participation.html", context, status=status)


# ---- open data ----


@require_GET
@public
def open_data(request: HttpRequest) -> HttpResponse:
    """What the open data holds, column by column, and the downloads."""
    context = {"columns": opendata.COLUMNS, "threshold": settings.IMSCAN_MIN_ORGANISATIONS}
    return render(request, "insights/open_data.html", context)


@require_GET
@public
def open_data_file(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "json"):
        raise Http404
    found = opendata.rows()
    if fmt == "csv":
        response = HttpResponse(opendata.as_csv(found), content_type="text/csv; charset=utf-8")
    else:
        about = request.build_absolute_uri(reverse("open-data"))
        response = HttpResponse(
            opendata.as_json(found, about), content_type="application/json; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="imscan-levels.{fmt}"'
    return response
