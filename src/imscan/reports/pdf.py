"""The printable PDF report of a result (WeasyPrint, imported lazily), tagged PDF/UA-1.

The HTML comes from reports/pdf/report.html with the print stylesheet inlined; the PDF
bytes are cached like the result bodies (imscan.reports.bodies): a self-scan by its
respondent and finishing time, a team scan by its state fingerprint, and the language.
See docs/exports.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from imscan.catalog.selectors import engine_model
from imscan.engine import MaturityModel, score, tr
from imscan.plans.models import Plan
from imscan.plans.presenters import PlanView, plan_view
from imscan.plans.selectors import plan_for_source, plan_with_contents
from imscan.plans.sources import SourceResult, scan_title
from imscan.reports import presenters, selectors, team
from imscan.reports.bodies import CACHE_SECONDS
from imscan.reports.exports import ExportUnavailable
from imscan.scans.models import Respondent, Scan
from imscan.scans.presenters import part_numbers
from imscan.scans.selectors import respondent_answers

TEMPLATE = "reports/pdf/report.html"
PDF_VARIANT = "pdf/ua-1"
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "imscan" / "css" / "print.css"

# WeasyPrint styles an inline SVG from its own <style> only, not the document's CSS.
RADAR_CSS = """
.imscan-radar__grid polygon, .imscan-radar__grid line {
  fill: none; stroke: #b8b8b8; stroke-width: 1;
}
.imscan-radar__ticks text { font-size: 11px; fill: #595959; }
.imscan-radar__area { fill: rgba(29, 79, 145, 0.25); stroke: #1d4f91; stroke-width: 2.5; }
.imscan-radar__dot { fill: #1d4f91; }
.imscan-radar__labels text { font-size: 12.5px; fill: #1a1a1a; }
.imscan-radar__series { fill: none; stroke-width: 2.5; stroke: #4d4d4d; }
.imscan-series--1 { stroke: #c2410c; stroke-dasharray: 8 4; }
.imscan-series--2 { stroke: #047857; stroke-dasharray: 2 4; }
.imscan-series--3 { stroke: #7e22ce; stroke-dasharray: 12 4 2 4; }
.imscan-series--4 { stroke: #be185d; stroke-dasharray: 4 4; }
.imscan-series--5 { stroke: #0e7490; stroke-dasharray: 16 6; }
.imscan-series--6 { stroke: #4d4d4d; stroke-dasharray: 1 3; }
"""


def render_pdf(html: str, base_url: str) -> bytes:
    """The PDF of an HTML document, tagged for accessibility (PDF/UA-1)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url).write_pdf(pdf_variant=PDF_VARIANT)
    return pdf


def _base_url() -> str:
    return STYLESHEET.parent.as_uri() + "/"


def _print_css() -> str:
    # Our own file, inlined into the document: no request to fetch it.
    return mark_safe(STYLESHEET.read_text(encoding="utf-8"))  # noqa: S308


def _radar_svg(context: dict[str, Any]) -> str:
    """The results page's radar chart, with its styles inside the SVG."""
    svg = render_to_string("reports/_radar.svg.html", {"radar": context["radar"]})
    start = svg.index(">", svg.index("<svg")) + 1
    return mark_safe(f"{svg[:start]}<style>{RADAR_CSS}</style>{svg[start:]}")  # noqa: S308


def _answers_appendix(
    model: MaturityModel, answers: dict[str, float | None], lang: str
) -> list[dict[str, Any]]:
    """Per part its statements with the answer given (self-scan)."""
    numbers = part_numbers(model)
    parts = []
    for part in model.parts():
        items = []
        for statement in part.statements or ():
            scale = model.scale_of(statement.id)
            if statement.id not in answers:
                answer = _("No answer")
            elif (value := answers[statement.id]) is None:
                na = scale.not_applicable_option
                answer = tr(na.label, lang) if na is not None else _("Don't know")
            else:
                labels = {o.value: tr(o.label, lang) for o in scale.options}
                answer = f"{value:g} {labels.get(value, '')}".strip()
            items.append({"text": tr(statement.text, lang), "answer": answer})
        parts.append({"number": numbers[part.id], "title": tr(part.title, lang), "items": items})
    return parts


def _distribution_appendix(
    model: MaturityModel, report: Any, lang: str
) -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Per part its statements with the team's answer counts (team scan), and the legend of
    the answer values. The counts name a value by its number when every statement shares
    one scale (the legend then says what each number means), by its label otherwise."""
    numbers = part_numbers(model)
    statements = model.statements()
    one_scale = len({statement.scale for statement in statements}) == 1
    legend = []
    if one_scale and statements:
        scale = model.scale_of(statements[0].id)
        legend = [(f"{o.value:g}", tr(o.label, lang)) for o in scale.options if o.value is not None]
    parts = []
    for part in model.parts():
        items = []
        for statement in part.statements or ():
            distribution = report.statements.get(statement.id)
            if distribution is None:
                continue
            cats = team.categories(model, statement.id, lang)
            counts = team.distribution_counts(distribution)
            items.append(
                {
                    "text": tr(statement.text, lang),
                    "counts": [
                        (category.short if one_scale else category.label, count)
                        for category, count in zip(cats, counts, strict=True)
                        if count or category.kind == "value"
                    ],
                    "mean": distribution.mean,
                }
            )
        parts.append({"number": numbers[part.id], "title": tr(part.title, lang), "items": items})
    return parts, legend


def _plan_key(plan: Plan | None) -> str:
    """The plan's part of a report's cache key: every change to the plan moves it."""
    return f"{plan.pk}.{plan.updated_at.timestamp()}" if plan is not None else "no-plan"


def _plan(scan: Scan, plan: Plan | None, context: dict[str, Any], lang: str) -> PlanView | None:
    """The development plan as the report shows it, from the result in `context`."""
    if plan is None:
        return None
    source = SourceResult(
        title=scan_title(scan, context["date"]),
        model=context["model"],
        result=context["result"],
        points=context["points"],
    )
    return plan_view(plan_with_contents(plan), source, lang)


def result_html(
    model: MaturityModel, respondent: Respondent, lang: str, plan: Plan | None = None
) -> str:
    answers = respondent_answers(respondent)
    with translation.override(lang):
        context = presenters.results(model, score(model, answers), lang)
        scan = respondent.scan
        context.update(
            {
                "lang": lang,
                "css": _print_css(),
                "radar_svg": _radar_svg(context),
                "team": False,
                "scan": scan,
                "organisation": scan.organisation,
                "date": respondent.finished_at or timezone.now(),
                "appendix": _answers_appendix(model, answers, lang),
            }
        )
        context["plan"] = _plan(scan, plan, context, lang)
        return render_to_string(TEMPLATE, context)


def result_pdf(model: MaturityModel, respondent: Respondent, lang: str) -> bytes:
    """One finished respondent's report; cached until its plan changes (the answers are
    final)."""
    assert respondent.finished_at is not None
    plan = plan_for_source(respondent.scan)
    key = (
        f"results-pdf:{respondent.pk}:{respondent.finished_at.timestamp()}:{lang}:{_plan_key(plan)}"
    )
    content: bytes | None = cache.get(key)
    if content is None:
        content = render_pdf(result_html(model, respondent, lang, plan), _base_url())
        cache.set(key, content, CACHE_SECONDS)
    return content


def team_html(scan: Scan, state: selectors.ScanState, lang: str, plan: Plan | None = None) -> str:
    """ExportUnavailable while the scan is open or below its anonymity threshold."""
    model, report = selectors.scan_team_report(scan, state)
    with translation.override(lang):
        if state.finished == 0:
            raise ExportUnavailable(_("Nobody has finished this scan yet."))
        if scan.kind != Scan.Kind.SELF and not scan.is_closed():
            raise ExportUnavailable(_("A guided scan can be exported once it is closed."))
        if report.team is None:
            raise ExportUnavailable(
                _("Fewer respondents finished than the anonymity threshold of %(n)d.")
                % {"n": report.threshold}
            )
        context = team.team_results(model, scan, state, report, lang)
        appendix, legend = _distribution_appendix(model, report, lang)
        context.update(
            {
                "lang": lang,
                "css": _print_css(),
                "radar_svg": _radar_svg(context),
                "team": True,
                "date": context["closed_on"] or state.latest_finished or timezone.now(),
                "appendix": appendix,
                "appendix_legend": legend,
            }
        )
        context["plan"] = _plan(scan, plan, context, lang)
        return render_to_string(TEMPLATE, context)


def team_pdf(scan: Scan, lang: str) -> bytes:
    """A scan's team report, cached until the scan's state (see bodies.team_body) or its
    plan changes."""
    state = selectors.scan_state(scan)
    plan = plan_for_source(scan)
    key = f"team-results-pdf:{scan.public_id}:{state.fingerprint(scan)}:{lang}:{_plan_key(plan)}"
    content: bytes | None = cache.get(key)
    if content is None:
        content = render_pdf(team_html(scan, state, lang, plan), _base_url())
        cache.set(key, content, CACHE_SECONDS)
    return content


def report_pdf(scan: Scan, lang: str) -> bytes:
    """The report to download or write, under the rules of the other exports
    (docs/exports.md): a self-scan once finished, a guided scan once closed and above its
    anonymity threshold; ExportUnavailable otherwise."""
    if scan.kind == Scan.Kind.SELF:
        respondent = selectors.self_scan_respondent(scan)
        if respondent is None:
            with translation.override(lang):
                raise ExportUnavailable(_("Nobody has finished this scan yet."))
        return result_pdf(engine_model(scan.model_version), respondent, lang)
    return team_pdf(scan, lang)
