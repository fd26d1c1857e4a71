"""The development plan in Chromium: choose development points from a team result, add an
action and set its status with htmx, then without JavaScript; axe on every plan page, in
Dutch and English. IMSCAN_SCREENSHOTS keeps the screenshots (tests/browser/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from imscan.catalog.models import ModelVersion
from imscan.plans.models import Plan, PlanAction
from tests.browser.test_accessibility import Audit
from tests.factories import MembershipFactory
from tests.reports.teams import guided_scan, model_of, random_answers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WHAT = {
    "nl": "Met het bestuur de <b>innovatiedoelen</b> vastleggen",
    "en": "Write down the <b>innovation goals</b> with the board",
}
MAKE_PLAN = {"nl": "Het ontwikkelplan maken of openen", "en": "Make or open the development plan"}
MAKE = {"nl": "Plan maken", "en": "Make the plan"}
ADD = {"nl": "Actie toevoegen", "en": "Add the action"}
DONE = {"nl": "1 klaar", "en": "1 done"}


def logged_in_page(
    live_server: Any, new_context: Callable[..., Any], user: Any, **options: Any
) -> Page:
    client = Client()
    client.force_login(user)
    context = new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context.new_page()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_choose_points_and_add_an_action(
    live_server: Any,
    ims_version: ModelVersion,
    new_context: Callable[..., Any],
    screenshot: Callable[[Any, str], None],
    lang: str,
) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version, {"Team": [random_answers(model, seed) for seed in (1, 2, 3)]}, title="Q1"
    )
    user = MembershipFactory(organisation=scan.organisation).user
    page = logged_in_page(live_server, new_context, user)
    audit = Audit(page, screenshot, lang)

    page.goto(f"{live_server.url}/{lang}/scans/{scan.public_id}/results/")
    page.get_by_role("link", name=MAKE_PLAN[lang]).click()
    audit.check("plan-start")
    boxes = page.locator("fieldset").first.locator("input[type=checkbox]")
    first, second = boxes.nth(0), boxes.nth(1)
    chosen = [first.get_attribute("value"), second.get_attribute("value")]
    first.check()
    second.check()
    page.get_by_role("button", name=MAKE[lang]).click()
    plan = Plan.objects.get()
    assert set(plan.parts.values_list("node_id", flat=True)) == set(chosen)
    expect(page.locator(".imscan-plan-part")).to_have_count(2)
    audit.check("plan-empty")

    # htmx: the action appears without the page being loaded again.
    page.evaluate("window.notReloaded = true")
    form = page.locator("form[hx-post$='/actions/new/']")
    form.locator("textarea[name=what]").fill(WHAT[lang])
    form.locator("input[name=owner]").fill("Anna de Vries")
    form.locator("input[name=due_date]").fill("2030-03-01")
    form.locator("select[name=part]").select_option(chosen[0])
    form.get_by_role("button", name=ADD[lang]).click()
    action_item = page.locator(".imscan-plan-action")
    expect(action_item).to_have_count(1)
    expect(action_item.locator(".imscan-plan-action__what")).to_have_text(WHAT[lang])
    assert page.evaluate("window.notReloaded") is True
    assert PlanAction.objects.get().what == WHAT[lang]
    expect(page.locator("form[hx-post$='/actions/new/'] textarea[name=what]")).to_have_value("")

    action_item.locator("select[name=status]").select_option("done")
    expect(page.locator(".imscan-plan-action--done")).to_have_count(1)
    expect(page.locator("#plan-summary")).to_contain_text(DONE[lang])  # counted out of band
    assert PlanAction.objects.get().status == "done"
    assert page.evaluate("window.notReloaded") is True
    audit.check("plan-with-action")

    page.locator(".imscan-plan-links a[href$='/parts/']").click()
    audit.check("plan-parts")
    page.goto(f"{live_server.url}/{lang}/plans/{plan.public_id}/actions/new/?part={chosen[1]}")
    audit.check("plan-action-form")
    action = PlanAction.objects.get()
    page.goto(f"{live_server.url}/{lang}/plans/{plan.public_id}/actions/{action.pk}/delete/")
    audit.check("plan-action-delete")
    page.goto(f"{live_server.url}/{lang}/organisations/{scan.organisation.public_id}/progress/")
    audit.check("plan-progress")
    assert not audit.reports, "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(audit.reports)


def test_the_plan_works_without_javascript(
    live_server: Any, ims_version: ModelVersion, new_context: Callable[..., Any]
) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"Team": [random_answers(model, s) for s in (4, 5, 6)]})
    user = MembershipFactory(organisation=scan.organisation).user
    page = logged_in_page(live_server, new_context, user, java_script_enabled=False)
    page.goto(f"{live_server.url}/en/scans/{scan.public_id}/plan/")
    page.locator("fieldset").first.locator("input[type=checkbox]").first.check()
    page.get_by_role("button", name="Make the plan").click()
    page.locator("textarea[name=what]").fill("A step without scripts")
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The action has been added.")).to_be_visible()
    expect(page.locator(".imscan-plan-action")).to_have_count(1)
    page.locator(".imscan-plan-action select[name=status]").select_option("in-progress")
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_text("The status has been saved.")).to_be_visible()
    assert PlanAction.objects.get().status == "in-progress"
