from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from imscan.engine import score
from imscan.permissions import public
from imscan.reports import presenters
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.selectors import respondent_answers

RESULTS_CACHE_SECONDS = 24 * 60 * 60


@require_GET
@with_respondent
def results(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    respondent = access.respondent
    if respondent.finished_at is None:
        return redirect("scan-review", token=access.token)
    # A finished scan's answers never change, so neither does its results page: it is
    # rendered once per language and served from the cache after that.
    lang = get_language()
    key = f"results:{respondent.token_hash}:{respondent.finished_at.timestamp()}:{lang}"
    html = cache.get(key)
    if html is None:
        result = score(access.model, respondent_answers(respondent))
        context = presenters.results(access.model, result, lang)
        html = render_to_string("reports/results.html", context, request)
        cache.set(key, html, RESULTS_CACHE_SECONDS)
    return HttpResponse(html)


@require_GET
@public
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/method.html")
