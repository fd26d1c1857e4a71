from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from imscan.engine import score
from imscan.reports import presenters
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.selectors import respondent_answers


@require_GET
@with_respondent
def results(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    if not access.respondent.is_finished:
        return redirect("scan-review", token=access.token)
    result = score(access.model, respondent_answers(access.respondent))
    context = presenters.results(access.model, result, get_language())
    context["token"] = access.token
    return render(request, "reports/results.html", context)


@require_GET
def method(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/method.html")
