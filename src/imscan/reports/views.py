from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from imscan.engine import tr
from imscan.insights.presenters import result_extras
from imscan.organisations.models import Organisation
from imscan.permissions import Action, for_organisation, for_scan, public
from imscan.plans import follow_up
from imscan.plans import selectors as plan_selectors
from imscan.reports import bodies, over_time, selectors
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.models import Scan


@require_GET
@with_respondent
def results(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    respondent = access.respondent
    if respondent.finished_at is None:
        return redirect("scan-review", token=access.token)
    lang = get_language()
    html = bodies.result_body(access.model, respondent, lang)
    title = _("Your result: %(model)s") % {"model": tr(access.model.title, lang)}
    scan = respondent.scan
    claimable = scan.kind == Scan.Kind.SELF and scan.organisation_id is None
    extra: dict[str, object] = {"claim_token": access.token if claimable else None}
    if scan.kind == Scan.Kind.SELF:
        extra["downloads"] = _downloads("scan-export", token=access.token)
        extra["share_url"] = reverse("scan-share-links", kwargs={"token": access.token})
        if claimable:  # once claimed, the plan is the organisation's
            extra["plan_url"] = reverse("respondent-plan", kwargs={"token": access.token})
    extra.update(result_extras(request, scan, lang))
    return _page(request, html, title, extra)


@require_GET
@for_scan(Action.VIEW)
def team_results(request: HttpRequest, scan: Scan) -> HttpResponse:
    lang = get_language()
    html = bodies.team_body(scan, lang)
    extra: dict[str, object] = {}
    if scan.kind == Scan.Kind.SELF or scan.is_closed():
        extra["downloads"] = _downloads("team-export", scan_id=scan.public_id)
        extra["share_url"] = reverse("share-links", kwargs={"scan_id": scan.public_id})
        extra["plan_url"] = reverse("scan-plan", kwargs={"scan_id": scan.public_id})
        extra.update(result_extras(request, scan, lang))
    return _page(request, html, _("Team result: %(title)s") % {"title": str(scan)}, extra)


@require_GET
@for_organisation(Action.VIEW)
def org_progress(request: HttpRequest, organisation: Organisation) -> HttpResponse:
    lang = get_language()
    key = (
        f"org-progress:{organisation.public_id}:"
        f"{selectors.organisation_fingerprint(organisation)}:{lang}"
    )
    html = cache.get(key)
    if html is None:
        context = over_time.progress(organisation, selectors.organisation_scans(organisation), lang)
        scan_ids = [point.scan.pk for model in context["models"] for point in model.points]
        plans = plan_selectors.plans_of(organisation, Scan, scan_ids)
        context["models"] = follow_up.with_follow_ups(context["models"], plans, lang)
        html = render_to_string("reports/progress.html", context)
        cache.set(key, html, bodies.CACHE_SECONDS)
    title = _("Progress over time: %(name)s") % {"name": organisation.name}
    return _page(request, html, title)


def _downloads(url_name: str, **kwargs: object) -> list[tuple[str, str]]:
    """The spreadsheet downloads of a result: (label, URL)."""
    files = [
        (_("Report (PDF)"), "report", "pdf"),
        (_("Answers (Excel)"), "answers", "xlsx"),
        (_("Answers (CSV)"), "answers", "csv"),
        (_("Scores (Excel)"), "scores", "xlsx"),
        (_("Scores (CSV)"), "scores", "csv"),
    ]
    return [
        (label, reverse(url_name, kwargs={**kwargs, "kind": kind, "fmt": fmt}))
        for label, kind, fmt in files
    ]


def _page(
    request: HttpRequest, body: str, title: str, extra: dict[str, object] | None = None
) -> HttpResponse:
    """The cached body in the page layout, rendered per request: the layout may show who is
    logged in, which must never be cached for the next visitor."""
    context = {"body": mark_safe(body), "page_title": title, **(extra or {})}  # noqa: S308
    return render(request, "reports/page.html", context)


@require_GET
@public
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/method.html")
