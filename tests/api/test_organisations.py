"""An organisation's side: its scans, the respondents' progress (never an answer), the
team result with the anonymity rules of the team results page, exports, claiming a
self-scan. Run with tokens of the world in tests/api/world.py."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.engine import RespondentAnswers, score_many
from imscan.reports import selectors as report_selectors
from imscan.reports import team
from imscan.scans.models import Scan
from tests.api.helpers import Api, error_of
from tests.api.world import World, answers_all, build_world
from tests.factories import GroupFactory, respondent_with_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(ims_version: ModelVersion) -> World:
    return build_world(ims_version)


def test_my_organisations_with_my_roles(api: Api, world: World) -> None:
    for caller, roles in (
        ("owner", ["owner"]),
        ("member", ["member"]),
        ("consultant", ["consultant"]),
    ):
        body = api.get("/organisations", token=world.tokens[caller]).json()
        assert body["count"] == 1
        assert body["items"][0]["id"] == str(world.organisation.public_id)
        assert body["items"][0]["roles"] == roles
    others = api.get("/organisations", token=world.tokens["other_member"]).json()["items"]
    assert [item["name"] for item in others] == ["Provincie Anders"]
    assert api.get("/organisations", token=world.tokens["revoked_consultant"]).json()["count"] == 0


def test_an_organisation_and_its_scans(api: Api, world: World) -> None:
    org = f"/organisations/{world.organisation.public_id}"
    token = world.tokens["member"]
    details = api.get(org, token=token).json()
    assert details["name"] == "Gemeente Voorbeeld" and details["kind"] == "municipal"
    scans = api.get(f"{org}/scans", token=token).json()
    assert scans["count"] == 3
    by_title = {item["title"] or item["kind"]: item for item in scans["items"]}
    assert scans["items"][0]["id"] == str(world.self_scan.public_id)  # the newest first
    assert by_title["Closed"]["status"] == "closed"
    assert (by_title["Closed"]["respondents"], by_title["Closed"]["finished"]) == (6, 5)
    assert by_title["Open"]["status"] == "open"
    assert by_title["self"]["status"] == "finished"
    page = api.get(f"{org}/scans", token=token, limit=2, offset=2).json()
    assert (page["count"], len(page["items"])) == (3, 1)
    one = api.get(f"/scans/{world.closed.public_id}", token=token).json()
    assert one == by_title["Closed"]


def test_progress_counts_people_and_never_shows_an_answer(api: Api, world: World) -> None:
    token = world.tokens["consultant"]
    progress = api.get(f"/scans/{world.closed.public_id}/progress", token=token).json()
    assert (progress["joined"], progress["started"], progress["finished"]) == (6, 5, 5)
    assert progress["percent_finished"] == 83
    staff = next(group for group in progress["groups"] if group["name"] == "Staff")
    assert (staff["joined"], staff["finished"], staff["invited"]) == (2, 1, 1)
    people = api.get(f"/scans/{world.closed.public_id}/respondents", token=token).json()
    assert people["count"] == 1
    assert people["items"][0]["email"] == "late@example.org"
    assert people["items"][0]["status"] == "invited"
    assert people["items"][0]["group"] == "Staff"
    for body in (progress, people):
        text = str(body)
        assert "answers" not in text and "value" not in text


def test_the_team_result_applies_the_anonymity_rules(
    api: Api, world: World, ims_version: ModelVersion
) -> None:
    """Four managers and one person of staff finished, with a threshold of 3: the team's
    figures show; staff is too small, and the managers are hidden as well, or staff's one
    person would be the team minus the managers."""
    body = api.get(f"/scans/{world.closed.public_id}/result", token=world.tokens["member"]).json()
    assert body["final"] is True and body["figures_shown"] is True
    assert (body["threshold"], body["finished"], body["total"]) == (3, 5, 6)
    assert {group["name"]: group["status"] for group in body["groups"]} == {
        "Managers": "protecting",
        "Staff": "too-small",
    }
    assert body["group_results"] == []
    team_answers = [
        RespondentAnswers("", answers_all(ims_version, value)) for value in (2, 3, 4, 5, 1)
    ]
    from imscan.catalog.selectors import engine_model

    # The team's result is `imscan score` of the respondents together (with the spread).
    assert body["result"] == score_many(engine_model(ims_version), team_answers).to_json()
    assert len(body["agenda"]) == 10
    assert body["agenda"][0]["answered"] == 5
    assert sum(count["count"] for count in body["agenda"][0]["counts"]) == 5


def test_groups_large_enough_are_compared(
    api: Api, world: World, ims_version: ModelVersion
) -> None:
    staff = world.closed.groups.get(name="Staff")
    for value in (2.0, 2.0):
        respondent_with_token(world.closed, staff, answers_all(ims_version, value))
    body = api.get(f"/scans/{world.closed.public_id}/result", token=world.tokens["member"]).json()
    assert {group["name"]: group["status"] for group in body["groups"]} == {
        "Managers": "shown",
        "Staff": "shown",
    }
    assert [group["name"] for group in body["group_results"]] == ["Managers", "Staff"]
    assert body["group_results"][1]["result"]["respondents"] == 3


def test_an_open_scan_shows_no_figures_until_it_closes(api: Api, world: World) -> None:
    path = f"/scans/{world.open.public_id}/result"
    token = world.tokens["owner"]
    open_body = api.get(path, token=token).json()
    assert open_body["finished"] == 3 and open_body["final"] is False
    assert open_body["figures_shown"] is False
    assert open_body["result"] is None and open_body["agenda"] == []
    world.open.closed_at = timezone.now()
    world.open.save(update_fields=["closed_at"])
    closed_body = api.get(path, token=token).json()  # the cached body's key has changed
    assert closed_body["figures_shown"] is True
    assert closed_body["result"]["respondents"] == 3
    assert closed_body["groups"] == [{"name": None, "finished": 3, "total": 4, "status": "shown"}]


def test_the_api_and_the_team_results_page_show_the_same(api: Api, world: World) -> None:
    """One decision (reports.team.team_overview) for both: figures or none."""
    client = Client()
    client.force_login(world.users["member"], "django.contrib.auth.backends.ModelBackend")
    for scan in (world.closed, world.open, world.self_scan):
        state = report_selectors.scan_state(scan)
        _model, report = report_selectors.scan_team_report(scan, state)
        shown = team.team_overview(scan, state, report).figures_shown
        body = api.get(f"/scans/{scan.public_id}/result", token=world.tokens["member"]).json()
        assert body["figures_shown"] is shown
        page = client.get(reverse("team-results", kwargs={"scan_id": scan.public_id}))
        assert (b"imscan-radar" in page.content) is shown, scan


def test_a_claimed_self_scan_shows_its_one_result(api: Api, world: World) -> None:
    body = api.get(f"/scans/{world.self_scan.public_id}/result", token=world.tokens["member"])
    assert body.json()["figures_shown"] is True
    assert body.json()["result"]["respondents"] == 1


def test_exports_with_the_rules_of_the_downloads(api: Api, world: World) -> None:
    token = world.tokens["member"]
    closed = f"/scans/{world.closed.public_id}/exports"
    csv = api.get(f"{closed}/answers", token=token, lang="en")
    assert csv.status_code == 200 and csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = api.get(f"{closed}/answers", token=token, format="json").json()["rows"]
    assert len(rows) == 5 * 60
    # Neither group may be named: staff is too small, and naming the managers gives it away.
    assert {row["group"] for row in rows} == {""}
    assert sorted({row["respondent"] for row in rows}) == [1, 2, 3, 4, 5]
    scores = api.get(f"{closed}/scores", token=token, format="json").json()["rows"]
    assert scores[0]["respondents"] == 5 and "standard_deviation" in scores[0]
    xlsx = api.get(f"{closed}/scores", token=token, format="xlsx")
    assert xlsx.content[:2] == b"PK"
    refused = api.get(f"/scans/{world.open.public_id}/exports/answers", token=token)
    assert error_of(refused) == (409, "export_unavailable")
    whole = api.get(f"{closed}/scan", token=token)
    assert error_of(whole) == (409, "export_unavailable")  # command line only
    own = api.get(f"/scans/{world.self_scan.public_id}/exports/scan", token=token)
    assert own.json()["format"] == "imscan-scan"


def test_a_self_scan_is_claimed_by_its_link(api: Api, world: World) -> None:
    org = f"/organisations/{world.organisation.public_id}"
    link = world.links["self"]
    claimed = api.post(f"{org}/claims", {"token": link}, token=world.tokens["member"])
    assert claimed.status_code == 201
    scan = Scan.objects.get(public_id=claimed.json()["id"])
    assert scan.organisation == world.organisation
    assert api.get(f"{org}/scans", token=world.tokens["owner"]).json()["count"] == 4
    again = api.post(f"{org}/claims", {"token": link}, token=world.tokens["owner"])
    assert error_of(again) == (409, "claim_refused")


def test_a_claim_is_refused_for_a_guided_scan_an_unknown_link_or_a_consultant(
    api: Api, world: World
) -> None:
    org = f"/organisations/{world.organisation.public_id}"
    member = world.tokens["member"]
    guided = api.post(f"{org}/claims", {"token": world.links["guided"]}, token=member)
    assert error_of(guided) == (409, "claim_refused")
    unknown = api.post(f"{org}/claims", {"token": "no-such-link"}, token=member)
    assert error_of(unknown) == (422, "validation_error")
    consultant = api.post(
        f"{org}/claims", {"token": world.links["self"]}, token=world.tokens["consultant"]
    )
    assert error_of(consultant) == (409, "claim_refused")
    assert Scan.objects.filter(organisation=world.organisation).count() == 3


def test_a_group_without_a_name_in_the_team_result(api: Api, world: World) -> None:
    GroupFactory(scan=world.open, name="Unused")
    body = api.get(f"/scans/{world.open.public_id}/result", token=world.tokens["owner"]).json()
    names = {group["name"] for group in body["groups"]}
    assert names == {"Unused", None}
