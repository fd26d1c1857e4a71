"""The live progress view: counts per group and each invitee's status, never an answer."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import Organisation
from imscan.scans import guided_selectors
from imscan.scans.models import RespondentGroup, Scan
from imscan.scans.services import self_scan_start
from tests.factories import respondent_with_token


def fill(scan: Scan, management: RespondentGroup, staff: RespondentGroup) -> None:
    respondent_with_token(scan, management, {"culture-1": 4.0}, email="an@example.org")
    respondent_with_token(
        scan, management, {"culture-2": 2.0}, finished=False, email="bo@example.org"
    )
    respondent_with_token(scan, management, finished=False, email="cy@example.org")
    respondent_with_token(scan, staff, {"culture-1": 1.0}, finished=False)  # through the link
    respondent_with_token(scan, staff, {"culture-1": 5.0})  # through the link, finished


def test_progress_per_group_and_in_total(
    scan: Scan, management: RespondentGroup, staff: RespondentGroup
) -> None:
    fill(scan, management, staff)
    progress = guided_selectors.scan_progress(scan)
    counts = {
        g.group.name: (g.joined, g.invited, g.via_link, g.started, g.finished)
        for g in progress.groups
    }
    assert counts == {"Management": (3, 3, 0, 2, 1), "Staff": (2, 0, 2, 2, 1)}
    assert (progress.joined, progress.started, progress.finished) == (5, 4, 2)
    statuses = {row.email: row.status for row in progress.respondents}
    assert statuses == {
        "an@example.org": "finished",
        "bo@example.org": "started",
        "cy@example.org": "invited",
    }


def test_progress_costs_the_same_queries_for_any_number_of_respondents(
    scan: Scan, management: RespondentGroup, staff: RespondentGroup
) -> None:
    fill(scan, management, staff)
    with CaptureQueriesContext(connection) as few:
        guided_selectors.scan_progress(scan)
    for n in range(20):
        respondent_with_token(scan, staff, {"culture-1": 3.0}, email=f"p{n}@example.org")
    with CaptureQueriesContext(connection) as many:
        guided_selectors.scan_progress(scan)
    assert len(many) == len(few) == 2


def test_the_page_shows_status_and_respondents_but_no_answers(
    owner_client: Client, scan: Scan, management: RespondentGroup, staff: RespondentGroup
) -> None:
    scan.closes_at = timezone.now() + datetime.timedelta(days=3)
    scan.save()
    fill(scan, management, staff)
    response = owner_client.get(f"/en/scans/{scan.public_id}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Open until" in page
    assert "2 of 5 respondents finished, 4 started" in page
    assert "an@example.org" in page and "cy@example.org" in page
    assert ">finished<" in page and ">started<" in page and ">invited<" in page
    assert "2 through the group link" in page
    assert 'hx-trigger="every 10s"' in page and 'hx-select="#progress"' in page
    # never an answer: no statement, no value
    assert "culture-1" not in page and "culture-2" not in page
    for form in ("invite", "remind", "groups", "close"):
        assert f"/scans/{scan.public_id}/{form}/" in page


def test_the_polled_refresh_returns_only_the_progress(
    owner_client: Client, scan: Scan, management: RespondentGroup, staff: RespondentGroup
) -> None:
    fill(scan, management, staff)
    response = owner_client.get(
        f"/en/scans/{scan.public_id}/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="progress"
    )
    fragment = response.content.decode()
    assert fragment.lstrip().startswith("<section") and "<html" not in fragment
    assert 'id="progress"' in fragment
    assert "2 of 5 respondents finished" in fragment


def test_the_states_of_a_scan(owner_client: Client, scan: Scan) -> None:
    url = f"/en/scans/{scan.public_id}/"
    assert "Open until you close it." in owner_client.get(url).content.decode()
    scan.opens_at = timezone.now() + datetime.timedelta(days=2)
    scan.save()
    assert "Not yet open" in owner_client.get(url).content.decode()
    scan.closed_at = timezone.now()
    scan.save()
    page = owner_client.get(url).content.decode()
    assert "the result is frozen" in page
    assert "every 10s" not in page  # nothing changes any more
    assert "/invite/" not in page and "/remind/" not in page


def test_a_self_scan_claimed_into_the_organisation_has_no_progress_view(
    owner_client: Client, organisation: Organisation, ims_version: ModelVersion
) -> None:
    started = self_scan_start(version=ims_version, language="nl")
    started.scan.organisation = organisation
    started.scan.save()
    assert owner_client.get(f"/en/scans/{started.scan.public_id}/").status_code == 404


def test_adding_groups(owner_client: Client, scan: Scan) -> None:
    response = owner_client.post(
        f"/en/scans/{scan.public_id}/groups/", {"groups-groups": "Board\n\nPolicy advisers"}
    )
    assert response.status_code == 302
    assert list(scan.groups.values_list("name", flat=True)) == [
        "Management",
        "Staff",
        "Board",
        "Policy advisers",
    ]


def test_adding_a_group_that_exists_changes_nothing(owner_client: Client, scan: Scan) -> None:
    response = owner_client.post(
        f"/en/scans/{scan.public_id}/groups/", {"groups-groups": "Board\nstaff"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is already a group called “staff”" in page
    assert "Board\nstaff" in page
    assert scan.groups.count() == 2


def test_a_closed_scan_gets_no_new_groups(owner_client: Client, scan: Scan) -> None:
    scan.closed_at = timezone.now()
    scan.save()
    response = owner_client.post(f"/en/scans/{scan.public_id}/groups/", {"groups-groups": "Board"})
    assert response.status_code == 409
    assert scan.groups.count() == 2


def test_the_page_links_to_the_team_results_when_they_exist(
    owner_client: Client, scan: Scan
) -> None:
    from django.urls import NoReverseMatch, reverse
    from django.utils import translation

    page = owner_client.get(f"/en/scans/{scan.public_id}/").content.decode()
    try:
        with translation.override("en"):
            results = reverse("team-results", kwargs={"scan_id": scan.public_id})
    except NoReverseMatch:
        assert "Team results" not in page
    else:
        assert f'href="{results}"' in page
