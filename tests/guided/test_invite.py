"""Inviting respondents by e-mail: all addresses checked first, one personal link each."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from imscan.scans import guided
from imscan.scans.models import Respondent, RespondentGroup, Scan
from imscan.scans.tokens import token_hash
from tests.factories import GroupFactory, GuidedScanFactory, respondent_with_token
from tests.guided.helpers import link_in, mail_to


def invite(client: Client, scan: Scan, group: RespondentGroup, addresses: str) -> Any:
    return client.post(
        f"/en/scans/{scan.public_id}/invite/",
        {"invite-group": str(group.pk), "invite-addresses": addresses},
    )


def test_each_address_gets_a_personal_link_by_e_mail(
    owner_client: Client, scan: Scan, management: RespondentGroup
) -> None:
    response = invite(
        owner_client, scan, management, "an@example.org, Bo@Example.org\n\n cy@example.org ;"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/en/scans/{scan.public_id}/"
    invited = Respondent.objects.filter(scan=scan).order_by("email")
    assert [r.email for r in invited] == ["an@example.org", "bo@example.org", "cy@example.org"]
    assert all(r.group == management and r.invited_at is not None for r in invited)
    assert len(mail.outbox) == 3
    message = mail_to("bo@example.org")
    path = link_in(message.body)
    assert path.startswith("/nl/scan/")  # the scan's language, not the inviter's
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert Respondent.objects.get(email="bo@example.org").token_hash == token_hash(token)
    assert not Respondent.objects.filter(token_hash=token).exists()  # only the hash is stored
    assert "Innovatiescan 2026" in message.subject
    assert scan.organisation is not None and scan.organisation.name in message.body
    assert "Management" in message.body
    page = Client().get(path)
    assert page.status_code == 200
    html = page.content.decode()
    assert scan.organisation.name in html and "Innovatiescan 2026" in html
    assert "Management" in html
    follow = owner_client.get(response["Location"]).content.decode()
    assert "3 people have been invited" in follow


def test_the_e_mail_is_in_the_scans_language(
    owner_client: Client, scan: Scan, management: RespondentGroup
) -> None:
    scan.language = "en"
    scan.closes_at = timezone.now() + datetime.timedelta(days=7)
    scan.save()
    invite(owner_client, scan, management, "an@example.org")
    message = mail.outbox[0]
    assert message.subject == "Invitation: Innovatiescan 2026"
    assert "Your personal link" in message.body
    assert "You can answer until" in message.body
    assert link_in(message.body).startswith("/en/scan/")
    assert "\n\n\n" not in message.body


@pytest.mark.parametrize(
    ("addresses", "messages"),
    [
        (
            "an@example.org\nnot-an-address\nbo@example.org, cy@\n",
            [
                "Line 2: “not-an-address” is not a valid e-mail address.",
                "Line 3: “cy@” is not a valid e-mail address.",
            ],
        ),
        (
            "an@example.org\nbo@example.org\nAN@example.org",
            ["These addresses are in the list more than once: an@example.org."],
        ),
        ("", ["This field is required."]),
        (",;", ["Give at least one e-mail address."]),
    ],
)
def test_bad_addresses_are_named_and_nothing_is_sent(
    owner_client: Client,
    scan: Scan,
    management: RespondentGroup,
    addresses: str,
    messages: list[str],
) -> None:
    response = invite(owner_client, scan, management, addresses)
    assert response.status_code == 400
    page = response.content.decode()
    for message in messages:
        assert message in page
    assert addresses.strip().split("\n")[0] in page  # the typed list is kept
    assert Respondent.objects.count() == 0
    assert mail.outbox == []


def test_addresses_already_invited_are_named_and_nothing_is_sent(
    owner_client: Client, scan: Scan, management: RespondentGroup, staff: RespondentGroup
) -> None:
    invite(owner_client, scan, management, "an@example.org\nbo@example.org")
    mail.outbox.clear()
    response = invite(owner_client, scan, staff, "cy@example.org\nBO@example.org")
    assert response.status_code == 400
    page = response.content.decode()
    assert "This address has already been invited to this scan: bo@example.org." in page
    assert "cy@example.org" in page  # kept in the form
    assert Respondent.objects.count() == 2
    assert mail.outbox == []


def test_at_most_500_addresses_at_once(
    owner_client: Client, scan: Scan, management: RespondentGroup
) -> None:
    addresses = "\n".join(f"person{n}@example.org" for n in range(501))
    response = invite(owner_client, scan, management, addresses)
    assert response.status_code == 400
    assert "at most 500 addresses at once; this list has 501" in response.content.decode()
    assert Respondent.objects.count() == 0


def test_a_closed_scan_invites_nobody(
    owner_client: Client, scan: Scan, management: RespondentGroup
) -> None:
    scan.closed_at = timezone.now()
    scan.save()
    response = invite(owner_client, scan, management, "an@example.org")
    assert response.status_code == 409
    assert "This scan is closed" in response.content.decode()
    assert Respondent.objects.count() == 0
    assert mail.outbox == []


def test_a_group_of_another_scan_cannot_be_chosen(
    owner_client: Client, scan: Scan, ims_version: object
) -> None:
    other = GroupFactory(scan=GuidedScanFactory(model_version=ims_version))
    response = invite(owner_client, scan, other, "an@example.org")
    assert response.status_code == 400
    assert Respondent.objects.count() == 0


def test_the_service_checks_everything_itself(scan: Scan, management: RespondentGroup) -> None:
    respondent_with_token(scan, management, email="an@example.org", finished=False)
    refusals = [
        (["bo@example.org", "BO@example.org"], "more than once"),
        (["An@example.org", "cy@example.org"], "already been invited"),
        ([], "at least one"),
    ]
    for addresses, message in refusals:
        with pytest.raises(guided.GuidedScanError, match=message):
            guided.respondents_invite(
                scan=scan, group=management, addresses=addresses, base_url="http://testserver/"
            )
    other_group = GroupFactory(scan=GuidedScanFactory(model_version=scan.model_version))
    with pytest.raises(guided.GuidedScanError):
        guided.respondents_invite(
            scan=scan, group=other_group, addresses=["x@example.org"], base_url="http://t/"
        )
    assert Respondent.objects.filter(scan=scan).count() == 1
    assert mail.outbox == []
