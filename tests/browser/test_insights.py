"""The insights in Chromium, in both languages, with axe: the benchmark panel of a results
page (its filter with and without JavaScript), peer learning, the programme dashboard,
the sharing settings, the follow-up survey and the open data page.

Set IMSCAN_SCREENSHOTS=/some/dir to keep the screenshots (tests/browser/conftest.py).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from imscan.insights.followups import survey_version
from imscan.insights.models import FollowUp
from imscan.insights.services import participation_update
from imscan.organisations.models import Membership, Organisation
from imscan.scans.tokens import new_token, token_hash
from tests.browser.test_accessibility import Audit
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, with_totp
from tests.insights.helpers import guided_scan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAST_YEAR = timezone.localdate().year - 1
COMPARE = {"nl": "Vergelijk", "en": "Compare"}
PROVINCES = {"nl": "Provincie (5)", "en": "Province (5)"}
DASHBOARD = {"nl": "Programmadashboard", "en": "Programme dashboard"}


@pytest.fixture
def world(shipped_models: list[Any]) -> dict[str, Any]:
    """Five municipalities and five provinces with a closed guided scan last year, three of
    them contactable; a municipality whose owner reads its own team result (weak in every
    part, so there is something to learn); a follow-up invitation; programme staff."""
    version = next(o.version for o in shipped_models if o.version.model_id == "ims-gov")
    closed = datetime.datetime(LAST_YEAR, 5, 12, 12, tzinfo=timezone.get_current_timezone())
    for index, value in enumerate((2, 3, 3, 4, 4, 2, 2, 3, 4, 5)):
        kind = Organisation.Kind.MUNICIPAL if index < 5 else Organisation.Kind.PROVINCIAL
        organisation = OrganisationFactory(kind=kind, name=f"Voorbeeld {index + 1}")
        guided_scan(organisation, version, [value, min(value + 1, 5), value], closed_at=closed)
        if value >= 4:
            participation_update(
                organisation=organisation,
                contactable=True,
                contact_name="Team innovatie",
                contact_email=f"innovatie{index + 1}@example.org",
            )
    owner = MembershipFactory(role=Membership.Role.OWNER)
    own = guided_scan(owner.organisation, version, [1, 2, 2])
    token = new_token()
    FollowUp.objects.create(
        scan=own,
        organisation=owner.organisation,
        survey_version=survey_version(),
        status=FollowUp.Status.SENT,
        language="nl",
        token_hash=token_hash(token),
        sent_at=timezone.now(),
    )
    staff = with_totp(UserFactory(is_staff=True))
    return {"owner": owner, "scan": own, "staff": staff, "followup": token}


def logged_in(live_server: Any, new_context: Callable[..., Any], user: Any, **options: Any) -> Any:
    client = Client()
    client.force_login(user, "django.contrib.auth.backends.ModelBackend")
    context = new_context(**options)
    host = live_server.url.split("//")[1].split(":")[0]
    session = client.cookies["sessionid"].value
    context.add_cookies([{"name": "sessionid", "value": session, "domain": host, "path": "/"}])
    return context.new_page()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_benchmark_panel_and_peer_learning(
    live_server: Any, new_context: Any, world: dict[str, Any], screenshot: Any, lang: str
) -> None:
    page = logged_in(live_server, new_context, world["owner"].user)
    audit = Audit(page, screenshot, lang)
    page.goto(f"{live_server.url}/{lang}/scans/{world['scan'].public_id}/results/")
    panel = page.locator("#benchmark")
    expect(panel.locator("svg.imscan-range-chart")).to_be_visible()
    expect(panel.locator("table")).to_contain_text("(11)")  # ten peers and the organisation
    # Its own type first: municipalities, six of them with itself.
    expect(panel.locator("table")).to_contain_text("(6)")
    expect(page.locator(".imscan-learn-from")).to_contain_text("innovatie4@example.org")
    panel.locator("#id_type").select_option("provincial")
    panel.locator("button", has_text=COMPARE[lang]).click()
    expect(page).to_have_url(re.compile(r"type=provincial"))  # htmx pushed the new URL
    expect(page.locator("#benchmark table")).to_contain_text(PROVINCES[lang])
    audit.check("insights-benchmark")
    page.locator(".imscan-learn-from").scroll_into_view_if_needed()
    assert not audit.reports, "\n\n".join(audit.reports)


def test_the_benchmark_filter_works_without_javascript(
    live_server: Any, new_context: Any, world: dict[str, Any]
) -> None:
    page = logged_in(live_server, new_context, world["owner"].user, java_script_enabled=False)
    page.goto(f"{live_server.url}/en/scans/{world['scan'].public_id}/results/")
    page.locator("#id_type").select_option("provincial")
    page.locator("#benchmark button", has_text="Compare").click()
    expect(page.locator("#benchmark table")).to_contain_text("Province (5)")
    assert "type=provincial" in page.url


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_programme_dashboard(
    live_server: Any, new_context: Any, world: dict[str, Any], screenshot: Any, lang: str
) -> None:
    page = logged_in(live_server, new_context, world["staff"])
    audit = Audit(page, screenshot, lang)
    page.goto(f"{live_server.url}/{lang}/staff/insights/?year={LAST_YEAR}")
    expect(page.locator("h1")).to_contain_text(DASHBOARD[lang])
    expect(page.locator("#parts svg.imscan-range-chart")).to_be_visible()
    expect(page.locator("#activity svg.imscan-line-chart")).to_be_visible()
    audit.check("insights-dashboard")
    with page.expect_download() as download:
        page.locator("a[href*='dashboard.csv']").click()
    assert download.value.suggested_filename.startswith(f"imscan-dashboard-{LAST_YEAR}")
    assert not audit.reports, "\n\n".join(audit.reports)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_sharing_settings_survey_and_open_data(
    live_server: Any, new_context: Any, world: dict[str, Any], screenshot: Any, lang: str
) -> None:
    page = logged_in(live_server, new_context, world["owner"].user)
    audit = Audit(page, screenshot, lang)
    organisation = world["owner"].organisation
    page.goto(f"{live_server.url}/{lang}/organisations/{organisation.public_id}/sharing/")
    page.locator("#id_benchmark_1").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".utrecht-alert--ok")).to_be_visible()
    page.goto(f"{live_server.url}/{lang}/organisations/{organisation.public_id}/sharing/")
    audit.check("insights-sharing")
    survey = new_context().new_page()
    survey_audit = Audit(survey, screenshot, lang)
    survey.goto(f"{live_server.url}/{lang}/followup/{world['followup']}/")
    survey.locator("#s-sharing-management-2").check()
    survey.locator("main form button[type=submit]").click()
    expect(survey.locator(".utrecht-alert--ok")).to_be_visible()
    expect(survey.locator("#s-sharing-management-2")).to_be_checked()
    survey_audit.check("insights-followup")
    survey.goto(f"{live_server.url}/{lang}/open-data/")
    survey_audit.check("insights-open-data")
    reports = audit.reports + survey_audit.reports
    assert not reports, "\n\n".join(reports)
