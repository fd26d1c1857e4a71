"""The whole guided scan in a real browser, in both languages, with axe on the owner's pages.

An owner logs in, creates an organisation and a guided scan with two groups, invites two
people by e-mail and hands out an anonymous group link; three respondents answer without
JavaScript; the owner follows the progress, closes the scan and reads the team result.
The expected level and discussion agenda are computed with the engine from the answers the
test gives, never hard-coded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import pstdev
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from imscan.engine import (
    AGENDA_MIN_ANSWERS,
    MaturityModel,
    RespondentAnswers,
    agenda,
    score_many,
    statement_distributions,
    tr,
)
from imscan.scans.forms import field_name
from imscan.scans.models import Answer, Respondent, Scan
from imscan.scans.selectors import respondent_answers, scan_pages
from tests.browser.test_accessibility import Audit
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Answers as the form posts them: a scale value, or "na" for don't know.
Plan = dict[str, str]

THRESHOLD = 3
GROUPS = {"nl": ("Leidinggevenden", "Medewerkers"), "en": ("Management", "Staff")}
TITLE = {"nl": "Innovatiescan 2026", "en": "Innovation scan 2026"}
ORGANISATION = "Gemeente Voorbeeldstad"
INVITED = ("an@example.org", "bo@example.org")
PERSONAL_LINK = re.compile(r"https?://[^\s/]+/\w\w/scan/[A-Za-z0-9_-]+/")

PROGRESS = {
    "nl": "3 van 3 respondenten klaar, 3 begonnen",
    "en": "3 of 3 respondents finished, 3 started",
}
FIGURES_LATER = {
    "nl": "De cijfers van het team verschijnen zodra de scan sluit.",
    "en": "The team's figures appear when the scan closes.",
}
FINAL = {"nl": "Eindstand, gesloten op", "en": "Final result, closed on"}
TOO_FEW = {"nl": "te weinig respondenten om te tonen", "en": "too few respondents to show"}
LEVEL_HEADING = {
    "nl": "Volwassenheidsniveau {level} van {count}: {name}",
    "en": "Maturity level {level} of {count}: {name}",
}


@dataclass(frozen=True)
class Person:
    """A respondent of the test: who, in which group, and what they will answer."""

    label: str
    group: str
    plan: Plan
    email: str = ""  # empty for whoever joins through the group link


def planned(model: MaturityModel, values: tuple[str, ...]) -> Plan:
    """Cycle through `values` over every statement; different lengths give different mixes."""
    return {s.id: values[n % len(values)] for n, s in enumerate(model.statements())}


def as_engine_answers(plan: Plan) -> dict[str, float | None]:
    return {sid: None if value == "na" else float(value) for sid, value in plan.items()}


def people(model: MaturityModel, lang: str) -> list[Person]:
    """Two managers invited by e-mail who see things rather alike, and a staff member who
    joins through the group link and sees them differently: the agenda gets statements."""
    first, second = GROUPS[lang]
    return [
        Person("an", first, planned(model, ("4", "4", "5", "3", "4")), INVITED[0]),
        Person("bo", first, planned(model, ("3", "4", "2", "3", "5", "4")), INVITED[1]),
        Person("link", second, planned(model, ("2", "1", "3", "5", "2", "na", "1"))),
    ]


def engine_respondents(persons: list[Person]) -> list[RespondentAnswers]:
    return [RespondentAnswers(p.group, as_engine_answers(p.plan)) for p in persons]


def submit(page: Page, form: str) -> None:
    page.locator(f"main {form} button[type='submit']").click()


# ---- the owner ----


def log_in(page: Page, base: str, lang: str, email: str, audit: Audit) -> None:
    page.goto(f"{base}/{lang}/accounts/login/")
    audit.check("guided-login")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("form.imscan-form button[type='submit']").click()
    expect(page).to_have_url(f"{base}/{lang}/dashboard/")
    audit.check("guided-dashboard")


def create_organisation(page: Page, lang: str, audit: Audit) -> None:
    page.locator("main a[href$='/organisations/new/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/organisations/new/$"))
    audit.check("guided-org-create")
    page.fill("#id_name", ORGANISATION)
    page.select_option("#id_kind", "municipal")
    page.select_option("#id_size", "500-999")
    submit(page, "form")
    expect(page).to_have_url(re.compile(rf"/{lang}/organisations/[0-9a-f-]{{36}}/$"))
    expect(page.locator("h1")).to_have_text(ORGANISATION)
    audit.check("guided-org-detail")


def create_scan(page: Page, lang: str, version_pk: int, audit: Audit) -> Scan:
    page.locator("main a[href$='/scans/new/']").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/organisations/[0-9a-f-]{{36}}/scans/new/$"))
    audit.check("guided-create")
    page.fill("#id_title", TITLE[lang])
    page.select_option("#id_version", str(version_pk))
    expect(page.locator("#id_language")).to_have_value(lang)  # the page's language
    page.fill("#id_groups", "\n".join(GROUPS[lang]))
    page.fill("#id_anonymity_threshold", str(THRESHOLD))
    submit(page, "form[action$='/scans/new/']")
    expect(page).to_have_url(re.compile(rf"/{lang}/scans/[0-9a-f-]{{36}}/$"))
    expect(page.locator("h1")).to_have_text(TITLE[lang])
    public_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    return Scan.objects.get(public_id=public_id)


def invite(page: Page, group: str, addresses: tuple[str, ...]) -> dict[str, str]:
    """Invite by e-mail through the form; the personal link of each address, from its mail."""
    page.select_option("#id_invite-group", label=group)
    page.fill("#id_invite-addresses", "\n".join(addresses))
    submit(page, "form[action$='/invite/']")
    expect(page.locator(".imscan-guided-table__email")).to_have_count(len(addresses))
    links = {}
    for address in addresses:
        (message,) = [m for m in mail.outbox if m.to == [address]]
        (link,) = PERSONAL_LINK.findall(str(message.body))
        links[address] = link
    return links


def make_group_link(page: Page, scan: Scan, group: str, cap: int) -> str:
    """Make the group's anonymous link; it is on the page this once."""
    pk = scan.groups.get(name=group).pk
    page.fill(f"#id_link-{pk}-cap", str(cap))
    submit(page, f"form[action$='/groups/{pk}/link/']")
    link = page.locator("#new-link-url").input_value()
    assert re.fullmatch(r"https?://[^\s/]+/\w\w/join/[A-Za-z0-9_-]+/", link), link
    return link


def check_progress(page: Page, persons: list[Person], lang: str) -> None:
    """Everyone finished, per group, and the invited addresses are marked finished."""
    expect(page.locator("label[for='progress-total']")).to_have_text(PROGRESS[lang])
    rows = page.locator("#progress table").first.locator("tbody tr")
    expect(rows).to_have_count(len(GROUPS[lang]))
    for index, group in enumerate(GROUPS[lang]):
        size = str(sum(1 for p in persons if p.group == group))
        row = rows.nth(index)
        expect(row.locator("th")).to_contain_text(group)
        # Invited or joined, started, finished; then the finished share.
        expect(row.locator("td.utrecht-table__cell--numeric-data")).to_have_text([size] * 3)
        expect(row.locator(".imscan-guided-bar__label")).to_have_text("100%")
    emails = page.locator("#progress .imscan-guided-table__email")
    expect(emails).to_have_count(len(INVITED))
    expect(page.locator("#progress .utrecht-status-badge--success")).to_have_count(len(INVITED))


def close_scan(page: Page, audit: Audit) -> None:
    submit(page, "form[action$='/close/']:not(:has(input[name='confirm']))")
    expect(page).to_have_url(re.compile(r"/scans/[0-9a-f-]{36}/close/$"))
    audit.check("guided-close")
    submit(page, "form[action$='/close/']:has(input[name='confirm'][value='yes'])")
    expect(page).to_have_url(re.compile(r"/scans/[0-9a-f-]{36}/$"))
    expect(page.locator(".utrecht-status-badge--inactive")).to_be_visible()


# ---- the respondents ----


def answer_everything(page: Page, model: MaturityModel, plan: Plan) -> None:
    """From the welcome page to the respondent's own result, page by page, without JS."""
    token = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.locator("main a.utrecht-button-link--primary-action").click()
    pages = scan_pages(model)
    for scan_page in pages:
        expect(page).to_have_url(re.compile(rf"/scan/{token}/page/{scan_page.number}/$"))
        for sid in scan_page.statement_ids:
            # A real click; `force` skips the actionability waits, which cost more than the
            # rest of the flow for 180 radios. The stored answers are checked at the end.
            page.locator(f"input[name='{field_name(sid)}'][value='{plan[sid]}']").check(force=True)
        last = scan_page.number == len(pages)
        page.locator(f"button[name='go'][value='{'review' if last else 'next'}']").click()
    expect(page).to_have_url(re.compile(rf"/scan/{token}/review/$"))
    submit(page, f"form[action$='/scan/{token}/finish/']")
    expect(page).to_have_url(re.compile(rf"/scan/{token}/results/$"))
    expect(page.locator("#level-heading")).to_be_visible()


def respond_by_link(page: Page, link: str, group: str) -> None:
    """Open a personal link from an e-mail: the welcome page of the guided scan."""
    page.goto(link)
    expect(page.locator("main")).to_contain_text(group)


def respond_by_group_link(page: Page, link: str, group: str) -> None:
    """Join the group through its anonymous link, which leads to a private link."""
    page.goto(link)
    expect(page.locator("main")).to_contain_text(group)
    submit(page, "form")
    expect(page).to_have_url(re.compile(r"/\w\w/scan/[A-Za-z0-9_-]+/$"))
    expect(page.locator("#resume-url")).to_have_value(page.url)


# ---- the team result ----


def expected_agenda(model: MaturityModel, persons: list[Person]) -> list[str]:
    distributions = statement_distributions(model, engine_respondents(persons))
    ranked = agenda(distributions, min_answers=max(AGENDA_MIN_ANSWERS, THRESHOLD))
    return [item.item_id for item in ranked]


def largest_spread(persons: list[Person]) -> set[str]:
    """Independently of the engine: the statements whose values differ most (population sd),
    among those everyone answered with a value."""
    spreads = {}
    for sid in persons[0].plan:
        values = [p.plan[sid] for p in persons]
        if "na" not in values:
            spreads[sid] = round(pstdev(float(v) for v in values), 9)
    top = max(spreads.values())
    return {sid for sid, spread in spreads.items() if spread == top}


def check_team_result(page: Page, model: MaturityModel, persons: list[Person], lang: str) -> None:
    expect(page.locator(".imscan-status").first).to_contain_text(FINAL[lang])

    level = score_many(model, engine_respondents(persons)).overall.level
    assert level is not None
    heading = LEVEL_HEADING[lang].format(
        level=level, count=len(model.levels), name=tr(model.level(level).name, lang)
    )
    expect(page.locator("#level-heading")).to_have_text(heading)

    # Neither group reaches the threshold on its own: both are marked, none compared.
    rows = page.locator(".imscan-groups-table tbody tr")
    expect(rows.locator("th")).to_have_text(list(GROUPS[lang]))
    expect(rows.locator(".imscan-hidden-group")).to_have_text([TOO_FEW[lang]] * 2)
    expect(page.locator(".imscan-gaps-table")).to_have_count(0)

    # The discussion agenda, the largest disagreement first.
    expect(page.locator("#agenda-heading")).to_be_visible()
    ranked = expected_agenda(model, persons)
    assert ranked, "the planned answers are meant to give an agenda"
    assert ranked[0] in largest_spread(persons)
    items = page.locator("ol.imscan-agenda > li")
    expect(items).to_have_count(len(ranked))
    assert items.evaluate_all("items => items.map(item => item.id)") == [
        f"agenda-{sid}" for sid in ranked
    ]
    expect(items.first.locator("h3")).to_have_text(tr(model.statement(ranked[0]).text, lang))


def check_database(scan: Scan, persons: list[Person]) -> None:
    scan.refresh_from_db()
    assert scan.is_closed() and scan.closed_at is not None
    respondents = list(Respondent.objects.filter(scan=scan).select_related("group"))
    assert len(respondents) == len(persons)
    by_email = {p.email: p for p in persons}
    for respondent in respondents:
        person = by_email[respondent.email]
        assert respondent.finished_at is not None, person.label
        assert respondent.group is not None and respondent.group.name == person.group
        assert Answer.objects.filter(respondent=respondent).count() == 60
        assert respondent_answers(respondent) == as_engine_answers(person.plan), person.label


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_guided_scan_from_creation_to_the_team_result(
    live_server: Any,
    new_context: Any,
    shipped_models: list[Any],
    ims_model: MaturityModel,
    screenshot: Any,
    lang: str,
) -> None:
    model, base = ims_model, live_server.url
    (version,) = [o.version for o in shipped_models if o.version.model_id == "ims-gov"]
    owner = UserFactory()
    persons = people(model, lang)
    management, staff = GROUPS[lang]

    page = new_context().new_page()
    audit = Audit(page, screenshot, lang)
    log_in(page, base, lang, str(owner.email), audit)
    create_organisation(page, lang, audit)
    scan = create_scan(page, lang, version.pk, audit)
    audit.check("guided-detail-new")

    links = invite(page, management, INVITED)
    audit.check("guided-detail-invited")
    group_link = make_group_link(page, scan, staff, cap=5)
    audit.check("guided-detail-group-link")
    page.goto(f"{base}/{lang}/scans/{scan.public_id}/")
    expect(page.locator("#new-link-url")).to_have_count(0)  # shown only that once

    for person in persons:
        respondent = new_context(java_script_enabled=False).new_page()
        if person.email:
            respond_by_link(respondent, links[person.email], person.group)
        else:
            respond_by_group_link(respondent, group_link, person.group)
        answer_everything(respondent, model, person.plan)
        respondent.context.close()

    page.reload()
    check_progress(page, persons, lang)
    audit.check("guided-detail-progress")

    page.locator("main a[href$='/results/']").click()
    expect(page.locator(".imscan-status").first).to_contain_text(FIGURES_LATER[lang])
    expect(page.locator("#level-heading")).to_have_count(0)
    audit.check("guided-team-result-open")

    page.goto(f"{base}/{lang}/scans/{scan.public_id}/")
    close_scan(page, audit)
    audit.check("guided-detail-closed")

    page.locator("main a[href$='/results/']").click()
    check_team_result(page, model, persons, lang)
    audit.check("guided-team-result")

    check_database(scan, persons)
    assert not audit.reports, "axe found WCAG 2.1 A/AA violations:\n\n" + "\n\n".join(audit.reports)
