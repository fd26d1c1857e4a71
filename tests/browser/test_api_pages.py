"""The API's pages in a real browser: the docs page runs Swagger UI from the app's own
files under its strict Content-Security-Policy (no CDN, no inline script or style), and
the account page's API tokens meet WCAG 2.1 AA in both languages."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from imscan.api.main import api
from tests.browser.test_accessibility import AXE, AXE_OPTIONS, readable
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_runs_swagger_ui_under_its_policy(
    live_server: Any, new_context: Any, screenshot: Any, shipped_models: list[Any]
) -> None:
    context = new_context()
    page = context.new_page()
    problems: list[str] = []
    page.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    schema = api.get_openapi_schema()
    expect(page.locator(".opblock-summary-path")).to_have_count(
        sum(len(methods) for methods in schema["paths"].values())
    )
    expect(page.locator(".info .title")).to_contain_text("IMS Scan API")
    page.locator(".opblock-summary", has_text="/api/v1/models").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    screenshot(page, "api-docs")
    assert not problems, problems  # a blocked script or style shows here
    assert not outside, outside


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_tokens_page_meets_wcag_21_aa(
    live_server: Any, new_context: Any, screenshot: Any, lang: str
) -> None:
    user = UserFactory()
    page = new_context().new_page()
    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form.imscan-form button[type=submit]").click()
    page.goto(f"{live_server.url}/{lang}/accounts/api-tokens/")
    reports: list[str] = []

    def check(name: str) -> None:
        page.wait_for_load_state("load")
        violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            reports.append(readable(name, page.url, violations))
        screenshot(page, f"{lang}-api-tokens-{name}")

    check("empty")
    page.fill("#id_name", "Dashboard")
    page.fill("#id_password", "wrong")
    page.locator("form.imscan-form button[type=submit]").click()
    expect(page.locator("#id_password_error")).to_be_visible()
    check("wrong-password")
    page.fill("#id_password", PASSWORD)
    page.locator("form.imscan-form button[type=submit]").click()
    expect(page.locator("#new-token")).to_be_visible()
    check("created")
    assert not reports, "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(reports)
