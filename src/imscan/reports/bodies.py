"""The bodies of the result pages, rendered once and cached; the page shell around them is
rendered per request (it shows who is logged in). Used by the results views and by shared
report links."""

from __future__ import annotations

from django.core.cache import cache
from django.template.loader import render_to_string

from imscan.engine import MaturityModel, score
from imscan.reports import presenters, selectors, team
from imscan.scans.models import Respondent, Scan
from imscan.scans.selectors import respondent_answers

CACHE_SECONDS = 24 * 60 * 60


def result_body(model: MaturityModel, respondent: Respondent, lang: str) -> str:
    """One finished respondent's result. Their answers never change once finished, so the
    body is rendered once per language."""
    assert respondent.finished_at is not None
    key = f"results:{respondent.pk}:{respondent.finished_at.timestamp()}:{lang}"
    html: str | None = cache.get(key)
    if html is None:
        result = score(model, respondent_answers(respondent))
        html = render_to_string("reports/results.html", presenters.results(model, result, lang))
        cache.set(key, html, CACHE_SECONDS)
    return html


def team_body(scan: Scan, lang: str, *, shared: bool = False) -> str:
    """A scan's team result. It changes only when a respondent finishes, the scan closes or
    its settings change: all in the fingerprint, so a cached body is never stale. Two
    queries to check it; on a miss one more for every finished respondent's answers.
    A shared body leaves out the links that only the organisation's members may open."""
    state = selectors.scan_state(scan)
    variant = "shared" if shared else "own"
    key = f"team-results:{scan.public_id}:{state.fingerprint(scan)}:{lang}:{variant}"
    html: str | None = cache.get(key)
    if html is None:
        model, report = selectors.scan_team_report(scan, state)
        context = team.team_results(model, scan, state, report, lang)
        context["shared"] = shared
        html = render_to_string("reports/team_results.html", context)
        cache.set(key, html, CACHE_SECONDS)
    return html
