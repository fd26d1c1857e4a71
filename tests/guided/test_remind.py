"""Reminders: a new personal link for everyone invited who has not finished, at most once a day."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from imscan.scans import guided
from imscan.scans.models import Answer, Respondent, RespondentGroup, Scan
from imscan.scans.tokens import token_hash
from tests.factories import respondent_with_token
from tests.guided.helpers import link_in, mail_to


def remind(client: Client, scan: Scan, group: RespondentGroup | None = None) -> Any:
    return client.post(
        f"/en/scans/{scan.public_id}/remind/", {"remind-group": str(group.pk) if group else ""}
    )


@pytest.fixture
def people(scan: Scan, management: RespondentGroup, staff: RespondentGroup) -> dict[str, str]:
    """Tokens of: two unfinished invitees (one with an answer), one finished, one by link."""
    tokens = {}
    _, tokens["an"] = respondent_with_token(
        scan, management, {"culture-1": 4.0}, finished=False, email="an@example.org"
    )
    _, tokens["bo"] = respondent_with_token(scan, staff, finished=False, email="bo@example.org")
    _, tokens["cy"] = respondent_with_token(scan, staff, finished=True, email="cy@example.org")
    _, tokens["link"] = respondent_with_token(scan, staff, finished=False)
    return tokens


def test_unfinished_invitees_get_a_new_link_and_keep_their_answers(
    owner_client: Client, scan: Scan, people: dict[str, str]
) -> None:
    scan.language = "en"
    scan.save()
    response = remind(owner_client, scan)
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["an@example.org", "bo@example.org"]
    message = mail_to("an@example.org")
    assert message.subject == "Reminder: Innovatiescan 2026"
    assert "This link replaces the one in earlier messages: that link no longer works." in (
        message.body
    )
    new = link_in(message.body)
    assert new.startswith("/en/scan/")
    an = Respondent.objects.get(email="an@example.org")
    assert an.reminded_at is not None
    assert an.token_hash != token_hash(people["an"])
    assert Client().get(f"/en/scan/{people['an']}/").status_code == 404  # the old link
    assert Client().get(new).status_code == 200
    assert dict(Answer.objects.filter(respondent=an).values_list("statement_id", "value")) == {
        "culture-1": 4.0
    }
    # finished and anonymous respondents are left alone
    cy = Respondent.objects.get(email="cy@example.org")
    assert cy.reminded_at is None and cy.token_hash == token_hash(people["cy"])
    assert Respondent.objects.get(email="").token_hash == token_hash(people["link"])
    follow = owner_client.get(f"/en/scans/{scan.public_id}/").content.decode()
    assert "2 reminders have been sent" in follow


def test_nobody_is_reminded_twice_within_24_hours(
    owner_client: Client, scan: Scan, people: dict[str, str]
) -> None:
    remind(owner_client, scan)
    hashes = dict(Respondent.objects.values_list("email", "token_hash"))
    mail.outbox.clear()
    response = remind(owner_client, scan)
    assert response.status_code == 302
    assert mail.outbox == []
    assert dict(Respondent.objects.values_list("email", "token_hash")) == hashes
    follow = owner_client.get(f"/en/scans/{scan.public_id}/").content.decode()
    assert "2 people were skipped: they were reminded less than 24 hours ago." in follow
    # a day later they can be reminded again
    Respondent.objects.filter(email="an@example.org").update(
        reminded_at=timezone.now() - datetime.timedelta(hours=25)
    )
    result = guided.respondents_remind(scan=scan, base_url="http://testserver/")
    assert (result.sent, result.skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [["an@example.org"]]


def test_reminders_for_one_group(
    owner_client: Client, scan: Scan, staff: RespondentGroup, people: dict[str, str]
) -> None:
    remind(owner_client, scan, staff)
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]
    assert Respondent.objects.get(email="an@example.org").reminded_at is None


def test_nobody_to_remind_is_said_so(
    owner_client: Client, scan: Scan, management: RespondentGroup
) -> None:
    respondent_with_token(scan, management, finished=True, email="an@example.org")
    remind(owner_client, scan)
    follow = owner_client.get(f"/en/scans/{scan.public_id}/").content.decode()
    assert "Nobody to remind" in follow
    assert mail.outbox == []


def test_a_closed_scan_sends_no_reminders(
    owner_client: Client, scan: Scan, people: dict[str, str]
) -> None:
    scan.closed_at = timezone.now()
    scan.save()
    hashes = dict(Respondent.objects.values_list("email", "token_hash"))
    response = remind(owner_client, scan)
    assert response.status_code == 409
    assert "This scan is closed" in response.content.decode()
    assert mail.outbox == []
    assert dict(Respondent.objects.values_list("email", "token_hash")) == hashes
    assert not Respondent.objects.filter(reminded_at__isnull=False).exists()


def test_a_scan_not_yet_open_sends_no_reminders(
    owner_client: Client, scan: Scan, people: dict[str, str]
) -> None:
    scan.opens_at = timezone.now() + datetime.timedelta(days=1)
    scan.save()
    response = remind(owner_client, scan)
    assert response.status_code == 409
    assert "This scan opens on" in response.content.decode()
    assert mail.outbox == []
    assert not Respondent.objects.filter(reminded_at__isnull=False).exists()
