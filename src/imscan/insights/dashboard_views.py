"""The programme dashboard and its CSV download (programme staff only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from imscan.catalog.selectors import engine_model
from imscan.engine import tr
from imscan.insights import dashboard as figures
from imscan.insights.dashboard_presenters import dashboard_page
from imscan.insights.exports import dashboard_csv
from imscan.insights.forms import DashboardForm
from imscan.permissions import staff_only


def _choice(request: HttpRequest) -> tuple[DashboardForm, figures.Dashboard]:
    """The year and version asked for: by default this year, and the version with the most
    organisations. A choice that is not on offer is an error on the form; the figures are
    then the default ones."""
    lang = get_language()
    years = figures.years()
    versions = figures.benchmark_versions()
    labels = [(v.pk, f"{tr(engine_model(v).title, lang)} {v.version}") for v in versions]
    default = {"year": years[0], "model": versions[0].pk if versions else None}
    form = DashboardForm(request.GET or None, initial=default, years=years, versions=labels)
    year, version = years[0], versions[0] if versions else None
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"] or year
        version = next((v for v in versions if v.pk == form.cleaned_data["model"]), version)
    return form, figures.cached_dashboard(year, version, lang)


@require_GET
@staff_only
def programme_dashboard(request: HttpRequest) -> HttpResponse:
    form, board = _choice(request)
    context = dashboard_page(board, get_language())
    context["form"] = form
    context["csv_query"] = request.GET.urlencode()
    return render(request, "insights/dashboard.html", context, status=400 if form.errors else 200)


@require_GET
@staff_only
def programme_dashboard_csv(request: HttpRequest) -> HttpResponse:
    _form, board = _choice(request)
    response = HttpResponse(dashboard_csv(board), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    name = f"imscan-dashboard-{board.year}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
