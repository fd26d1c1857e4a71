"""Organisations through the web pages: dashboard, creating, the organisation page, members,
invitations and leaving, in Dutch and English."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from imscan.catalog.models import ModelVersion
from imscan.organisations.models import Invitation, Membership, Organisation
from imscan.scans.services import self_scan_start
from tests.factories import EngagementFactory, GuidedScanFactory, OrganisationFactory, UserFactory
from tests.organisations.helpers import consultant, expire, invite, link_in, member, owner

pytestmark = pytest.mark.django_db


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def org_url(organisation: Organisation, rest: str = "", lang: str = "en") -> str:
    return f"/{lang}/organisations/{organisation.public_id}/{rest}"


# ---- dashboard and creating ----


def test_the_dashboard_needs_a_login(client: Client) -> None:
    response = client.get("/en/dashboard/")
    assert response.status_code == 302
    assert "/accounts/login/?next=/en/dashboard/" in response["Location"]


def test_the_dashboard_lists_my_organisations_with_my_role(client: Client) -> None:
    mine = owner(OrganisationFactory(name="Gemeente Zeist"))
    Membership.objects.create(
        organisation=OrganisationFactory(name="Provincie Utrecht"), user=mine.user
    )
    OrganisationFactory(name="Not mine")
    client.force_login(mine.user)
    english = page(client.get("/en/dashboard/"))
    assert 'Gemeente Zeist</a> <span class="imscan-muted">(owner)' in english
    assert 'Provincie Utrecht</a> <span class="imscan-muted">(member)' in english
    assert "Not mine" not in english
    assert 'href="/en/organisations/new/"' in english
    assert "staff/consultants" not in english
    dutch = page(client.get("/nl/dashboard/"))
    assert "Mijn organisaties" in dutch and "(eigenaar)" in dutch and "(lid)" in dutch
    assert "Organisatie aanmaken" in dutch


def test_creating_an_organisation(client: Client) -> None:
    user = UserFactory()
    client.force_login(user)
    form = page(client.get("/nl/organisations/new/"))
    assert "Soort overheid" in form and "Gemeente" in form and "Nederland" in form
    response = client.post(
        "/nl/organisations/new/",
        {"name": "Gemeente Houten", "kind": "municipal", "size": "100-499", "country": "NL"},
    )
    organisation = Organisation.objects.get()
    assert response["Location"] == f"/nl/organisations/{organisation.public_id}/"
    assert Membership.objects.get().role == "owner"
    shown = page(client.get(response["Location"]))
    assert "Gemeente Houten is aangemaakt. U bent de eigenaar." in shown


def test_creating_without_a_name_keeps_the_input_and_explains(client: Client) -> None:
    client.force_login(UserFactory())
    response = client.post(
        "/en/organisations/new/", {"name": "", "kind": "water-authority", "size": "0-99"}
    )
    assert response.status_code == 400
    assert Organisation.objects.count() == 0
    html = page(response)
    assert "Please correct the fields below" in html
    assert 'value="water-authority" selected' in html


# ---- the organisation page ----


def test_the_organisation_page_lists_its_scans(client: Client, ims_version: ModelVersion) -> None:
    mine = owner()
    guided = GuidedScanFactory(
        organisation=mine.organisation, model_version=ims_version, title="Nulmeting 2026"
    )
    claimed = self_scan_start(version=ims_version, language="nl").scan
    claimed.organisation = mine.organisation
    claimed.save()
    GuidedScanFactory(model_version=ims_version, title="Someone else's")
    client.force_login(mine.user)
    html = page(client.get(org_url(mine.organisation)))
    assert "Nulmeting 2026" in html and "Someone else" not in html
    assert "Innovation Maturity Scan for government" in html
    assert f'href="{org_url(mine.organisation, "scans/new/")}"' in html
    assert f'href="{org_url(mine.organisation, "progress/")}"' in html
    assert f'href="/en/scans/{guided.public_id}/"' in html  # manage the guided scan
    assert f'href="/en/scans/{guided.public_id}/results/"' in html
    assert f'href="/en/scans/{claimed.public_id}/results/"' in html
    assert f'href="/en/scans/{claimed.public_id}/"' not in html  # a self-scan is not run
    assert ">Self-scan</th>" in html  # an untitled self-scan is called what it is
    assert html.count("imscan-status--open") == 2


def test_scan_status_closed_and_finished(client: Client, ims_version: ModelVersion) -> None:
    from django.utils import timezone

    from tests.factories import respondent_with_token

    mine = owner()
    GuidedScanFactory(
        organisation=mine.organisation, model_version=ims_version, closed_at=timezone.now()
    )
    started = self_scan_start(version=ims_version, language="nl")
    started.scan.organisation = mine.organisation
    started.scan.save()
    started.respondent.finished_at = timezone.now()
    started.respondent.save()
    respondent_with_token(started.scan, finished=False)  # counts as 1/2 finished
    client.force_login(mine.user)
    html = page(client.get(org_url(mine.organisation, lang="nl")))
    assert 'imscan-status--closed">gesloten' in html
    assert 'imscan-status--finished">afgerond' in html


def test_owners_see_the_management_buttons_members_do_not(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    invite(mine.organisation, "new@example.org", by=mine.user)
    client.force_login(mine.user)
    as_owner = page(client.get(org_url(mine.organisation)))
    assert "Invite a colleague" in as_owner and "Change the details" in as_owner
    assert f"members/{colleague.pk}/remove/" in as_owner
    assert f"members/{colleague.pk}/role/" in as_owner
    assert "new@example.org" in as_owner and "Send again" in as_owner
    # the only owner cannot be demoted or removed: no button, an explanation
    assert f"members/{mine.pk}/role/" not in as_owner
    assert "The only owner" in as_owner
    client.force_login(colleague.user)
    as_member = page(client.get(org_url(mine.organisation)))
    assert mine.user.email in as_member
    assert "Invite a colleague" not in as_member and "Change the details" not in as_member
    assert "/remove/" not in as_member and "/role/" not in as_member
    assert "New guided scan" in as_member
    assert f"{mine.organisation.public_id}/leave/" in as_member


def test_an_engaged_consultant_sees_the_page_without_management(client: Client) -> None:
    engagement = EngagementFactory(consultant=consultant())
    client.force_login(engagement.consultant.user)
    html = page(client.get(org_url(engagement.organisation)))
    assert engagement.organisation.name in html
    assert "Invite a colleague" not in html


def test_others_get_a_404_and_visitors_the_login(client: Client) -> None:
    organisation = OrganisationFactory()
    assert client.get(org_url(organisation))["Location"].startswith("/en/accounts/login/")
    client.force_login(UserFactory())
    assert client.get(org_url(organisation)).status_code == 404


def test_editing_the_details(client: Client) -> None:
    mine = owner()
    client.force_login(mine.user)
    response = client.post(
        org_url(mine.organisation, "edit/"),
        {
            "name": "Waterschap Vallei",
            "kind": "water-authority",
            "size": "500-999",
            "country": "NL",
        },
    )
    assert response.status_code == 302
    mine.organisation.refresh_from_db()
    assert mine.organisation.name == "Waterschap Vallei"
    colleague = member(mine.organisation)
    client.force_login(colleague.user)
    assert client.get(org_url(mine.organisation, "edit/")).status_code == 404


# ---- invitations ----


def test_inviting_sends_an_email_whose_link_lets_the_invitee_join(client: Client) -> None:
    mine = owner(OrganisationFactory(name="Gemeente Zeist"))
    client.force_login(mine.user)
    response = client.post(
        org_url(mine.organisation, "invite/", lang="nl"),
        {"email": "Nieuw@Example.org", "role": "owner"},
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["Nieuw@Example.org"]
    assert "Gemeente Zeist" in message.subject
    assert "Uitnodiging om lid te worden" in message.subject  # the inviter's language
    link = link_in(message)
    assert link.startswith("/nl/invitations/")
    invitee = UserFactory(email="nieuw@example.org")
    client.force_login(invitee)
    shown = page(client.get(link))
    assert "Lid worden van Gemeente Zeist" in shown
    joined = client.post(link)
    assert joined["Location"] == org_url(mine.organisation, lang="nl")
    assert Membership.objects.get(user=invitee).role == "owner"
    again = client.post(link)
    assert again.status_code == 409
    assert Membership.objects.filter(user=invitee).count() == 1


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "is already a member of this organisation"),
        ("nl", "is al lid van deze organisatie"),
    ],
)
def test_inviting_a_member_is_refused_with_the_input_kept(
    client: Client, lang: str, message: str
) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    client.force_login(mine.user)
    response = client.post(
        org_url(mine.organisation, "invite/", lang=lang),
        {"email": colleague.user.email, "role": "owner"},
    )
    assert response.status_code == 409
    html = page(response)
    assert message in html
    assert f'value="{colleague.user.email}"' in html
    assert 'value="owner" selected' in html
    assert Invitation.objects.count() == 0 and mail.outbox == []


def test_an_open_invitation_is_offered_to_be_sent_again(client: Client) -> None:
    mine = owner()
    first = invite(mine.organisation, "new@example.org", by=mine.user)
    client.force_login(mine.user)
    url = org_url(mine.organisation, "invite/")
    response = client.post(url, {"email": "new@example.org", "role": "member"})
    assert response.status_code == 409
    html = page(response)
    assert "has already been invited and has not answered yet" in html
    assert 'name="resend" value="True"' in html
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1
    resent = client.post(url, {"email": "new@example.org", "role": "member", "resend": "True"})
    assert resent.status_code == 302
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 2
    assert client.get(f"/en/invitations/{first.token}/").status_code == 404  # old link replaced
    assert client.get(link_in(mail.outbox[-1])).status_code == 200


def test_an_invalid_address_is_refused(client: Client) -> None:
    mine = owner()
    client.force_login(mine.user)
    response = client.post(
        org_url(mine.organisation, "invite/"), {"email": "nope", "role": "member"}
    )
    assert response.status_code == 400
    assert "Enter a valid email address" in page(response)
    assert 'value="nope"' in page(response)


def test_members_cannot_invite(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    client.force_login(colleague.user)
    response = client.post(org_url(mine.organisation, "invite/"), {"email": "x@example.org"})
    assert response.status_code == 404
    assert Invitation.objects.count() == 0


def test_withdrawing_an_invitation(client: Client) -> None:
    mine = owner()
    sent = invite(mine.organisation, "new@example.org", by=mine.user)
    client.force_login(mine.user)
    url = org_url(mine.organisation, f"invitations/{sent.invitation.pk}/revoke/")
    assert client.post(url).status_code == 302
    assert Invitation.objects.get().revoked_at is not None
    again = client.post(url)
    assert again.status_code == 409
    assert "withdrawn by the organisation" in page(again)
    shown = page(client.get(f"/en/invitations/{sent.token}/"))
    assert "This invitation has been withdrawn by the organisation." in shown


def test_an_anonymous_visitor_sees_the_invitation_and_is_asked_to_log_in(client: Client) -> None:
    sent = invite(OrganisationFactory(name="Gemeente Zeist"), "new@example.org", role="owner")
    url = f"/nl/invitations/{sent.token}/"
    html = page(client.get(url))
    assert "Lid worden van Gemeente Zeist" in html
    assert "new@example.org" in html and "eigenaar" in html
    assert f'href="/nl/accounts/login/?next=%2Fnl%2Finvitations%2F{sent.token}%2F"' in html
    assert f'href="/nl/accounts/signup/?next=%2Fnl%2Finvitations%2F{sent.token}%2F"' in html
    posted = client.post(url)
    assert posted["Location"].startswith("/nl/accounts/login/?next=")
    assert Membership.objects.count() == 1  # only the inviting owner


def test_someone_else_cannot_accept(client: Client) -> None:
    sent = invite(OrganisationFactory(), "new@example.org")
    other = UserFactory(email="other@example.org")
    client.force_login(other)
    html = page(client.get(f"/en/invitations/{sent.token}/"))
    assert "but you are logged in as other@example.org" in html
    response = client.post(f"/en/invitations/{sent.token}/")
    assert response.status_code == 409
    assert "This invitation is for new@example.org." in page(response)
    assert not Membership.objects.filter(user=other).exists()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "This invitation has expired. Ask the organisation for a new invitation."),
        ("nl", "Deze uitnodiging is verlopen. Vraag de organisatie om een nieuwe uitnodiging."),
    ],
)
def test_an_expired_invitation_explains_itself(client: Client, lang: str, message: str) -> None:
    sent = invite(OrganisationFactory(), "new@example.org")
    expire(sent.invitation)
    invitee = UserFactory(email="new@example.org")
    client.force_login(invitee)
    assert message in page(client.get(f"/{lang}/invitations/{sent.token}/"))
    response = client.post(f"/{lang}/invitations/{sent.token}/")
    assert response.status_code == 409
    assert message in page(response)
    assert not Membership.objects.filter(user=invitee).exists()


def test_an_unknown_invitation_link_is_a_404(client: Client) -> None:
    response = client.get("/nl/invitations/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in page(response)


def test_invitations_on_the_dashboard_can_be_accepted_there(client: Client) -> None:
    organisation = OrganisationFactory(name="Gemeente Zeist")
    sent = invite(organisation, "NEW@example.org")
    invite(OrganisationFactory(name="Not for me"), "other@example.org")
    invitee = UserFactory(email="new@example.org")
    client.force_login(invitee)
    html = page(client.get("/en/dashboard/"))
    assert "Gemeente Zeist invites you" in html and "Not for me" not in html
    response = client.post("/en/dashboard/", {"invitation": sent.invitation.pk})
    assert response["Location"] == org_url(organisation)
    assert Membership.objects.filter(user=invitee, organisation=organisation).exists()
    assert client.post("/en/dashboard/", {"invitation": sent.invitation.pk}).status_code == 404


# ---- members ----


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "An organisation always needs an owner."),
        ("nl", "Een organisatie heeft altijd een eigenaar nodig."),
    ],
)
def test_the_last_owner_cannot_be_demoted_or_removed(
    client: Client, lang: str, message: str
) -> None:
    mine = owner()
    client.force_login(mine.user)
    demote = client.post(
        org_url(mine.organisation, f"members/{mine.pk}/role/", lang), {"role": "member"}
    )
    assert demote.status_code == 409 and message in page(demote)
    remove = client.post(org_url(mine.organisation, f"members/{mine.pk}/remove/", lang))
    assert remove.status_code == 409 and message in page(remove)
    leave = client.post(org_url(mine.organisation, "leave/", lang))
    assert leave.status_code == 409 and message in page(leave)
    assert Membership.objects.get().role == "owner"


def test_owners_change_roles_and_remove_members(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    client.force_login(mine.user)
    promoted = client.post(
        org_url(mine.organisation, f"members/{colleague.pk}/role/"), {"role": "owner"}
    )
    assert promoted.status_code == 302
    assert Membership.objects.get(pk=colleague.pk).role == "owner"
    assert f"{colleague.user.email} is now owner." in page(client.get(promoted["Location"]))
    demoted = client.post(
        org_url(mine.organisation, f"members/{mine.pk}/role/"), {"role": "member"}
    )
    assert demoted["Location"] == org_url(mine.organisation)
    assert Membership.objects.get(pk=mine.pk).role == "member"
    client.force_login(colleague.user)
    client.post(org_url(mine.organisation, f"members/{mine.pk}/remove/"))
    assert list(Membership.objects.all()) == [Membership.objects.get(pk=colleague.pk)]


def test_an_unknown_role_or_someone_elses_membership_is_refused(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    elsewhere = member(OrganisationFactory())
    client.force_login(mine.user)
    bad = client.post(org_url(mine.organisation, f"members/{colleague.pk}/role/"), {"role": "god"})
    assert bad.status_code == 400
    other = client.post(org_url(mine.organisation, f"members/{elsewhere.pk}/remove/"))
    assert other.status_code == 404
    assert Membership.objects.count() == 3


def test_a_member_leaves(client: Client) -> None:
    mine = owner()
    colleague = member(mine.organisation)
    client.force_login(colleague.user)
    response = client.post(org_url(mine.organisation, "leave/", "nl"))
    assert response["Location"] == "/nl/dashboard/"
    assert not Membership.objects.filter(pk=colleague.pk).exists()
    assert "U bent geen lid meer van" in page(client.get("/nl/dashboard/"))
    assert client.get(org_url(mine.organisation)).status_code == 404


def test_an_engaged_consultant_has_no_membership_to_leave(client: Client) -> None:
    engagement = EngagementFactory(consultant=consultant())
    client.force_login(engagement.consultant.user)
    html = page(client.get(org_url(engagement.organisation)))
    assert "/leave/" not in html
    assert client.post(org_url(engagement.organisation, "leave/")).status_code == 404
    engagement.refresh_from_db()
    assert engagement.is_active
