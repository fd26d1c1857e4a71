"""Share links: who may make and revoke them, when a scan can be shared, and what the
shared page shows (the figures) and hides (names, e-mail addresses, private links)."""

from __future__ import annotations

import datetime
import html

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.scans.tokens import new_token
from imscan.sharing.models import ShareLink
from imscan.sharing.services import share_link_create
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.reports.teams import member
from tests.sharing.helpers import (
    RESPONDENT_EMAILS,
    closed_guided,
    create,
    link_share_url,
    org_share_url,
    self_scan,
)

pytestmark = pytest.mark.django_db

GONE = "This link no longer works"


def shared_url(token: str, language: str = "en") -> str:
    return f"/{language}/shared/{token}/"


# ---- making and revoking, per role ----


def test_a_member_makes_a_link_shown_once(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    user = member(client, scan.organisation)
    response, token = create(client, org_share_url(scan), label="for the management team")
    assert response.status_code == 201
    assert token
    page = response.content.decode()
    assert "shown only this once" in page
    assert "readonly" in page
    link = ShareLink.objects.get()
    assert link.scan == scan
    assert link.created_by == user
    assert link.label == "for the management team"
    assert link.token_hash != token and token not in link.token_hash
    listing = client.get(org_share_url(scan))
    assert listing.status_code == 200
    assert token not in listing.content.decode()  # shown once only
    assert "for the management team" in listing.content.decode()


def test_an_owner_may_share_too(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    owner = MembershipFactory(organisation=scan.organisation, role="owner").user
    client.force_login(owner)
    response, token = create(client, org_share_url(scan))
    assert response.status_code == 201 and token


def test_another_organisation_sees_nothing(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    link = share_link_create(scan=scan, created_by=None).link
    member(client, OrganisationFactory())
    assert client.get(org_share_url(scan)).status_code == 404
    assert client.post(org_share_url(scan), {}).status_code == 404
    assert client.post(f"{org_share_url(scan)}{link.pk}/revoke/").status_code == 404
    assert ShareLink.objects.get().revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    for response in (client.get(org_share_url(scan)), client.post(org_share_url(scan), {})):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert not ShareLink.objects.exists()


def test_a_member_revokes_a_link(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    made = share_link_create(scan=scan, created_by=None)
    member(client, scan.organisation)
    assert client.get(shared_url(made.token)).status_code == 200
    response = client.post(f"{org_share_url(scan)}{made.link.pk}/revoke/", follow=True)
    assert response.status_code == 200
    assert "no longer opens the report" in response.content.decode()
    made.link.refresh_from_db()
    assert made.link.revoked_at is not None
    gone = client.get(shared_url(made.token))
    assert gone.status_code == 404 and GONE in gone.content.decode()


def test_a_link_of_another_scan_cannot_be_revoked_here(
    client: Client, ims_version: ModelVersion
) -> None:
    scan, _ = closed_guided(ims_version)
    other, _ = closed_guided(ims_version)
    foreign = share_link_create(scan=other, created_by=None).link
    member(client, scan.organisation)
    assert client.post(f"{org_share_url(scan)}{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_an_open_guided_scan_cannot_be_shared(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version, closed_at=None)
    member(client, scan.organisation)
    page = client.get(org_share_url(scan)).content.decode()
    assert "once it is closed" in page
    response, token = create(client, org_share_url(scan))
    assert response.status_code == 409
    assert not token and not ShareLink.objects.exists()


def test_the_respondent_shares_a_self_scan(client: Client, ims_version: ModelVersion) -> None:
    scan, token = self_scan(ims_version)
    assert client.get(link_share_url(token)).status_code == 200
    response, shared = create(client, link_share_url(token), label="voor het MT")
    assert response.status_code == 201 and shared
    link = ShareLink.objects.get()
    assert link.scan == scan and link.created_by is None
    assert client.get(shared_url(shared)).status_code == 200
    revoked = client.post(f"{link_share_url(token)}{link.pk}/revoke/")
    assert revoked.status_code == 302
    assert revoked["Location"] == link_share_url(token)
    assert client.get(shared_url(shared)).status_code == 404


def test_an_unfinished_self_scan_cannot_be_shared(
    client: Client, ims_version: ModelVersion
) -> None:
    _, token = self_scan(ims_version, finished=False)
    assert "once it is finished" in client.get(link_share_url(token)).content.decode()
    response, shared = create(client, link_share_url(token))
    assert response.status_code == 409
    assert not shared and not ShareLink.objects.exists()


def test_a_guided_respondent_cannot_share_the_team_report(
    client: Client, ims_version: ModelVersion
) -> None:
    _, tokens = closed_guided(ims_version)
    assert client.get(link_share_url(tokens[0])).status_code == 404
    assert client.post(link_share_url(tokens[0]), {}).status_code == 404
    assert not ShareLink.objects.exists()


def test_a_respondent_cannot_revoke_another_scans_link(
    client: Client, ims_version: ModelVersion
) -> None:
    _, token = self_scan(ims_version)
    other, _ = self_scan(ims_version)
    foreign = share_link_create(scan=other, created_by=None).link
    assert client.post(f"{link_share_url(token)}{foreign.pk}/revoke/").status_code == 404
    foreign.refresh_from_db()
    assert foreign.revoked_at is None


def test_a_wrong_private_link_is_not_found(client: Client, ims_version: ModelVersion) -> None:
    assert client.get(link_share_url(new_token())).status_code == 404


# ---- bad input ----


def test_an_expiry_in_the_past_is_refused_and_the_form_kept(
    client: Client, ims_version: ModelVersion
) -> None:
    scan, _ = closed_guided(ims_version)
    member(client, scan.organisation)
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response, token = create(client, org_share_url(scan), label="board", expires_on=yesterday)
    assert response.status_code == 400
    page = response.content.decode()
    assert "must be in the future" in page
    assert 'value="board"' in page and f'value="{yesterday}"' in page
    assert not token and not ShareLink.objects.exists()


def test_an_expiry_date_is_kept_up_to_that_day(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    member(client, scan.organisation)
    day = timezone.localdate() + datetime.timedelta(days=7)
    response, token = create(client, org_share_url(scan), expires_on=day.isoformat())
    assert response.status_code == 201 and token
    link = ShareLink.objects.get()
    assert link.expires_at is not None
    assert timezone.localtime(link.expires_at).date() == day


def test_a_nonsense_date_is_refused(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    member(client, scan.organisation)
    response, _ = create(client, org_share_url(scan), expires_on="31-02-2099")
    assert response.status_code == 400
    response, _ = create(client, org_share_url(scan), expires_on="9999-12-31")
    assert response.status_code == 400
    assert not ShareLink.objects.exists()


def test_html_in_the_label_is_shown_as_text(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    member(client, scan.organisation)
    label = '<script>alert("x")</script><b>MT</b>'
    response, _ = create(client, org_share_url(scan), label=label)
    assert response.status_code == 201
    for page in (response.content.decode(), client.get(org_share_url(scan)).content.decode()):
        assert label not in page
        assert html.escape(label) in page


# ---- the shared page ----


def test_the_shared_team_report_shows_figures_and_no_personal_data(
    client: Client, ims_version: ModelVersion
) -> None:
    organisation = OrganisationFactory()
    owner = UserFactory(email="olga.owner@example.org")
    MembershipFactory(organisation=organisation, user=owner, role="owner")
    scan, tokens = closed_guided(ims_version, organisation)
    made = share_link_create(scan=scan, created_by=owner)
    response = Client().get(shared_url(made.token))
    assert response.status_code == 200
    assert response["Referrer-Policy"] == "no-referrer"
    page = response.content.decode()
    assert "Shared, read-only report" in page
    assert '<meta name="robots" content="noindex">' in page
    assert 'id="parts-heading"' in page  # the team's figures
    assert "Management" in page  # group names are not personal
    for private in [*RESPONDENT_EMAILS, owner.email, *tokens, str(organisation.public_id)]:
        assert private not in page
    assert "@" not in page
    assert str(scan.public_id) not in page  # no links to the scan's private pages
    assert "/claim" not in page


def test_the_shared_self_scan_report(client: Client, ims_version: ModelVersion) -> None:
    scan, token = self_scan(ims_version)
    made = share_link_create(scan=scan, created_by=None)
    response = Client().get(shared_url(made.token, "nl"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="parts-heading"' in page
    assert token not in page
    assert "/scan/" not in page  # no private scan pages, no claim link
    assert response["Referrer-Policy"] == "no-referrer"


def test_a_claimed_self_scan_is_shared_by_its_organisation(
    client: Client, ims_version: ModelVersion
) -> None:
    scan, token = self_scan(ims_version)
    scan.organisation = OrganisationFactory()
    scan.save(update_fields=["organisation"])
    member(client, scan.organisation)
    response, shared = create(client, org_share_url(scan))
    assert response.status_code == 201
    page = Client().get(shared_url(shared)).content.decode()
    assert 'id="parts-heading"' in page and token not in page


@pytest.mark.parametrize("state", ["expired", "revoked", "unknown"])
def test_a_dead_link_says_it_no_longer_works(
    client: Client, ims_version: ModelVersion, state: str
) -> None:
    scan, _ = closed_guided(ims_version)
    made = share_link_create(scan=scan, created_by=None)
    token = made.token
    if state == "expired":
        ShareLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "revoked":
        ShareLink.objects.update(revoked_at=timezone.now())
    else:
        token = new_token()
    response = client.get(shared_url(token))
    assert response.status_code == 404
    assert GONE in response.content.decode()
    assert response["Referrer-Policy"] == "no-referrer"
    assert ShareLink.objects.get().view_count == 0


def test_views_are_counted(client: Client, ims_version: ModelVersion) -> None:
    scan, _ = closed_guided(ims_version)
    made = share_link_create(scan=scan, created_by=None)
    assert made.link.view_count == 0 and made.link.last_viewed_at is None
    for _ in range(3):
        assert client.get(shared_url(made.token)).status_code == 200
    made.link.refresh_from_db()
    assert made.link.view_count == 3
    assert made.link.last_viewed_at is not None
    member(client, scan.organisation)
    listing = client.get(org_share_url(scan)).content.decode()
    assert ">3 <" in listing or ">3<" in listing


def test_the_shared_page_opens_in_the_links_language(
    client: Client, ims_version: ModelVersion
) -> None:
    scan, _ = closed_guided(ims_version)
    made = share_link_create(scan=scan, created_by=None)
    page = client.get(shared_url(made.token, "nl")).content.decode()
    assert '<html lang="nl"' in page
    assert "Waar het team staat per onderdeel" in page


def test_a_logged_in_visitor_sees_no_account_menu_on_a_shared_page(
    client: Client, ims_version: ModelVersion
) -> None:
    """The page sends no referrer, so its log-out form would fail the CSRF check."""
    scan, _ = closed_guided(ims_version, OrganisationFactory())
    made = share_link_create(scan=scan, created_by=None)
    client.force_login(UserFactory())
    page = client.get(shared_url(made.token)).content.decode()
    assert "imscan-usernav" not in page and "csrfmiddlewaretoken" not in page
    assert 'class="imscan-usernav' in client.get("/en/").content.decode()
