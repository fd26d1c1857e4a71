"""The self-scan in a real browser: start, autosave, stop, resume with the link, finish, result.

The expected level is computed with the engine from the answers the test gives, never
hard-coded, so the test keeps working when the model's bands or texts change.
"""

from __future__ import annotations

import re
from itertools import combinations
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from imscan.engine import score, tr
from imscan.scans.forms import field_name, field_value
from imscan.scans.selectors import scan_pages
from tests.browser.conftest import IMS_START
from tests.scans.helpers import answers_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Answers as the form posts them: a scale value, or "na" for don't know.
Plan = dict[str, str]

# What the autosave shows in a statement's status line (scans/saved_fragment.html).
SAVED = {"nl": "Opgeslagen", "en": "Saved"}
ALL_ANSWERED = {
    "nl": "U heeft 60 van de 60 stellingen beantwoord.",
    "en": "You have answered 60 of 60 statements.",
}
LEVEL_HEADING = {
    "nl": "Volwassenheidsniveau {level} van {count}: {name}",
    "en": "Maturity level {level} of {count}: {name}",
}


def planned_answers(model: Any) -> Plan:
    """A mix of values over the whole scan, one low part and one "don't know"."""
    values = ("4", "3", "5", "2", "4", "3", "5", "4")
    plan = {s.id: values[n % len(values)] for n, s in enumerate(model.statements())}
    for n, statement in enumerate(model.node("culture").statements):
        plan[statement.id] = ("1", "2")[n % 2]  # a part that holds the level back
    plan["portfolio-3"] = "na"
    return plan


def as_engine_answers(plan: Plan) -> dict[str, float | None]:
    return {sid: None if value == "na" else float(value) for sid, value in plan.items()}


def option_label(model: Any, statement_id: str, value: str, lang: str) -> str:
    statement = next(s for s in model.statements() if s.id == statement_id)
    for option in model.scales[statement.scale].options:
        if field_value(option.value) == value:
            return tr(option.label, lang)
    raise AssertionError(f"{statement_id} has no option {value}")


def radio(page: Page, statement_id: str, value: str) -> Any:
    return page.locator(f"input[name='{field_name(statement_id)}'][value='{value}']")


def click_answer(page: Page, model: Any, statement_id: str, value: str, lang: str) -> None:
    """Click the option's label, as a person would; the label text comes from the model."""
    label = page.locator(f"fieldset#{statement_id} label").get_by_text(
        option_label(model, statement_id, value, lang), exact=True
    )
    label.click()
    expect(radio(page, statement_id, value)).to_be_checked()


def answer_with_autosave(page: Page, model: Any, statement_id: str, value: str, lang: str) -> None:
    """Click an answer and wait until htmx has saved it and says so."""
    with page.expect_response(
        lambda response: response.url.endswith("/answer/") and response.request.method == "POST"
    ) as saved:
        click_answer(page, model, statement_id, value, lang)
    assert saved.value.status == 200
    expect(page.locator(f"#status-{statement_id}")).to_contain_text(SAVED[lang])


def press(page: Page, go: str) -> None:
    page.locator(f"button[name='go'][value='{go}']").click()


def check_radar_labels(page: Page, count: int) -> None:
    """Every part's label is drawn where it can be read: apart from the others, on screen."""
    boxes = page.locator("svg.imscan-radar .imscan-radar__labels text").evaluate_all(
        "texts => texts.map(text => { const r = text.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    assert len(boxes) == count
    overlapping = [
        (first + 1, second + 1)
        for first, second in combinations(range(count), 2)
        if boxes[first][0] < boxes[second][2]
        and boxes[second][0] < boxes[first][2]
        and boxes[first][1] < boxes[second][3]
        and boxes[second][1] < boxes[first][3]
    ]
    assert not overlapping, f"radar labels overlap (part numbers): {overlapping}"
    width = page.viewport_size["width"] if page.viewport_size else 0
    off_screen = [n for n, box in enumerate(boxes, start=1) if box[0] < 0 or box[2] > width]
    assert not off_screen, f"radar labels off screen (part numbers): {off_screen}"
    clips = page.locator("svg.imscan-radar").evaluate("svg => getComputedStyle(svg).overflow")
    if clips != "visible":
        svg = page.locator("svg.imscan-radar").bounding_box()
        assert svg is not None
        cut = [
            n
            for n, box in enumerate(boxes, start=1)
            if box[0] < svg["x"] or box[2] > svg["x"] + svg["width"]
        ]
        assert not cut, f"radar labels cut off by the chart's edge (part numbers): {cut}"


def check_results(page: Page, model: Any, plan: Plan, lang: str) -> None:
    """The results page shows what the engine computes for these answers."""
    result = score(model, as_engine_answers(plan))
    level = result.overall.level
    assert level is not None
    heading = LEVEL_HEADING[lang].format(
        level=level, count=len(model.levels), name=tr(model.level(level).name, lang)
    )
    expect(page.locator("#level-heading")).to_have_text(heading)
    expect(page.locator("svg.imscan-radar")).to_be_visible()
    parts = list(model.parts())
    expect(page.locator("svg.imscan-radar circle.imscan-radar__dot")).to_have_count(len(parts))
    check_radar_labels(page, len(parts))
    row_headers = page.locator(".imscan-results-table tbody th[scope='row']")
    expect(row_headers).to_have_count(17)
    expect(row_headers.first).to_have_text(tr(next(iter(model.top_nodes())).title, lang))

    assert result.development_points, "the planned answers are meant to give development points"
    # The first three points are open with their advice; the rest fold away, in order.
    titles = page.locator(".imscan-points__item h3, .imscan-points--more summary")
    expect(titles).to_have_count(len(result.development_points))
    for index, point in enumerate(result.development_points):
        expect(titles.nth(index)).to_contain_text(tr(model.node(point.node_id).title, lang))
    expect(page.locator(".imscan-points__item h3")).to_have_count(
        min(3, len(result.development_points))
    )


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_self_scan_autosaves_resumes_with_the_link_and_shows_the_result(
    live_server: Any, new_context: Any, ims_model: Any, lang: str
) -> None:
    model = ims_model
    plan = planned_answers(model)
    pages = scan_pages(model)

    page = new_context().new_page()
    page.goto(f"{live_server.url}/{lang}/")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", name=tr(model.title, lang))).to_be_visible()
    page.locator(IMS_START).click()

    expect(page).to_have_url(re.compile(rf"/{lang}/scan/[A-Za-z0-9_-]+/$"))
    resume_url = page.locator("#resume-url").input_value()
    assert resume_url == page.url
    token = resume_url.rstrip("/").rsplit("/", 1)[-1]
    assert answers_of(token) == {}

    page.locator("main a.utrecht-button-link").click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/page/1/")

    # Page 1: every answer is stored by the autosave alone, before any button is pressed.
    first_page = {sid: plan[sid] for sid in pages[0].statement_ids}
    given: Plan = {}
    for sid, value in first_page.items():
        answer_with_autosave(page, model, sid, value, lang)
        given[sid] = value
        assert answers_of(token) == as_engine_answers(given)
        # The progress bar follows without a reload.
        expect(page.locator("#progress-bar")).to_have_attribute("value", str(len(given)))
    expect(page.locator("nav.imscan-steps [aria-current='step']")).to_have_count(1)
    expect(page.locator("#step-count-1")).to_contain_text(str(len(given)))

    press(page, "next")
    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/page/2/")

    # The rest, page by page; the last page is left without pressing a button: we "stop".
    for scan_page in pages[1:]:
        for sid in scan_page.statement_ids:
            answer_with_autosave(page, model, sid, plan[sid], lang)
        if scan_page.number < len(pages):
            press(page, "next")
            expect(page).to_have_url(
                f"{live_server.url}/{lang}/scan/{token}/page/{scan_page.number + 1}/"
            )
    assert answers_of(token) == as_engine_answers(plan)
    page.context.close()

    # Later, in another browser (no cookies, nothing cached): only the link leads back.
    page = new_context().new_page()
    page.goto(resume_url)
    page.locator(f"a[href$='/scan/{token}/page/1/']").first.click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/page/1/")
    for sid, value in first_page.items():
        expect(radio(page, sid, value)).to_be_checked()

    changed = pages[0].statement_ids[0]
    plan[changed] = "1" if plan[changed] != "1" else "5"
    answer_with_autosave(page, model, changed, plan[changed], lang)
    assert answers_of(token)[changed] == float(plan[changed])

    page.locator(f"nav.imscan-steps a[href$='/scan/{token}/review/']").click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/review/")
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()  # nothing left unanswered
    expect(page.locator("main")).to_contain_text(ALL_ANSWERED[lang])
    if lang == "en":
        expect(page.locator("main")).to_contain_text("You chose “don't know” once.")
    page.locator(f"form[action$='/scan/{token}/finish/'] button[type='submit']").click()

    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/results/")
    check_results(page, model, plan, lang)
    assert answers_of(token) == as_engine_answers(plan)


def test_the_whole_scan_works_without_javascript(
    live_server: Any, new_context: Any, ims_model: Any
) -> None:
    model, lang = ims_model, "en"
    plan = planned_answers(model)
    pages = scan_pages(model)
    page = new_context(java_script_enabled=False).new_page()

    page.goto(f"{live_server.url}/{lang}/")
    page.locator(IMS_START).click()
    token = page.locator("#resume-url").input_value().rstrip("/").rsplit("/", 1)[-1]
    page.locator("main a.utrecht-button-link").click()

    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/page/1/")
    for scan_page in pages:
        for sid in scan_page.statement_ids:
            click_answer(page, model, sid, plan[sid], lang)
        # Without JavaScript nothing is saved until a button is pressed.
        expect(page.locator(f"#status-{scan_page.statement_ids[0]}")).to_have_text("")
        saved_before = answers_of(token)
        assert not set(scan_page.statement_ids) & set(saved_before)
        last = scan_page.number == len(pages)
        press(page, "review" if last else "next")
        after = "review/" if last else f"page/{scan_page.number + 1}/"
        expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/{after}")
        saved_after = answers_of(token)
        assert {sid: saved_after.get(sid) for sid in scan_page.statement_ids} == as_engine_answers(
            {sid: plan[sid] for sid in scan_page.statement_ids}
        )

    expect(page.locator("main")).to_contain_text(ALL_ANSWERED[lang])
    page.locator(f"form[action$='/scan/{token}/finish/'] button[type='submit']").click()
    expect(page).to_have_url(f"{live_server.url}/{lang}/scan/{token}/results/")
    check_results(page, model, plan, lang)
