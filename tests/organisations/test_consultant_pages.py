"""Consultants through the web pages: profile, directory, engagement, staff verification."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from imscan.organisations.models import ConsultantProfile, Engagement, Membership
from tests.factories import EngagementFactory, OrganisationFactory, UserFactory
from tests.organisations.helpers import (
    consultant,
    link_in,
    member,
    owner,
    snapshot,
    staff,
    with_two_factor,
)

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


PROFILE = {
    "display_name": "Anna de Vries",
    "firm": "Vries Advies",
    "region": "Utrecht",
    "bio": "Twintig jaar bij de overheid.",
    "certifying_body": "Stichting Innovatiecertificering",
    "certificate_number": "IMS-00042",
    "valid_until": NEXT_YEAR.isoformat(),
    "listed": "on",
}


# ---- profile ----


def test_the_profile_form_says_two_factor_becomes_required(client: Client) -> None:
    client.force_login(UserFactory())
    assert "Two-factor authentication becomes required." in page(
        client.get("/en/consultant/profile/")
    )
    assert "Tweestapsverificatie wordt verplicht." in page(client.get("/nl/consultant/profile/"))


def test_creating_a_profile_awaits_verification_and_requires_two_factor(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/consultant/profile/", PROFILE)
    assert response["Location"] == "/en/consultant/profile/"
    profile = ConsultantProfile.objects.get(user=user)
    assert profile.verified_at is None and profile.listed
    # the middleware now sends them to set up an authenticator app first
    assert client.get("/en/consultant/profile/")["Location"].startswith("/en/accounts/2fa/")
    with_two_factor(user)
    html = page(client.get("/en/consultant/profile/"))
    assert "Certificate awaiting verification by the programme staff" in html


def test_the_profile_shows_certified_until_and_expired(client: Client) -> None:
    profile = consultant(valid_until=datetime.date(2031, 3, 1))
    client.force_login(profile.user)
    assert "Gecertificeerd tot 1 maart 2031" in page(client.get("/nl/consultant/profile/"))
    profile.valid_until = datetime.date(2024, 3, 1)
    profile.save()
    html = page(client.get("/nl/consultant/profile/"))
    assert "Certificaat verlopen op 1 maart 2024" in html


def test_changing_the_certificate_asks_for_verification_again(client: Client) -> None:
    profile = consultant()
    client.force_login(profile.user)
    data = {**PROFILE, "certificate_number": "IMS-99999"}
    response = client.post("/en/consultant/profile/", data, follow=True)
    assert response.redirect_chain == [("/en/consultant/profile/", 302)], page(response)
    assert "the programme staff will verify it again" in page(response)
    profile.refresh_from_db()
    assert profile.verified_at is None


def test_a_past_date_is_refused_with_the_input_kept(client: Client) -> None:
    client.force_login(UserFactory())
    data = {**PROFILE, "valid_until": "2020-01-01"}
    response = client.post("/nl/consultant/profile/", data)
    assert response.status_code == 400
    html = page(response)
    assert "Deze datum is al voorbij." in html
    assert 'value="Anna de Vries"' in html and 'value="2020-01-01"' in html
    assert ConsultantProfile.objects.count() == 0


# ---- directory ----


def test_the_directory_shows_listed_consultants_with_a_current_verified_certificate(
    client: Client,
) -> None:
    shown = consultant(display_name="Anna de Vries", valid_until=datetime.date(2031, 3, 1))
    consultant(display_name="Not listed", listed=False)
    consultant(display_name="Not verified", verified_at=None)
    consultant(display_name="Expired", valid_until=datetime.date(2020, 1, 1))
    html = page(client.get("/nl/consultants/"))
    assert "Anna de Vries" in html
    assert "certificaat geldig tot 1 maart 2031" in html
    for hidden in ("Not listed", "Not verified", "Expired"):
        assert hidden not in html
    assert f'href="/nl/consultants/{shown.pk}/"' in html


def test_the_directory_searches_by_name_firm_and_region(client: Client) -> None:
    consultant(display_name="Anna de Vries", region="Utrecht", firm="")
    consultant(display_name="Bart Jansen", region="Groningen", firm="Noord Advies")
    by_region = page(client.get("/en/consultants/", {"q": "utrecht"}))
    assert "Anna de Vries" in by_region and "Bart Jansen" not in by_region
    assert "One consultant found for “utrecht”." in by_region
    by_firm = page(client.get("/en/consultants/", {"q": "noord"}))
    assert "Bart Jansen" in by_firm and "Anna de Vries" not in by_firm
    both_words = page(client.get("/nl/consultants/", {"q": "bart groningen"}))
    assert "Bart Jansen" in both_words and "Eén adviseur gevonden" in both_words
    nothing = page(client.get("/nl/consultants/", {"q": "zeeland"}))
    assert "0 adviseurs gevonden voor “zeeland”." in nothing
    assert 'value="zeeland"' in nothing


def test_a_consultant_page_only_for_a_directory_entry(client: Client) -> None:
    listed = consultant(bio="Twintig jaar bij de overheid.")
    hidden = consultant(listed=False)
    html = page(client.get(f"/en/consultants/{listed.pk}/"))
    assert "Twintig jaar bij de overheid." in html and listed.certificate_number in html
    assert "Owners of an organisation can engage this consultant after logging in." in html
    assert client.get(f"/en/consultants/{hidden.pk}/").status_code == 404


def test_owners_get_an_engage_button_per_organisation(client: Client) -> None:
    listed = consultant()
    mine = owner(OrganisationFactory(name="Gemeente Zeist"))
    Membership.objects.create(
        organisation=OrganisationFactory(name="Only a member here"), user=mine.user
    )
    client.force_login(mine.user)
    html = page(client.get(f"/nl/consultants/{listed.pk}/"))
    assert "Inschakelen voor Gemeente Zeist" in html
    assert f'action="/nl/organisations/{mine.organisation.public_id}/consultants/"' in html
    assert "Only a member here" not in html


# ---- engagement ----


def test_engaging_from_the_directory_and_accepting(client: Client) -> None:
    listed = consultant(display_name="Anna de Vries")
    mine = owner(OrganisationFactory(name="Gemeente Zeist"))
    client.force_login(mine.user)
    url = f"/nl/organisations/{mine.organisation.public_id}/consultants/"
    response = client.post(url, {"consultant": listed.pk})
    assert response["Location"] == url
    engagement = Engagement.objects.get()
    assert engagement.accepted_at is None and engagement.invited_by == mine.user
    assert "Anna de Vries is uitgenodigd." in page(client.get(url))
    invitation = mail.outbox[-1]
    assert invitation.to == [listed.user.email]
    assert "Gemeente Zeist vraagt u hun scans te begeleiden" in invitation.subject
    dashboard = link_in(invitation)
    assert dashboard == "/nl/dashboard/"
    # not yet accepted: no access
    client.force_login(listed.user)
    assert client.get(f"/nl/organisations/{mine.organisation.public_id}/").status_code == 404
    html = page(client.get(dashboard))
    assert "Gemeente Zeist heeft u op" in html
    accepted = client.post(f"/nl/consultant/engagements/{engagement.pk}/", {"decision": "accept"})
    assert accepted["Location"] == f"/nl/organisations/{mine.organisation.public_id}/"
    assert client.get(accepted["Location"]).status_code == 200
    answer = mail.outbox[-1]
    assert answer.to == [mine.user.email]
    assert "Anna de Vries heeft uw uitnodiging geaccepteerd" in answer.subject
    assert link_in(answer) == url


def test_engaging_by_email_address(client: Client) -> None:
    known = consultant(display_name="Bart Jansen")
    mine = owner()
    client.force_login(mine.user)
    url = f"/en/organisations/{mine.organisation.public_id}/consultants/"
    client.post(url, {"email": known.user.email.upper()})
    assert Engagement.objects.get().consultant == known


@pytest.mark.parametrize(
    ("lang", "setup", "message"),
    [
        ("en", "unknown", "There is no consultant with the e-mail address"),
        ("nl", "unknown", "Er is geen adviseur met het e-mailadres"),
        ("en", "expired", "expired on 1 January 2020, so they cannot be engaged"),
        ("nl", "expired", "is verlopen op 1 januari 2020"),
        ("en", "unverified", "has not been verified yet by the programme staff"),
        ("en", "engaged", "is already engaged by this organisation"),
        ("nl", "invited", "is al uitgenodigd en heeft nog niet gereageerd"),
    ],
)
def test_engaging_refusals_keep_the_input(
    client: Client, lang: str, setup: str, message: str
) -> None:
    mine = owner()
    email = "someone@example.org"
    if setup == "expired":
        email = consultant(valid_until=datetime.date(2020, 1, 1)).user.email
    elif setup == "unverified":
        email = consultant(verified_at=None).user.email
    elif setup in {"engaged", "invited"}:
        engagement = EngagementFactory(organisation=mine.organisation, consultant=consultant())
        if setup == "invited":
            engagement.accepted_at = None
            engagement.save()
        email = engagement.consultant.user.email
    client.force_login(mine.user)
    before = snapshot()
    response = client.post(
        f"/{lang}/organisations/{mine.organisation.public_id}/consultants/", {"email": email}
    )
    assert response.status_code == 409
    html = page(response)
    assert message in html
    assert f'value="{email}"' in html
    assert snapshot() == before


def test_members_cannot_engage_or_revoke(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    engagement = EngagementFactory(organisation=mine.organisation)
    client.force_login(colleague.user)
    base = f"/en/organisations/{mine.organisation.public_id}/consultants/"
    assert client.get(base).status_code == 404
    assert client.post(base, {"consultant": consultant().pk}).status_code == 404
    assert client.post(f"{base}{engagement.pk}/revoke/").status_code == 404
    assert Engagement.objects.filter(ended_at__isnull=True).count() == 1


def test_revoking_ends_access_immediately(client: Client) -> None:
    engagement = EngagementFactory(consultant=consultant(display_name="Anna de Vries"))
    mine = owner(engagement.organisation)
    org_page = f"/en/organisations/{engagement.organisation.public_id}/"
    consultant_client = Client()
    consultant_client.force_login(engagement.consultant.user)
    assert consultant_client.get(org_page).status_code == 200
    client.force_login(mine.user)
    response = client.post(f"{org_page}consultants/{engagement.pk}/revoke/")
    assert response["Location"] == f"{org_page}consultants/"
    assert "The engagement of Anna de Vries has ended." in page(client.get(response["Location"]))
    assert consultant_client.get(org_page).status_code == 404
    assert mail.outbox[-1].to == [engagement.consultant.user.email]
    again = client.post(f"{org_page}consultants/{engagement.pk}/revoke/")
    assert again.status_code == 409 and "already ended" in page(again)


def test_declining_and_answering_twice(client: Client) -> None:
    engagement = EngagementFactory(consultant=consultant(), accepted_at=None)
    owner(engagement.organisation)
    client.force_login(engagement.consultant.user)
    url = f"/en/consultant/engagements/{engagement.pk}/"
    assert client.post(url, {"decision": "maybe"}).status_code == 400
    assert client.post(url, {"decision": "decline"})["Location"] == "/en/dashboard/"
    engagement.refresh_from_db()
    assert engagement.ended_at is not None and engagement.accepted_at is None
    again = client.post(url, {"decision": "accept"})
    assert again.status_code == 409
    assert "You have already answered this invitation" in page(again)


def test_only_the_consultant_can_answer(client: Client) -> None:
    engagement = EngagementFactory(consultant=consultant(), accepted_at=None)
    mine = owner(engagement.organisation)
    client.force_login(mine.user)
    url = f"/en/consultant/engagements/{engagement.pk}/"
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert Engagement.objects.get().accepted_at is None


def test_the_dashboard_shows_the_consultant_status_and_engagements(client: Client) -> None:
    profile = consultant(valid_until=datetime.date(2031, 3, 1))
    EngagementFactory(consultant=profile, organisation=OrganisationFactory(name="Gemeente Zeist"))
    EngagementFactory(
        consultant=profile,
        organisation=OrganisationFactory(name="Provincie Gelderland"),
        accepted_at=None,
    )
    EngagementFactory(
        consultant=profile,
        organisation=OrganisationFactory(name="Ended one"),
        ended_at=timezone.now(),
    )
    client.force_login(profile.user)
    html = page(client.get("/en/dashboard/"))
    assert "Certified until 1 March 2031" in html
    assert "Provincie Gelderland asked you on" in html
    assert 'name="decision" value="accept"' in html
    assert "Gemeente Zeist</a>" in html
    assert "Ended one" not in html


# ---- programme staff ----


def test_staff_verify_a_certificate(client: Client) -> None:
    waiting = consultant(display_name="Anna de Vries", verified_at=None)
    checked = consultant(display_name="Bart Jansen")
    checker = staff()
    client.force_login(checker)
    html = page(client.get("/nl/staff/consultants/"))
    awaiting, verified = html.split('id="verified-heading"')
    assert "Anna de Vries" in awaiting and "Bart Jansen" in verified
    response = client.post(f"/nl/staff/consultants/{waiting.pk}/verify/", {"action": "verify"})
    assert response["Location"] == "/nl/staff/consultants/"
    waiting.refresh_from_db()
    assert waiting.is_certified and waiting.verified_by == checker
    assert "Het certificaat van Anna de Vries is goedgekeurd." in page(
        client.get("/nl/staff/consultants/")
    )
    client.post(f"/nl/staff/consultants/{checked.pk}/verify/", {"action": "revoke"})
    checked.refresh_from_db()
    assert checked.verified_at is None


def test_staff_cannot_verify_an_expired_certificate(client: Client) -> None:
    expired = consultant(verified_at=None, valid_until=datetime.date(2020, 1, 1))
    client.force_login(staff())
    html = page(client.get("/en/staff/consultants/"))
    assert "expired on 1 January 2020" in html
    response = client.post(f"/en/staff/consultants/{expired.pk}/verify/", {"action": "verify"})
    assert response.status_code == 409
    assert "an expired certificate cannot be verified" in page(response)
    expired.refresh_from_db()
    assert expired.verified_at is None


def test_only_staff_see_the_verification_pages(client: Client) -> None:
    waiting = consultant(verified_at=None)
    assert client.get("/en/staff/consultants/")["Location"].startswith("/en/accounts/login/")
    client.force_login(waiting.user)
    assert client.get("/en/staff/consultants/").status_code == 404
    assert client.post(f"/en/staff/consultants/{waiting.pk}/verify/").status_code == 404
    waiting.refresh_from_db()
    assert waiting.verified_at is None
    client.force_login(staff())
    assert "Verify consultants" in page(client.get("/en/dashboard/"))


def test_engaging_without_an_address_explains(client: Client) -> None:
    mine = owner()
    client.force_login(mine.user)
    url = f"/en/organisations/{mine.organisation.public_id}/consultants/"
    response = client.post(url, {})
    assert response.status_code == 400
    assert "This field is required." in page(response)
    assert client.post(url, {"consultant": "12345"}).status_code == 404
    assert Engagement.objects.count() == 0
