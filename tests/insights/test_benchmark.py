"""The benchmark: peers of the same model version, medians and quartiles, the threshold K
and complementary suppression on the selector and on both results pages."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client
from django.urls import reverse

from imscan.catalog.models import ModelVersion
from imscan.insights.benchmark import all_groups, peers
from imscan.insights.models import Participation
from imscan.insights.services import participation_update
from imscan.organisations.models import Organisation
from imscan.scans.models import Respondent
from imscan.scans.tokens import new_token, token_hash
from tests.factories import MembershipFactory, OrganisationFactory
from tests.insights.helpers import guided_scan, self_scan

pytestmark = pytest.mark.django_db

MUNICIPAL, PROVINCIAL = Organisation.Kind.MUNICIPAL, Organisation.Kind.PROVINCIAL


def peer(version: ModelVersion, value: float, kind: str = MUNICIPAL) -> Organisation:
    """An organisation with a closed guided scan whose every part scores `value`."""
    organisation = OrganisationFactory(kind=kind, size=Organisation.Size.M)
    guided_scan(organisation, version, [value] * 3)
    return organisation


def test_median_and_quartiles_of_the_organisations(ims_version: ModelVersion) -> None:
    for value in (1, 2, 3, 4, 5):
        peer(ims_version, value)
    figures = peers(ims_version).group()
    assert figures.organisations == 5
    culture = figures.parts["culture"]
    assert (culture.q1, culture.median, culture.q3) == (2, 3, 4)
    assert figures.overall.median == 3


def test_each_organisation_counts_once_with_its_latest(ims_version: ModelVersion) -> None:
    organisations = [peer(ims_version, 2) for _ in range(5)]
    guided_scan(organisations[0], ims_version, [5, 5, 5])  # a later scan replaces the first
    figures = peers(ims_version).group()
    assert figures.organisations == 5
    assert (
        figures.parts["culture"].q3 == 2 and max(figures.parts[p].q3 for p in figures.parts) == 2
    )  # 2, 2, 2, 2, 5: the third quartile is still 2
    assert figures.overall.median == 2


def test_a_group_below_the_threshold_is_withheld(ims_version: ModelVersion) -> None:
    for value in (1, 2, 3, 4):
        peer(ims_version, value)
    release = peers(ims_version)
    assert not release.group().shown
    assert release.group().parts is None


def test_the_differencing_attack_is_prevented(ims_version: ModelVersion) -> None:
    """Six organisations, one of them a province: "all" and "municipalities" both hold
    at least five, but the difference between them would be the province's result."""
    for value in (2, 2, 3, 3, 4):
        peer(ims_version, value)
    peer(ims_version, 5, kind=PROVINCIAL)
    release = peers(ims_version)
    assert release.group().shown
    assert not release.group(kind=MUNICIPAL).shown
    assert not release.group(kind=PROVINCIAL).shown
    # No two groups anyone can ask for differ by 1..K-1 organisations.
    sizes = [release.group(group.kind, group.size).organisations for group in all_groups()]
    shown = sorted({n for n in sizes if n})
    assert all(b - a >= 5 for a, b in itertools.pairwise(shown)), shown


def test_enough_organisations_of_every_type_show_each_type(ims_version: ModelVersion) -> None:
    for value in (1, 2, 3, 4, 5):
        peer(ims_version, value)
        peer(ims_version, value, kind=PROVINCIAL)
    release = peers(ims_version)
    assert release.group(kind=MUNICIPAL).organisations == 5
    assert release.group(kind=PROVINCIAL).organisations == 5
    assert release.group().organisations == 10


def test_self_scans_count_only_with_the_organisations_consent(ims_version: ModelVersion) -> None:
    organisations = [OrganisationFactory() for _ in range(5)]
    for organisation in organisations:
        self_scan(organisation, ims_version, 3)
    assert not peers(ims_version).group().shown
    for organisation in organisations:
        participation_update(organisation=organisation, benchmark=Participation.Benchmark.ALL)
    assert peers(ims_version).group().organisations == 5


def test_withdrawal_takes_effect_on_the_next_request(ims_version: ModelVersion) -> None:
    organisations = [peer(ims_version, value) for value in (1, 2, 3, 4, 5)]
    scan = self_scan(None, ims_version, 3)
    url = _results_url(scan)
    assert "All organisations (5)" in _page(Client(), url, "en")
    participation_update(organisation=organisations[0], benchmark=Participation.Benchmark.NONE)
    page = _page(Client(), url, "en")
    assert "All organisations (5)" not in page
    assert "There is no comparison yet" in page


def _results_url(scan, lang: str = "en") -> str:
    token = new_token()
    Respondent.objects.filter(scan=scan).update(token_hash=token_hash(token))
    from django.utils import translation

    with translation.override(lang):
        return reverse("scan-results", kwargs={"token": token})


def _page(client: Client, url: str, lang: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_results_page_shows_the_panel_and_withholds_small_groups(
    ims_version: ModelVersion,
) -> None:
    for value in (2, 2, 3, 3, 4):
        peer(ims_version, value)
    peer(ims_version, 5, kind=PROVINCIAL)
    scan = self_scan(None, ims_version, 1)
    url = _results_url(scan)
    page = _page(Client(), url, "en")
    assert "Compared with other organisations" in page
    assert "All organisations (6)" in page
    filtered = _page(Client(), url + "?type=municipal&size=", "en")
    assert "cannot be shown" in filtered
    assert "Municipality (5)" not in filtered and "(5)" not in filtered
    unknown = _page(Client(), url + "?type=planet", "en")
    assert "Select a valid choice" in unknown and "All organisations (6)" in unknown


def test_the_team_results_page_shows_the_panel(ims_version: ModelVersion) -> None:
    for value in (1, 2, 3, 4):
        peer(ims_version, value)
    membership = MembershipFactory()
    scan = guided_scan(membership.organisation, ims_version, [4, 4, 4])
    client = Client()
    client.force_login(membership.user, "django.contrib.auth.backends.ModelBackend")
    page = _page(client, f"/en/scans/{scan.public_id}/results/", "en")
    assert "All organisations (5)" in page
    assert "Your organisation&#x27;s latest result counts in these figures." in page or (
        "Your organisation's latest result counts in these figures." in page
    )
