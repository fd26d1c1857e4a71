"""WCAG 2.1 A and AA, checked with axe-core on the pages of a self-scan, in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from imscan.scans.selectors import respondent_by_token
from imscan.scans.services import answers_save
from tests.browser.conftest import IMS_START

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
AXE = Axe()


def readable(page_name: str, url: str, violations: list[dict[str, Any]]) -> str:
    """One block per violation: what is wrong, why, where, and how to fix it."""
    lines = [f"{page_name} ({url}): {len(violations)} WCAG 2.1 AA violation(s)"]
    for violation in violations:
        lines.append(
            f"  - {violation['id']} [{violation['impact']}]: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        for node in violation["nodes"]:
            lines.append(f"      at {', '.join(map(str, node['target']))}")
            lines.append(f"         {node['html'][:200]}")
            for summary_line in (node.get("failureSummary") or "").splitlines():
                lines.append(f"         {summary_line.strip()}")
    return "\n".join(lines)


class Audit:
    """Runs axe on each page visited and keeps the violations, to report them all at once."""

    def __init__(self, page: Page, screenshot: Any, lang: str) -> None:
        self.page, self.screenshot, self.lang = page, screenshot, lang
        self.reports: list[str] = []

    def check(self, page_name: str) -> None:
        self.page.wait_for_load_state("load")
        results = AXE.run(self.page, options=AXE_OPTIONS)
        violations = results.response["violations"]
        if violations:
            self.reports.append(readable(page_name, self.page.url, violations))
        self.screenshot(self.page, f"{self.lang}-{page_name}")


def test_pages_load_their_styles_and_scripts(
    live_server: Any, new_context: Any, shipped_models: Any
) -> None:
    """Contrast and layout checks mean nothing on a page whose stylesheets did not load."""
    page = new_context().new_page()
    failed: dict[str, str] = {}

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type in {"stylesheet", "script"}:
            failed[response.url] = f"HTTP {response.status}"

    page.on("response", on_response)
    page.on("requestfailed", lambda request: failed.setdefault(request.url, str(request.failure)))
    page.goto(f"{live_server.url}/en/")
    page.wait_for_load_state("load")
    assert not failed, "stylesheets or scripts did not load:\n" + "\n".join(
        f"  {url}: {why}" for url, why in failed.items()
    )
    header = page.locator("header.imscan-header")
    # The house style from tokens.css and app.css: the blue header.
    expect(header).to_have_css("background-color", "rgb(29, 79, 145)")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_scan_pages_meet_wcag_21_aa(
    live_server: Any, new_context: Any, ims_model: Any, screenshot: Any, lang: str
) -> None:
    page = new_context().new_page()
    audit = Audit(page, screenshot, lang)

    page.goto(f"{live_server.url}/{lang}/")
    audit.check("landing")

    page.locator(IMS_START).click()
    expect(page.locator("#resume-url")).to_be_visible()
    token = page.locator("#resume-url").input_value().rstrip("/").rsplit("/", 1)[-1]
    audit.check("welcome")

    # A question page as it looks while answering: one answer saved, one explanation open.
    page.goto(f"{live_server.url}/{lang}/scan/{token}/page/1/")
    first = next(iter(ims_model.statements())).id
    with page.expect_response(lambda response: response.url.endswith("/answer/")):
        page.locator(f"fieldset#{first} label").nth(3).click()
    expect(page.locator(f"#status-{first}")).not_to_be_empty()
    expect(page.locator("#save-status")).not_to_be_empty()
    page.locator(f"fieldset#{first} details summary").click()
    audit.check("question")

    # The rest is answered directly, leaving two statements open and one "don't know",
    # so the review page shows its list of unanswered statements.
    statements = [statement.id for statement in ims_model.statements()]
    answers: dict[str, float | None] = {sid: float(1 + n % 5) for n, sid in enumerate(statements)}
    answers[statements[7]] = None
    for open_statement in (statements[12], statements[-1]):
        del answers[open_statement]
    respondent = respondent_by_token(token)
    assert respondent is not None
    answers_save(respondent=respondent, model=ims_model, answers=answers)

    page.goto(f"{live_server.url}/{lang}/scan/{token}/review/")
    expect(page.locator(".utrecht-alert--warning")).to_be_visible()
    audit.check("review")

    page.locator(f"form[action$='/scan/{token}/finish/'] button[type='submit']").click()
    expect(page.locator("svg.imscan-radar")).to_be_visible()
    audit.check("results")

    assert not audit.reports, "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(audit.reports)
