"""Share links: managing them (organisation users, or a self-scan's respondent through
the private link) and the shared, read-only report itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imscan.catalog.selectors import engine_model
from imscan.engine import tr
from imscan.permissions import Action, for_scan, mark
from imscan.reports import bodies
from imscan.reports import selectors as report_selectors
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.models import Scan
from imscan.sharing import selectors, services
from imscan.sharing.forms import ShareLinkForm
from imscan.sharing.models import ShareLink

NO_REFERRER = "no-referrer"


# ---- managing links ----


@dataclass(frozen=True)
class Place:
    """Where the management pages live: an organisation's scan, or a private link."""

    scan: Scan
    list_url: str
    back_url: str
    revoke_name: str
    kwargs: dict[str, Any]

    def revoke_url(self, link: ShareLink) -> str:
        return reverse(self.revoke_name, kwargs={**self.kwargs, "link_id": link.pk})


@dataclass(frozen=True)
class LinkRow:
    link: ShareLink
    active: bool
    revoke_url: str


def _org_place(scan: Scan) -> Place:
    kwargs = {"scan_id": scan.public_id}
    return Place(
        scan=scan,
        list_url=reverse("share-links", kwargs=kwargs),
        back_url=reverse("team-results", kwargs=kwargs),
        revoke_name="share-link-revoke",
        kwargs=kwargs,
    )


def _respondent_place(access: ScanAccess) -> Place:
    scan = access.respondent.scan
    if scan.kind != Scan.Kind.SELF:
        raise Http404  # a guided scan's respondents do not share the team's report
    kwargs = {"token": access.token}
    return Place(
        scan=scan,
        list_url=reverse("scan-share-links", kwargs=kwargs),
        back_url=reverse("scan-results", kwargs=kwargs),
        revoke_name="scan-share-link-revoke",
        kwargs=kwargs,
    )


def _manage(request: HttpRequest, place: Place) -> HttpResponse:
    scan = place.scan
    reason = selectors.not_shareable_reason(scan)
    form = ShareLinkForm(request.POST if request.method == "POST" else None)
    new_url = ""
    new_link: ShareLink | None = None
    status = 200
    if request.method == "POST":
        status = 400
        if reason is not None:
            status = 409
        elif form.is_valid():
            try:
                created = services.share_link_create(
                    scan=scan,
                    created_by=request.user,
                    label=form.cleaned_data["label"],
                    expires_at=form.expires_at(),
                )
            except services.ShareRefused as error:
                form.add_error(None, error.message)
                status = 409
            else:
                new_link = created.link
                new_url = request.build_absolute_uri(
                    reverse("shared-report", kwargs={"token": created.token})
                )
                form = ShareLinkForm()
                status = 201
    rows = [
        LinkRow(link=link, active=link.is_active(), revoke_url=place.revoke_url(link))
        for link in selectors.scan_links(scan)
    ]
    context = {
        "scan": scan,
        "form": form,
        "reason": reason,
        "rows": rows,
        "new_url": new_url,
        "new_link": new_link,
        "list_url": place.list_url,
        "back_url": place.back_url,
    }
    response = render(request, "sharing/links.html", context, status=status)
    # Not no-referrer, though the URL may hold a private link: browsers then send
    # "Origin: null" with the form, which Django's CSRF check refuses. The site's
    # same-origin policy keeps the address from other sites.
    response["Cache-Control"] = "no-store"  # a new link is shown only once
    return response


def _revoke(request: HttpRequest, place: Place, link_id: int) -> HttpResponse:
    link = get_object_or_404(ShareLink, pk=link_id, scan=place.scan)
    if services.share_link_revoke(link=link):
        messages.success(request, _("The link has been revoked: it no longer opens the report."))
    else:
        messages.info(request, _("This link was already revoked."))
    return redirect(place.list_url)


@require_http_methods(["GET", "POST"])
@for_scan(Action.VIEW)
def share_links(request: HttpRequest, scan: Scan) -> HttpResponse:
    return _manage(request, _org_place(scan))


@require_POST
@for_scan(Action.VIEW)
def share_link_revoke(request: HttpRequest, scan: Scan, link_id: int) -> HttpResponse:
    return _revoke(request, _org_place(scan), link_id)


@require_http_methods(["GET", "POST"])
@with_respondent
def scan_share_links(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    return _manage(request, _respondent_place(access))


@require_POST
@with_respondent
def scan_share_link_revoke(request: HttpRequest, access: ScanAccess, link_id: int) -> HttpResponse:
    return _revoke(request, _respondent_place(access), link_id)


# ---- the shared report ----


def _gone(request: HttpRequest) -> HttpResponse:
    response = render(request, "sharing/link_gone.html", status=404)
    response["Referrer-Policy"] = NO_REFERRER
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _self_scan_body(scan: Scan, lang: str) -> tuple[str, str] | None:
    respondent = report_selectors.self_scan_respondent(scan)
    if respondent is None or respondent.finished_at is None:
        return None
    model = engine_model(scan.model_version)
    title = _("Shared result: %(model)s") % {"model": tr(model.title, lang)}
    return bodies.result_body(model, respondent, lang), title


def _team_body(scan: Scan, lang: str) -> tuple[str, str] | None:
    if not scan.is_closed():
        return None
    title = _("Shared team result: %(title)s") % {"title": str(scan)}
    return bodies.team_body(scan, lang, shared=True), title


def _shared_report(request: HttpRequest, token: str) -> HttpResponse:
    link = selectors.active_link(token)
    if link is None:
        return _gone(request)
    scan = link.scan
    lang = get_language()
    found = _self_scan_body(scan, lang) if scan.kind == Scan.Kind.SELF else _team_body(scan, lang)
    if found is None:  # cannot happen for a link made by the services, but never show less
        return _gone(request)
    services.share_link_viewed(link=link)
    body, title = found
    context = {"body": mark_safe(body), "page_title": title}  # noqa: S308 (our own render)
    response = render(request, "sharing/shared_report.html", context)
    response["Referrer-Policy"] = NO_REFERRER
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-cache"
    return response


shared_report = mark(require_GET(_shared_report), "share link")
