"""The impact follow-up: due N months after a finished scan (per model), sent by
`imscan send_followups` at most once per scan, and answered through its link."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.services import shipped_models_load
from imscan.insights.followups import (
    ANSWER_DAYS,
    SKIP_NEWER,
    SKIP_OFF,
    add_months,
    followups_send,
)
from imscan.insights.models import FollowUp, FollowUpAnswer, Participation
from imscan.insights.services import participation_update
from imscan.organisations.models import Membership
from tests.factories import MembershipFactory
from tests.insights.helpers import guided_scan

pytestmark = pytest.mark.django_db

SITE = "https://imscan.example.nl"


@pytest.fixture
def version() -> ModelVersion:
    """Every shipped model stored, the survey included; the IMS model's version."""
    outcomes = shipped_models_load()
    return next(o.version for o in outcomes if o.version.model_id == "ims-gov")


def owned(email: str = "owner@example.org") -> Membership:
    membership = MembershipFactory(role=Membership.Role.OWNER, user__email=email)
    return membership


def months_ago(months: int, days: int = 1) -> datetime.datetime:
    return add_months(timezone.now(), -months) - datetime.timedelta(days=days)


def test_add_months_keeps_the_day_or_takes_the_last() -> None:
    moment = datetime.datetime(2026, 8, 31, 12, tzinfo=datetime.UTC)
    assert add_months(moment, 6) == datetime.datetime(2027, 2, 28, 12, tzinfo=datetime.UTC)
    assert add_months(moment, -8) == datetime.datetime(2025, 12, 31, 12, tzinfo=datetime.UTC)


def test_running_twice_sends_one_mail(version: ModelVersion) -> None:
    membership = owned()
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    call_command("send_followups", site_url=SITE, verbosity=0)
    call_command("send_followups", site_url=SITE, verbosity=0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["owner@example.org"]
    assert f"{SITE}/nl/followup/" in message.body  # the scan's language
    assert FollowUp.objects.get().status == FollowUp.Status.SENT


def test_not_before_it_is_due_and_not_long_after(version: ModelVersion) -> None:
    membership = owned()
    organisation = membership.organisation
    guided_scan(organisation, version, [3, 3, 3], closed_at=months_ago(5))
    assert followups_send(site_url=SITE).sent == 0
    late = guided_scan(organisation, version, [3, 3, 3], closed_at=months_ago(9))
    assert followups_send(site_url=SITE).sent == 0
    assert not FollowUp.objects.filter(scan=late).exists()
    assert mail.outbox == []


@override_settings(IMSCAN_FOLLOWUP_MONTHS_BY_MODEL={"ims-gov": 3})
def test_the_months_are_set_per_model(version: ModelVersion) -> None:
    membership = owned()
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(3))
    assert followups_send(site_url=SITE).sent == 1


@override_settings(IMSCAN_FOLLOWUP_MONTHS_BY_MODEL={"ims-gov": 0})
def test_zero_months_sends_none_for_that_model(version: ModelVersion) -> None:
    membership = owned()
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    assert followups_send(site_url=SITE).sent == 0


def test_one_invitation_per_organisation_for_its_newest_scan(version: ModelVersion) -> None:
    membership = owned()
    older = guided_scan(membership.organisation, version, [3] * 3, closed_at=months_ago(6, 20))
    newer = guided_scan(membership.organisation, version, [3] * 3, closed_at=months_ago(6, 2))
    run = followups_send(site_url=SITE)
    assert run.sent == 1 and run.skipped == {SKIP_NEWER: 1}
    assert FollowUp.objects.get(scan=newer).status == FollowUp.Status.SENT
    assert FollowUp.objects.get(scan=older).status == FollowUp.Status.SKIPPED
    assert len(mail.outbox) == 1


def test_an_organisation_that_switched_them_off_is_never_asked(version: ModelVersion) -> None:
    membership = owned()
    organisation = membership.organisation
    participation_update(organisation=organisation, followups=False)
    guided_scan(organisation, version, [3, 3, 3], closed_at=months_ago(6))
    assert followups_send(site_url=SITE).skipped == {SKIP_OFF: 1}
    participation_update(organisation=organisation, followups=True)
    assert followups_send(site_url=SITE).sent == 0  # skipped stays skipped
    assert mail.outbox == []


def test_the_contact_address_comes_first(version: ModelVersion) -> None:
    membership = owned()
    participation_update(organisation=membership.organisation, contact_email="Team@Org.example")
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    followups_send(site_url=SITE)
    assert mail.outbox[0].to == ["team@org.example"]


def test_a_failed_send_is_tried_again_once(version: ModelVersion, settings: Any) -> None:
    membership = owned()
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    settings.EMAIL_BACKEND = "tests.insights.test_followups.FailingBackend"
    assert followups_send(site_url=SITE).failed == 1
    assert FollowUp.objects.get().status == FollowUp.Status.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert followups_send(site_url=SITE).sent == 1
    assert followups_send(site_url=SITE).sent == 0
    assert len(mail.outbox) == 1


class FailingBackend:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: list[Any]) -> int:
        raise ConnectionRefusedError("the SMTP server is down")


def _link(version: ModelVersion) -> str:
    membership = owned()
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    followups_send(site_url="")
    found = re.search(r"(/nl/followup/[A-Za-z0-9_-]+/)", mail.outbox[0].body)
    assert found
    return found.group(1)


def test_answering_the_survey(version: ModelVersion) -> None:
    link = _link(version)
    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    assert "Wij hebben de inzichten uit de scan gedeeld met de top" in page.content.decode()
    response = client.post(link, {"s-sharing-management": "1", "s-ecosystem-wider": "na"})
    assert response.status_code == 302
    followup = FollowUp.objects.get()
    assert followup.answered_at is not None
    assert dict(FollowUpAnswer.objects.values_list("statement_id", "value")) == {
        "sharing-management": 1.0,
        "ecosystem-wider": None,
    }
    again = client.get(link).content.decode()
    assert 'value="1" checked' in again


def test_a_bad_answer_changes_nothing(version: ModelVersion) -> None:
    link = _link(version)
    client = Client()
    client.post(link, {"s-sharing-management": "1"})
    response = client.post(link, {"s-sharing-management": "0", "s-no-such-statement": "1"})
    assert response.status_code == 400
    assert FollowUpAnswer.objects.get().value == 1.0
    assert client.post(link, {}).status_code == 400  # nothing answered


def test_the_survey_closes_after_its_days(version: ModelVersion) -> None:
    link = _link(version)
    FollowUp.objects.update(sent_at=timezone.now() - datetime.timedelta(days=ANSWER_DAYS + 1))
    client = Client()
    assert "This survey closed" in client.get(link.replace("/nl/", "/en/")).content.decode()
    assert client.post(link, {"s-sharing-management": "1"}).status_code == 409
    assert not FollowUpAnswer.objects.exists()


def test_an_unknown_link_is_not_found(version: ModelVersion) -> None:
    assert Client().get("/nl/followup/" + "x" * 43 + "/").status_code == 404


def test_the_survey_is_not_offered_as_a_scan(version: ModelVersion) -> None:
    client = Client()
    home = client.get("/nl/").content.decode()
    assert 'value="ims-gov"' in home and 'value="impact-followup"' not in home
    assert client.post("/nl/scan/start/", {"model": "impact-followup"}).status_code == 400


def test_participation_withdrawal_is_checked(version: ModelVersion) -> None:
    membership = owned()
    participation_update(
        organisation=membership.organisation, benchmark=Participation.Benchmark.NONE
    )
    guided_scan(membership.organisation, version, [3, 3, 3], closed_at=months_ago(6))
    # Leaving the benchmark does not stop the follow-up: they are separate choices.
    assert followups_send(site_url=SITE).sent == 1


def test_the_project_status_scan_gets_no_follow_up_by_default(version: ModelVersion) -> None:
    status = ModelVersion.objects.get(model_id="project-status")
    membership = owned()
    guided_scan(membership.organisation, status, [0.5, 0.5, 0.5], closed_at=months_ago(6))
    assert followups_send(site_url=SITE).sent == 0
