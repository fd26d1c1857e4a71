"""Deleting your own account."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from imscan.accounts.services import SoleOwnerError, user_delete
from imscan.organisations.models import ConsultantProfile, Engagement, Membership, Organisation
from imscan.scans.models import Scan
from tests.accounts.helpers import is_logged_in
from tests.factories import (
    PASSWORD,
    EngagementFactory,
    GuidedScanFactory,
    MembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/en/accounts/delete/"
OWNER = Membership.Role.OWNER


def exists(user: object) -> bool:
    return get_user_model().objects.filter(pk=user.pk).exists()  # type: ignore[attr-defined]


def test_deleting_removes_the_user_and_what_is_theirs_but_keeps_organisations_and_scans(
    client: Client, ims_version: object
) -> None:
    membership = MembershipFactory()  # a plain member
    user = membership.user
    organisation = membership.organisation
    MembershipFactory(organisation=organisation, role=OWNER)
    scan = GuidedScanFactory(organisation=organisation, created_by=user, model_version=ims_version)
    engagement = EngagementFactory(consultant__user=user)
    client.force_login(user)

    page = client.get(URL)
    assert page.status_code == 200
    assert 'name="password"' in page.content.decode()

    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert not exists(user)
    assert not is_logged_in(client)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not EmailAddress.objects.filter(email=user.email).exists()
    assert not ConsultantProfile.objects.filter(pk=engagement.consultant_id).exists()
    assert not Engagement.objects.filter(pk=engagement.pk).exists()
    assert Organisation.objects.filter(pk=organisation.pk).exists()
    scan.refresh_from_db()
    assert scan.created_by is None
    assert Scan.objects.filter(pk=scan.pk, organisation=organisation).exists()
    # The home page says it happened.
    assert "Your account has been deleted." in client.get("/en/").content.decode()


def test_a_wrong_password_deletes_nothing_and_says_so(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"password": "not my password"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "This is not your password." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_password_error"' in html
    assert exists(user)
    assert is_logged_in(client)


def test_no_password_deletes_nothing(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    assert client.post(URL, {}).status_code == 400
    assert exists(user)


def test_the_only_owner_of_an_organisation_with_members_must_hand_over_first(
    client: Client,
) -> None:
    ownership = MembershipFactory(role=OWNER, organisation__name="Gemeente Zuidstad")
    user = ownership.user
    MembershipFactory(organisation=ownership.organisation)  # a colleague
    client.force_login(user)

    page = client.get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Gemeente Zuidstad" in html
    assert "You cannot delete your account yet." in html
    with translation.override("en"):  # a link to where ownership is handed over
        org_url = reverse("org-detail", kwargs={"org_id": ownership.organisation.public_id})
    assert f'href="{org_url}"' in html
    assert 'name="password"' not in html  # no form that can only fail

    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 409
    assert "Gemeente Zuidstad" in response.content.decode()
    assert exists(user)
    assert Membership.objects.filter(pk=ownership.pk).exists()

    with pytest.raises(SoleOwnerError) as refused:
        user_delete(user=user)
    assert refused.value.organisations == [ownership.organisation]
    assert exists(user)


def test_one_of_two_owners_may_delete(client: Client) -> None:
    ownership = MembershipFactory(role=OWNER)
    MembershipFactory(organisation=ownership.organisation, role=OWNER)
    MembershipFactory(organisation=ownership.organisation)
    client.force_login(ownership.user)
    assert client.post(URL, {"password": PASSWORD}).status_code == 302
    assert not exists(ownership.user)


def test_the_only_member_takes_the_organisation_and_its_scans_along(
    client: Client, ims_version: object
) -> None:
    ownership = MembershipFactory(role=OWNER)
    scan = GuidedScanFactory(model_version=ims_version, organisation=ownership.organisation)
    shared = MembershipFactory(user=ownership.user, role=OWNER).organisation
    MembershipFactory(organisation=shared, role=OWNER)
    client.force_login(ownership.user)
    page = client.get(URL).content.decode()
    assert "You are the only member of these organisations" in page
    assert ownership.organisation.name in page and shared.name not in page
    assert client.post(URL, {"password": PASSWORD}).status_code == 302
    assert not exists(ownership.user)
    assert not Organisation.objects.filter(pk=ownership.organisation_id).exists()
    assert not Scan.objects.filter(pk=scan.pk).exists()
    assert Organisation.objects.filter(pk=shared.pk).exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/?next=")


def test_the_account_pages_link_to_deletion(client: Client) -> None:
    client.force_login(UserFactory())
    html = client.get("/en/accounts/email/").content.decode()
    assert 'href="/en/accounts/delete/"' in html


def test_guessing_the_password_is_limited(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    statuses = [client.post(URL, {"password": f"guess {n}"}).status_code for n in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    # Even the right password waits now.
    response = client.post(URL, {"password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts." in response.content.decode()
    assert exists(user)
