"""The login and signup pages in a real browser: WCAG 2.1 AA with axe, in both languages,
also with the errors of a failed attempt on the page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, AXE_OPTIONS, readable

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_login_and_signup_pages_meet_wcag_21_aa(
    live_server: Any, new_context: Any, screenshot: Any, lang: str
) -> None:
    page = new_context().new_page()
    reports: list[str] = []

    def check(name: str) -> None:
        page.wait_for_load_state("load")
        violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
        if violations:
            reports.append(readable(name, page.url, violations))
        screenshot(page, f"{lang}-accounts-{name}")

    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    expect(page.locator("header.imscan-header a[href$='/accounts/signup/']")).to_be_visible()
    check("login")
    page.fill("#id_login", "nobody@example.org")
    page.fill("#id_password", "wrong password")
    page.locator("form.imscan-form button[type=submit]").click()
    expect(page.locator(".utrecht-alert--error")).to_be_visible()
    check("login-failed")

    page.goto(f"{live_server.url}/{lang}/accounts/signup/")
    check("signup")
    page.fill("#id_email", "new@example.org")
    page.fill("#id_password1", "a long enough test password 42")
    page.fill("#id_password2", "not the same password at all")
    page.locator("form.imscan-form button[type=submit]").click()
    expect(page.locator("#id_password2_error")).to_be_visible()
    expect(page.locator("#id_password2")).to_have_attribute("aria-invalid", "true")
    check("signup-failed")

    assert not reports, "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(reports)
