"""Creating a guided scan: by an owner or member, or by the engaged consultant, who must be
certified; every refusal changes nothing and keeps what was typed."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import ConsultantProfile, Membership, Organisation
from imscan.scans.models import RespondentGroup, Scan
from tests.factories import ConsultantFactory, EngagementFactory, MembershipFactory, with_totp
from tests.guided.conftest import logged_in


def url(organisation: Organisation, lang: str = "en") -> str:
    return f"/{lang}/organisations/{organisation.public_id}/scans/new/"


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def form(model_version: ModelVersion, **overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Innovatiescan 2026",
        "version": str(model_version.pk),
        "language": "nl",
        "groups": "Management\n\n  Staff  \n",
        "opens_at": "",
        "closes_at": "",
        "anonymity_threshold": "3",
        "guide": "",
    }
    data.update(overrides)
    return data


def engaged_consultant(organisation: Organisation, **profile: Any) -> ConsultantProfile:
    consultant: ConsultantProfile = ConsultantFactory(**profile)
    EngagementFactory(organisation=organisation, consultant=consultant)
    with_totp(consultant.user)
    return consultant


def expired() -> dict[str, Any]:
    return {"valid_until": timezone.localdate() - datetime.timedelta(days=1)}


def test_the_form_offers_the_latest_models_and_explains_the_threshold(
    owner_client: Client, organisation: Organisation, ims_version: ModelVersion
) -> None:
    page = owner_client.get(url(organisation)).content.decode()
    assert f'<option value="{ims_version.pk}"' in page
    assert f"version {ims_version.version}" in page
    assert 'name="anonymity_threshold"' in page and 'value="3"' in page
    assert "so nobody&#x27;s answers can be singled out" in page
    assert 'type="datetime-local"' in page


def test_an_owner_creates_a_scan_with_its_groups(
    owner_client: Client, owner: Any, organisation: Organisation, ims_version: ModelVersion
) -> None:
    closes = timezone.now() + datetime.timedelta(days=14)
    response = owner_client.post(
        url(organisation),
        form(ims_version, closes_at=local(closes), anonymity_threshold="4", language="en"),
    )
    scan = Scan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/scans/{scan.public_id}/"
    assert scan.kind == Scan.Kind.GUIDED
    assert scan.organisation == organisation
    assert scan.created_by == owner
    assert scan.model_version == ims_version
    assert scan.language == "en"
    assert scan.anonymity_threshold == 4
    assert scan.guide is None
    assert scan.opens_at is None
    assert scan.closes_at is not None and abs(scan.closes_at - closes) < datetime.timedelta(
        minutes=1
    )
    assert list(scan.groups.values_list("name", flat=True)) == ["Management", "Staff"]
    assert "The scan has been created" in owner_client.get(response["Location"]).content.decode()


def test_a_member_chooses_a_certified_engaged_consultant_as_guide(
    ims_version: ModelVersion, organisation: Organisation
) -> None:
    member = MembershipFactory(organisation=organisation).user
    consultant = engaged_consultant(organisation)
    response = logged_in(member).post(
        url(organisation), form(ims_version, guide=str(consultant.pk))
    )
    assert response.status_code == 302
    assert Scan.objects.get().guide == consultant


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (expired(), "certificate expired on"),
        ({"verified_at": None}, "certificate has not been verified yet"),
    ],
)
def test_an_uncertified_guide_is_refused(
    owner_client: Client,
    organisation: Organisation,
    ims_version: ModelVersion,
    profile: dict[str, Any],
    message: str,
) -> None:
    consultant = engaged_consultant(organisation, **profile)
    response = owner_client.post(
        url(organisation), form(ims_version, guide=str(consultant.pk), title="Mijn titel")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert consultant.display_name in page
    assert 'value="Mijn titel"' in page  # what was typed is kept
    assert Scan.objects.count() == 0
    assert RespondentGroup.objects.count() == 0


def test_only_currently_engaged_consultants_can_be_chosen(
    owner_client: Client, organisation: Organisation, ims_version: ModelVersion
) -> None:
    revoked = ConsultantFactory()
    EngagementFactory(organisation=organisation, consultant=revoked, ended_at=timezone.now())
    not_accepted = ConsultantFactory()
    EngagementFactory(organisation=organisation, consultant=not_accepted, accepted_at=None)
    page = owner_client.get(url(organisation)).content.decode()
    assert revoked.display_name not in page
    assert not_accepted.display_name not in page
    response = owner_client.post(url(organisation), form(ims_version, guide=str(revoked.pk)))
    assert response.status_code == 400
    assert Scan.objects.count() == 0


def test_a_consultant_who_creates_the_scan_guides_it(
    organisation: Organisation, ims_version: ModelVersion
) -> None:
    consultant = engaged_consultant(organisation)
    client = logged_in(consultant.user)
    page = client.get(url(organisation)).content.decode()
    assert 'name="guide"' not in page
    assert consultant.display_name in page
    response = client.post(url(organisation), form(ims_version))
    assert response.status_code == 302
    scan = Scan.objects.get()
    assert scan.guide == consultant
    assert scan.created_by == consultant.user


def test_a_member_who_is_also_consultant_chooses_the_guide(
    organisation: Organisation, ims_version: ModelVersion
) -> None:
    consultant = engaged_consultant(organisation)
    Membership.objects.create(organisation=organisation, user=consultant.user)
    response = logged_in(consultant.user).post(url(organisation), form(ims_version))
    assert response.status_code == 302
    assert Scan.objects.get().guide is None


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (expired(), "Your certificate expired on"),
        ({"verified_at": None}, "Your certificate has not been verified yet"),
    ],
)
def test_an_uncertified_consultant_cannot_create_a_guided_scan(
    organisation: Organisation, ims_version: ModelVersion, profile: dict[str, Any], message: str
) -> None:
    consultant = engaged_consultant(organisation, **profile)
    client = logged_in(consultant.user)
    assert message in client.get(url(organisation)).content.decode()
    response = client.post(url(organisation), form(ims_version, title="Mijn titel"))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="Mijn titel"' in page
    assert Scan.objects.count() == 0
    assert RespondentGroup.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"groups": " \n \n"}, "This field is required"),
        ({"groups": "Staff\nstaff"}, "There is already a group called “staff”"),
        ({"anonymity_threshold": "1"}, "greater than or equal to 2"),
        ({"title": ""}, "This field is required"),
        ({"version": "999999"}, "Select a valid choice"),
        ({"opens_at": "tomorrow"}, "Enter a valid date/time"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    owner_client: Client,
    organisation: Organisation,
    ims_version: ModelVersion,
    overrides: dict[str, str],
    message: str,
) -> None:
    response = owner_client.post(url(organisation), form(ims_version, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Scan.objects.count() == 0


def test_dates_must_be_in_the_future_and_in_order(
    owner_client: Client, organisation: Organisation, ims_version: ModelVersion
) -> None:
    now = timezone.now()
    cases = [
        ({"opens_at": local(now - datetime.timedelta(days=1))}, "cannot be in the past"),
        ({"closes_at": local(now - datetime.timedelta(hours=1))}, "must be in the future"),
        (
            {
                "opens_at": local(now + datetime.timedelta(days=3)),
                "closes_at": local(now + datetime.timedelta(days=2)),
            },
            "must be after the opening date",
        ),
    ]
    for overrides, message in cases:
        response = owner_client.post(url(organisation), form(ims_version, **overrides))
        assert response.status_code == 400, overrides
        assert message in response.content.decode(), overrides
    assert Scan.objects.count() == 0
    # "now", typed a few minutes before the form is sent, is fine
    response = owner_client.post(
        url(organisation), form(ims_version, opens_at=local(now - datetime.timedelta(minutes=3)))
    )
    assert response.status_code == 302
