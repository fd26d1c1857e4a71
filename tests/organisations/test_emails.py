"""The e-mails: in the sender's language, with absolute links that work."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from imscan.organisations import services
from tests.factories import EngagementFactory, OrganisationFactory
from tests.organisations.helpers import SITE, consultant, link_in, owner

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "subject", "body"),
    [
        (
            "en",
            "IMS Scan: Invitation to join A & B",
            "invites you to join A & B in IMS Scan as member",
        ),
        ("nl", "IMS Scan: Uitnodiging om lid te worden van A & B", "als lid."),
    ],
)
def test_the_member_invitation(client: Client, language: str, subject: str, body: str) -> None:
    mine = owner(OrganisationFactory(name="A & B"))  # not escaped: a text e-mail
    services.invitation_create(
        organisation=mine.organisation,
        email="new@example.org",
        role="member",
        invited_by=mine.user,
        site_url=SITE,
        language=language,
    )
    message = mail.outbox[-1]
    assert message.subject == subject
    assert body in message.body and "&amp;" not in message.body
    assert mine.user.email in message.body
    link = link_in(message)
    assert link.startswith(f"/{language}/invitations/")
    assert client.get(link).status_code == 200


def test_the_engagement_mails_link_to_the_right_pages(client: Client) -> None:
    profile = consultant(display_name="Anna de Vries")
    mine = owner(OrganisationFactory(name="Gemeente Zeist"))
    engagement = services.engagement_create(
        organisation=mine.organisation,
        consultant=profile,
        invited_by=mine.user,
        site_url=SITE,
        language="en",
    )
    invited = mail.outbox[-1]
    assert invited.subject == "IMS Scan: Gemeente Zeist asks you to guide their scans"
    assert "Dear Anna de Vries," in invited.body
    services.engagement_respond(engagement=engagement, accept=False, site_url=SITE, language="en")
    declined = mail.outbox[-1]
    assert declined.to == [mine.user.email]
    assert declined.subject == "IMS Scan: Anna de Vries has declined your invitation"
    client.force_login(mine.user)
    assert client.get(link_in(declined)).status_code == 200
    client.force_login(profile.user)
    assert client.get(link_in(invited)).status_code == 200


def test_the_consultant_hears_that_the_engagement_ended() -> None:
    engagement = EngagementFactory(
        consultant=consultant(), organisation=OrganisationFactory(name="Gemeente Zeist")
    )
    services.engagement_revoke(engagement=engagement, site_url=SITE, language="nl")
    message = mail.outbox[-1]
    assert message.to == [engagement.consultant.user.email]
    assert message.subject == "IMS Scan: Gemeente Zeist heeft uw inschakeling beëindigd"
    assert link_in(message) == "/nl/dashboard/"


def test_no_mail_when_the_inviter_is_gone() -> None:
    engagement = EngagementFactory(consultant=consultant(), accepted_at=None, invited_by=None)
    services.engagement_respond(engagement=engagement, accept=True, site_url=SITE, language="en")
    assert mail.outbox == []
