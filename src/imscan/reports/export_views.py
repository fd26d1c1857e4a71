"""Downloads of a scan's answers and scores (CSV, XLSX) and its report (PDF): thin views
over reports.exports."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from imscan.permissions import Action, for_scan
from imscan.reports.exports import ExportFile, ExportUnavailable, export_file, supported
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.models import Scan


def attachment(made: ExportFile) -> HttpResponse:
    """A file to download, never stored by the browser's or a proxy's cache."""
    response = HttpResponse(made.content, content_type=made.content_type)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(scan: Scan, kind: str, fmt: str) -> HttpResponse:
    if not supported(kind, fmt):
        raise Http404
    try:
        made = export_file(scan, kind, fmt, get_language() or scan.language)
    except ExportUnavailable as error:
        # Not an error of the visitor's: the export is not there (yet), e.g. an open scan.
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    return attachment(made)


@require_GET
@for_scan(Action.VIEW)
def team_export(request: HttpRequest, scan: Scan, kind: str, fmt: str) -> HttpResponse:
    return _download(scan, kind, fmt)


@require_GET
@with_respondent
def scan_export(request: HttpRequest, access: ScanAccess, kind: str, fmt: str) -> HttpResponse:
    """A respondent's own self-scan, once finished (before that: back to the review)."""
    respondent = access.respondent
    if respondent.scan.kind != Scan.Kind.SELF:
        raise Http404  # a guided scan's answers are the organisation's to export
    if respondent.finished_at is None:
        return redirect("scan-review", token=access.token)
    return _download(respondent.scan, kind, fmt)
