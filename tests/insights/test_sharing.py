"""What an organisation shares (the settings page) and peer learning: organisations that
chose to be contactable, suggested where a result is weak."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.insights.models import Measurement, Participation
from imscan.insights.services import participation_update
from imscan.organisations.models import Membership, Organisation
from tests.factories import MembershipFactory, OrganisationFactory
from tests.insights.helpers import guided_scan, self_scan

pytestmark = pytest.mark.django_db


def owner_client() -> tuple[Client, Organisation]:
    membership = MembershipFactory(role=Membership.Role.OWNER)
    client = Client()
    client.force_login(membership.user, "django.contrib.auth.backends.ModelBackend")
    return client, membership.organisation


def test_the_owner_changes_what_is_shared(ims_version: ModelVersion) -> None:
    client, organisation = owner_client()
    scan = self_scan(organisation, ims_version, 3)
    url = f"/en/organisations/{organisation.public_id}/sharing/"
    assert "What your organisation shares" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "benchmark": "all",
            "contactable": "on",
            "contact_name": "Innovation team",
            "contact_email": "innovation@example.org",
            "followups": "on",
        },
    )
    assert response.status_code == 302
    participation = Participation.objects.get(organisation=organisation)
    assert participation.benchmark == "all" and participation.contactable
    assert Measurement.objects.get(scan=scan).counted  # at once
    detail = client.get(f"/en/organisations/{organisation.public_id}/").content.decode()
    assert "Our closed guided scans and our self-scans" in detail


def test_contactable_needs_an_address_and_changes_nothing_without(
    ims_version: ModelVersion,
) -> None:
    client, organisation = owner_client()
    url = f"/en/organisations/{organisation.public_id}/sharing/"
    response = client.post(url, {"benchmark": "all", "contactable": "on", "followups": "on"})
    assert response.status_code == 400
    assert "Give the e-mail address" in response.content.decode()
    assert not Participation.objects.filter(organisation=organisation).exists()
    bad = client.post(url, {"benchmark": "everything", "followups": "on"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


def strong_peer(version: ModelVersion, name: str, *, contactable: bool, culture: float) -> None:
    organisation = OrganisationFactory(name=name)
    guided_scan(organisation, version, [4, 4, 4])
    Measurement.objects.filter(organisation=organisation).update(
        part_scores={
            **Measurement.objects.get(organisation=organisation).part_scores,
            "culture": culture,
        }
    )
    if contactable:
        participation_update(
            organisation=organisation,
            contactable=True,
            contact_name="Jan Jansen",
            contact_email=f"{name.lower().replace(' ', '.')}@example.org",
        )


def test_organisations_to_learn_from(ims_version: ModelVersion) -> None:
    strong_peer(ims_version, "Gemeente Sterk", contactable=True, culture=4.8)
    strong_peer(ims_version, "Gemeente Stil", contactable=False, culture=5)
    strong_peer(ims_version, "Gemeente Gelijk", contactable=True, culture=1.2)  # not higher
    client, organisation = owner_client()
    # Weak in culture (1); the rest 4, as every peer: no peer is a level higher there.
    scan = guided_scan(organisation, ims_version, [4, 4, 4])
    Measurement.objects.filter(scan=scan).update(
        part_scores={**Measurement.objects.get(scan=scan).part_scores, "culture": 1.0}
    )
    page = client.get(f"/en/scans/{scan.public_id}/results/").content.decode()
    assert "Learn from other organisations" in page
    assert "Gemeente Sterk" in page and "gemeente.sterk@example.org" in page
    assert "Stronger in:" in page and "4. Culture" in page
    assert "Gemeente Stil" not in page and "Gemeente Gelijk" not in page
    # Withdrawn: gone from the very next page.
    sterk = Organisation.objects.get(name="Gemeente Sterk")
    participation_update(organisation=sterk, contactable=False)
    assert (
        "Gemeente Sterk" not in client.get(f"/en/scans/{scan.public_id}/results/").content.decode()
    )


def test_no_suggestions_for_a_visitor_of_an_anonymous_self_scan(
    ims_version: ModelVersion,
) -> None:
    strong_peer(ims_version, "Gemeente Sterk", contactable=True, culture=5)
    scan = self_scan(None, ims_version, 1)
    from tests.insights.test_benchmark import _page, _results_url

    page = _page(Client(), _results_url(scan), "en")
    assert "Learn from other organisations" not in page and "Gemeente Sterk" not in page
