"""Changing a scan while it is open, and closing it: closing freezes every answer."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from imscan.organisations.models import Organisation
from imscan.scans.models import Answer, RespondentGroup, Scan
from tests.factories import ConsultantFactory, EngagementFactory, respondent_with_token, with_totp
from tests.guided.conftest import logged_in


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def edit_form(scan: Scan, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": scan.title,
        "opens_at": local(scan.opens_at) if scan.opens_at else "",
        "closes_at": local(scan.closes_at) if scan.closes_at else "",
        "anonymity_threshold": str(scan.anonymity_threshold),
        "guide": str(scan.guide_id or ""),
    }
    data.update(overrides)
    return data


def edit(client: Client, scan: Scan, **overrides: Any) -> Any:
    return client.post(f"/en/scans/{scan.public_id}/edit/", edit_form(scan, **overrides))


def test_the_edit_form_shows_the_current_values(owner_client: Client, scan: Scan) -> None:
    page = owner_client.get(f"/en/scans/{scan.public_id}/edit/").content.decode()
    assert 'value="Innovatiescan 2026"' in page
    assert 'name="anonymity_threshold" value="3"' in page or 'value="3"' in page


def test_title_dates_threshold_and_guide_change_while_open(
    owner_client: Client, scan: Scan, organisation: Organisation
) -> None:
    guide = ConsultantFactory()
    EngagementFactory(organisation=organisation, consultant=guide)
    closes = timezone.now() + datetime.timedelta(days=10)
    response = edit(
        owner_client,
        scan,
        title="Innovatiescan voorjaar",
        closes_at=local(closes),
        anonymity_threshold="5",
        guide=str(guide.pk),
    )
    assert response.status_code == 302
    scan.refresh_from_db()
    assert scan.title == "Innovatiescan voorjaar"
    assert scan.anonymity_threshold == 5
    assert scan.guide == guide
    assert scan.closes_at is not None and abs(scan.closes_at - closes) < datetime.timedelta(
        minutes=1
    )


def test_the_opening_date_is_fixed_once_the_scan_has_opened(
    owner_client: Client, scan: Scan
) -> None:
    later = timezone.now() + datetime.timedelta(days=3)
    page = owner_client.get(f"/en/scans/{scan.public_id}/edit/").content.decode()
    assert "opening date can no longer change" in page
    response = edit(owner_client, scan, opens_at=local(later), title="Nieuw")
    assert response.status_code == 302  # the disabled field keeps its value
    scan.refresh_from_db()
    assert scan.opens_at is None and scan.title == "Nieuw"


def test_a_scan_not_yet_open_can_move_its_opening(owner_client: Client, scan: Scan) -> None:
    scan.opens_at = timezone.now() + datetime.timedelta(days=2)
    scan.save()
    later = timezone.now() + datetime.timedelta(days=4)
    assert edit(owner_client, scan, opens_at=local(later)).status_code == 302
    scan.refresh_from_db()
    assert scan.opens_at is not None and abs(scan.opens_at - later) < datetime.timedelta(minutes=1)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"closes_at": "yesterday"}, "Enter a valid date/time"),
        ({"anonymity_threshold": "1"}, "greater than or equal to 2"),
        ({"title": ""}, "This field is required"),
    ],
)
def test_bad_changes_are_refused(
    owner_client: Client, scan: Scan, overrides: dict[str, str], message: str
) -> None:
    response = edit(owner_client, scan, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    scan.refresh_from_db()
    assert scan.title == "Innovatiescan 2026" and scan.anonymity_threshold == 3


def test_a_closing_date_in_the_past_is_refused(owner_client: Client, scan: Scan) -> None:
    response = edit(
        owner_client, scan, closes_at=local(timezone.now() - datetime.timedelta(hours=2))
    )
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    scan.refresh_from_db()
    assert scan.closes_at is None


def test_an_expired_guide_is_refused_when_chosen(
    owner_client: Client, scan: Scan, organisation: Organisation
) -> None:
    guide = ConsultantFactory(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    EngagementFactory(organisation=organisation, consultant=guide)
    response = edit(owner_client, scan, guide=str(guide.pk))
    assert response.status_code == 400
    assert "certificate expired on" in response.content.decode()
    scan.refresh_from_db()
    assert scan.guide is None


def test_the_consultant_running_the_scan_stays_its_guide(
    scan: Scan, organisation: Organisation
) -> None:
    guide = ConsultantFactory()
    EngagementFactory(organisation=organisation, consultant=guide)
    scan.guide = guide
    scan.save()
    client = logged_in(with_totp(guide.user))
    page = client.get(f"/en/scans/{scan.public_id}/edit/").content.decode()
    assert 'name="guide"' not in page
    data = edit_form(scan, title="Door de adviseur")
    del data["guide"]
    assert client.post(f"/en/scans/{scan.public_id}/edit/", data).status_code == 302
    scan.refresh_from_db()
    assert scan.title == "Door de adviseur" and scan.guide == guide


def test_a_closed_scan_cannot_be_changed(owner_client: Client, scan: Scan) -> None:
    scan.closed_at = timezone.now()
    scan.save()
    assert (
        "can no longer be changed"
        in owner_client.get(f"/en/scans/{scan.public_id}/edit/").content.decode()
    )
    response = edit(owner_client, scan, title="Te laat")
    assert response.status_code == 409
    scan.refresh_from_db()
    assert scan.title == "Innovatiescan 2026"


# ---- closing ----


def test_closing_asks_for_confirmation_first(owner_client: Client, scan: Scan) -> None:
    response = owner_client.post(f"/en/scans/{scan.public_id}/close/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Close the scan now?" in page and 'name="confirm" value="yes"' in page
    scan.refresh_from_db()
    assert scan.closed_at is None


def test_closing_sets_the_moment_and_cannot_be_repeated(owner_client: Client, scan: Scan) -> None:
    response = owner_client.post(f"/en/scans/{scan.public_id}/close/", {"confirm": "yes"})
    assert response.status_code == 302
    scan.refresh_from_db()
    closed_at = scan.closed_at
    assert closed_at is not None and scan.is_closed()
    again = owner_client.post(f"/en/scans/{scan.public_id}/close/", {"confirm": "yes"})
    assert again.status_code == 409
    assert "already closed" in again.content.decode()
    scan.refresh_from_db()
    assert scan.closed_at == closed_at


def test_closing_freezes_the_respondents_answers(
    owner_client: Client, scan: Scan, staff: RespondentGroup
) -> None:
    scan.language = "en"
    scan.save()
    respondent, token = respondent_with_token(scan, staff, {"culture-1": 2.0}, finished=False)
    owner_client.post(f"/en/scans/{scan.public_id}/close/", {"confirm": "yes"})
    client = Client()
    welcome = client.get(f"/en/scan/{token}/").content.decode()
    assert "This scan has closed" in welcome
    assert "Begin the scan" not in welcome and "Continue the scan" not in welcome
    assert client.get(f"/en/scan/{token}/page/1/")["Location"] == f"/en/scan/{token}/"
    assert client.get(f"/en/scan/{token}/review/")["Location"] == f"/en/scan/{token}/"
    for url, data in (
        (f"/en/scan/{token}/answer/", {"s-culture-1": "5"}),
        (f"/en/scan/{token}/page/1/", {"s-culture-1": "5"}),
        (f"/en/scan/{token}/finish/", {}),
    ):
        response = client.post(url, data)
        assert response.status_code == 409, url
        assert "This scan has closed" in response.content.decode()
    htmx = client.post(f"/en/scan/{token}/answer/", {"s-culture-1": "5"}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409 and "This scan has closed" in htmx.content.decode()
    respondent.refresh_from_db()
    assert respondent.finished_at is None
    assert list(Answer.objects.values_list("statement_id", "value")) == [("culture-1", 2.0)]
