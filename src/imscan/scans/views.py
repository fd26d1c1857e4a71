"""Taking a scan: thin views over the services, selectors and presenters."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from imscan.catalog.selectors import engine_model, latest_versions, version_by_model_id
from imscan.core.http import HtmxHttpRequest
from imscan.permissions import public
from imscan.scans import presenters
from imscan.scans.access import ScanAccess, with_respondent
from imscan.scans.forms import posted_answers
from imscan.scans.guided_selectors import closed_on, opening_state, respondent_scan_details
from imscan.scans.models import Scan
from imscan.scans.rendering import statements_html
from imscan.scans.selectors import respondent_answers, scan_pages
from imscan.scans.services import (
    InvalidAnswer,
    ScanFinished,
    ScanNotOpen,
    answers_save,
    respondent_finish,
    self_scan_start,
)


def problem(request: HtmxHttpRequest, message: str, status: int) -> HttpResponse:
    """A 4xx with a clear message: a fragment for htmx, a page otherwise."""
    template = "scans/problem_fragment.html" if request.htmx else "scans/problem.html"
    return render(request, template, {"message": message}, status=status)


def finished_problem(request: HtmxHttpRequest) -> HttpResponse:
    return problem(request, presenters.finished_message(), status=409)


def not_open_problem(request: HtmxHttpRequest, scan: Scan) -> HttpResponse:
    return problem(request, presenters.not_open_message(scan), status=409)


@require_GET
@public
def home(request: HttpRequest) -> HttpResponse:
    models = [{"model": engine_model(version), "version": version} for version in latest_versions()]
    return render(request, "scans/home.html", {"models": models})


@require_POST
@public
def start(request: HtmxHttpRequest) -> HttpResponse:
    version = version_by_model_id(request.POST.get("model", ""))
    if version is None:
        return problem(request, _("There is no scan with that name."), status=400)
    started = self_scan_start(version=version, language=get_language())
    return redirect("scan-welcome", token=started.token)


@require_GET
@with_respondent
def welcome(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    if access.respondent.is_finished:
        return redirect("scan-results", token=access.token)
    scan = access.respondent.scan
    answers = respondent_answers(access.respondent)
    context = presenters.overview(access.model, answers, get_language(), scan_pages(access.model))
    context["token"] = access.token
    context["resume_url"] = request.build_absolute_uri(
        reverse("scan-welcome", kwargs={"token": access.token})
    )
    # A guided scan's respondent sees whose scan it is, their group and when it closes.
    context["guided"] = respondent_scan_details(access.respondent)
    context["state"] = opening_state(scan)
    context["opens_at"] = scan.opens_at
    context["closes_on"] = closed_on(scan)
    context["claimable"] = scan.kind == Scan.Kind.SELF and scan.organisation_id is None
    return render(request, "scans/welcome.html", context)


@require_http_methods(["GET", "POST"])
@with_respondent
def page(request: HtmxHttpRequest, access: ScanAccess, number: int) -> HttpResponse:
    pages = scan_pages(access.model)
    if not 1 <= number <= len(pages):
        return render(request, "scans/link_not_found.html", status=404)
    if request.method == "POST":
        try:
            answers_save(
                respondent=access.respondent,
                model=access.model,
                answers=posted_answers(request.POST),
            )
        except ScanFinished:
            return finished_problem(request)
        except ScanNotOpen as error:
            return not_open_problem(request, error.scan)
        except InvalidAnswer as error:
            return problem(request, str(error), status=400)
        target = presenters.page_after(request.POST.get("go", "next"), number, len(pages))
        if target is None:
            return redirect("scan-review", token=access.token)
        return redirect("scan-page", token=access.token, number=target)
    if access.respondent.is_finished:
        return redirect("scan-results", token=access.token)
    if not access.respondent.scan.is_open():  # the welcome page says why
        return redirect("scan-welcome", token=access.token)
    answers = respondent_answers(access.respondent)
    lang = get_language()
    context = presenters.question_page(access.model, answers, lang, pages, number)
    context["token"] = access.token
    context["statements_html"] = statements_html(
        access.model, lang, pages, number, access.token, answers
    )
    return render(request, "scans/page.html", context)


@require_POST
@with_respondent
def answer(request: HtmxHttpRequest, access: ScanAccess) -> HttpResponse:
    """Autosave (htmx): the page's answers; the reply updates statuses and counts in place."""
    try:
        posted = posted_answers(request.POST)
        answers_save(respondent=access.respondent, model=access.model, answers=posted)
    except ScanFinished:
        return finished_problem(request)
    except ScanNotOpen as error:
        return not_open_problem(request, error.scan)
    except InvalidAnswer as error:
        return problem(request, str(error), status=400)
    if not request.htmx:
        return redirect("scan-welcome", token=access.token)
    # The fragment also refreshes the progress bar and its page's step count (out of band).
    stored = respondent_answers(access.respondent)
    page_number = presenters.page_number(request.POST.get("page"))
    context = presenters.saved(access.model, stored, scan_pages(access.model), page_number)
    context.update(saved_ids=list(posted), at=timezone.now())
    # Rendered without the request: the fragment uses nothing the context processors add
    # (language links, user, messages), so the output is the same and their cost is saved.
    return HttpResponse(render_to_string("scans/saved_fragment.html", context))


@require_GET
@with_respondent
def review(request: HttpRequest, access: ScanAccess) -> HttpResponse:
    if access.respondent.is_finished:
        return redirect("scan-results", token=access.token)
    if not access.respondent.scan.is_open():
        return redirect("scan-welcome", token=access.token)
    answers = respondent_answers(access.respondent)
    context = presenters.review(access.model, answers, get_language(), scan_pages(access.model))
    context["token"] = access.token
    return render(request, "scans/review.html", context)


@require_POST
@with_respondent
def finish(request: HtmxHttpRequest, access: ScanAccess) -> HttpResponse:
    try:
        respondent_finish(respondent=access.respondent)
    except ScanFinished:
        return finished_problem(request)
    except ScanNotOpen as error:
        return not_open_problem(request, error.scan)
    return redirect("scan-results", token=access.token)
