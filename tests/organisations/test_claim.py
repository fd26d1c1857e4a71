"""Claiming an anonymous self-scan into an organisation through its private link."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.scans.models import Scan
from imscan.scans.services import self_scan_start
from imscan.scans.tokens import new_token
from tests.factories import (
    GuidedScanFactory,
    OrganisationFactory,
    UserFactory,
    respondent_with_token,
)
from tests.organisations.helpers import member, owner

pytestmark = pytest.mark.django_db


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.fixture
def self_scan(ims_version: ModelVersion) -> tuple[Scan, str]:
    started = self_scan_start(version=ims_version, language="nl")
    return started.scan, started.token


def test_the_view_declares_its_access_rule() -> None:
    from imscan.organisations.views import scan_claim

    assert scan_claim.access_rule == "respondent link, signed in"  # type: ignore[attr-defined]


def test_visitors_log_in_first(client: Client, self_scan: tuple[Scan, str]) -> None:
    _, token = self_scan
    response = client.get(f"/nl/scan/{token}/claim/")
    assert response["Location"] == f"/nl/accounts/login/?next=/nl/scan/{token}/claim/"


def test_an_unknown_link_is_the_friendly_404(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.get(f"/nl/scan/{new_token()}/claim/")
    assert response.status_code == 404
    assert "Deze link leidt niet naar een scan" in page(response)


def test_claiming_into_one_of_my_organisations(client: Client, self_scan: tuple[Scan, str]) -> None:
    scan, token = self_scan
    mine = member(OrganisationFactory(name="Gemeente Zeist"))
    owner(OrganisationFactory(name="Not mine"))
    client.force_login(mine.user)
    html = page(client.get(f"/nl/scan/{token}/claim/"))
    assert "Deze scan toevoegen aan een organisatie" in html
    assert "Gemeente Zeist" in html and "Not mine" not in html
    response = client.post(f"/nl/scan/{token}/claim/", {"organisation": mine.organisation.pk})
    assert response["Location"] == f"/nl/organisations/{mine.organisation.public_id}/"
    scan.refresh_from_db()
    assert scan.organisation == mine.organisation
    shown = page(client.get(response["Location"]))
    assert "De scan is toegevoegd aan Gemeente Zeist." in shown
    assert f"/nl/scans/{scan.public_id}/results/" in shown


def test_an_organisation_i_am_not_in_is_refused(
    client: Client, self_scan: tuple[Scan, str]
) -> None:
    scan, token = self_scan
    mine = member(OrganisationFactory())
    other = OrganisationFactory()
    client.force_login(mine.user)
    response = client.post(f"/en/scan/{token}/claim/", {"organisation": other.pk})
    assert response.status_code == 400
    assert "Select a valid choice" in page(response)
    scan.refresh_from_db()
    assert scan.organisation is None


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This scan has already been added to an organisation."),
        ("nl", "Deze scan is al aan een organisatie toegevoegd."),
    ],
)
def test_an_already_claimed_scan_is_refused(
    client: Client, self_scan: tuple[Scan, str], lang: str, message: str
) -> None:
    scan, token = self_scan
    first = owner()
    scan.organisation = first.organisation
    scan.save()
    mine = member(OrganisationFactory())
    client.force_login(mine.user)
    assert message in page(client.get(f"/{lang}/scan/{token}/claim/"))
    response = client.post(f"/{lang}/scan/{token}/claim/", {"organisation": mine.organisation.pk})
    assert response.status_code == 409
    assert message in page(response)
    scan.refresh_from_db()
    assert scan.organisation == first.organisation


def test_a_guided_scan_is_refused(client: Client, ims_version: ModelVersion) -> None:
    guided = GuidedScanFactory(model_version=ims_version)
    _, token = respondent_with_token(guided, finished=False)
    mine = member(OrganisationFactory())
    client.force_login(mine.user)
    response = client.post(f"/en/scan/{token}/claim/", {"organisation": mine.organisation.pk})
    assert response.status_code == 409
    assert "This is a guided scan" in page(response)
    guided.refresh_from_db()
    assert guided.organisation != mine.organisation


def test_without_an_organisation_i_am_asked_to_create_one(
    client: Client, self_scan: tuple[Scan, str]
) -> None:
    _, token = self_scan
    client.force_login(UserFactory())
    html = page(client.get(f"/en/scan/{token}/claim/"))
    assert "You are not a member of an organisation yet." in html
    assert 'href="/en/organisations/new/"' in html
