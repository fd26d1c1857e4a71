"""A scan takes answers only while it is open: not before its opening, not after closing."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.scans.models import Answer, Scan
from imscan.scans.selectors import respondent_by_token
from imscan.scans.services import ScanNotOpen, answers_save, respondent_finish
from tests.factories import GroupFactory, GuidedScanFactory, respondent_with_token


def hours(n: float) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(hours=n)


NOT_OPEN: dict[str, Callable[[Scan], None]] = {
    "not yet open": lambda scan: setattr(scan, "opens_at", hours(24)),
    "closed by hand": lambda scan: setattr(scan, "closed_at", hours(-1)),
    "past its closing date": lambda scan: setattr(scan, "closes_at", hours(-1)),
}


@pytest.fixture
def guided_scan(ims_version: ModelVersion) -> Scan:
    scan: Scan = GuidedScanFactory(
        model_version=ims_version, title="Innovatiescan 2026", language="en"
    )
    return scan


@pytest.mark.parametrize("state", sorted(NOT_OPEN))
def test_the_services_refuse_answers_and_finishing(guided_scan: Scan, state: str) -> None:
    NOT_OPEN[state](guided_scan)
    guided_scan.save()
    _, token = respondent_with_token(guided_scan, finished=False, answers={"culture-1": 3.0})
    respondent = respondent_by_token(token)
    assert respondent is not None
    model = engine_model(guided_scan.model_version)
    with pytest.raises(ScanNotOpen) as refused:
        answers_save(respondent=respondent, model=model, answers={"culture-1": 5.0})
    assert refused.value.scan == respondent.scan
    with pytest.raises(ScanNotOpen):
        respondent_finish(respondent=respondent)
    respondent.refresh_from_db()
    assert respondent.finished_at is None
    assert list(Answer.objects.values_list("value", flat=True)) == [3.0]


def test_an_open_guided_scan_takes_answers(guided_scan: Scan) -> None:
    guided_scan.opens_at, guided_scan.closes_at = hours(-1), hours(1)
    guided_scan.save()
    _, token = respondent_with_token(guided_scan, finished=False)
    respondent = respondent_by_token(token)
    assert respondent is not None
    model = engine_model(guided_scan.model_version)
    assert answers_save(respondent=respondent, model=model, answers={"culture-1": 5.0}) == 1
    respondent_finish(respondent=respondent)
    assert respondent.is_finished


def test_a_scan_not_yet_open_says_when_it_opens(client: Client, guided_scan: Scan) -> None:
    guided_scan.opens_at = hours(48)
    guided_scan.save()
    _, token = respondent_with_token(guided_scan, finished=False)
    welcome = client.get(f"/en/scan/{token}/").content.decode()
    assert "This scan opens on" in welcome
    assert "Begin the scan" not in welcome
    response = client.post(f"/en/scan/{token}/answer/", {"s-culture-1": "4"})
    assert response.status_code == 409
    assert "This scan opens on" in response.content.decode()
    assert Answer.objects.count() == 0


def test_the_welcome_page_of_a_guided_respondent(client: Client, guided_scan: Scan) -> None:
    guided_scan.closes_at = hours(72)
    guided_scan.save()
    group = GroupFactory(scan=guided_scan, name="Management")
    _, token = respondent_with_token(guided_scan, group, finished=False)
    page = client.get(f"/en/scan/{token}/").content.decode()
    assert guided_scan.organisation is not None
    assert guided_scan.organisation.name in page
    assert "Innovatiescan 2026" in page
    assert "Your group" in page and "Management" in page
    assert "Open until" in page
    assert "Begin the scan" in page
    assert f"http://testserver/en/scan/{token}/" in page


def test_a_closed_scans_finished_respondent_still_sees_their_result(
    client: Client, guided_scan: Scan
) -> None:
    _, token = respondent_with_token(guided_scan, finished=True, answers={"culture-1": 3.0})
    guided_scan.closed_at = timezone.now()
    guided_scan.save()
    assert client.get(f"/en/scan/{token}/")["Location"] == f"/en/scan/{token}/results/"
    assert client.get(f"/en/scan/{token}/results/").status_code == 200
