"""The plan pages: the organisation's (by plan id) and an unclaimed self-scan's (by its
private link), with and without htmx."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.organisations.services import scan_claim
from imscan.plans.models import Plan, PlanAction
from imscan.plans.services import ActionFields, plan_action_add
from imscan.scans.models import Scan
from tests.factories import MembershipFactory, respondent_with_token
from tests.reports.teams import guided_scan, member, model_of, random_answers

from .helpers import first_points, other_part, plan_for, self_scan, team_scan

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
XSS = '<script>alert("x")</script>'


def plan_url(plan: Plan, page: str = "", lang: str = "en") -> str:
    return f"/{lang}/plans/{plan.public_id}/{page}"


def test_making_a_plan_from_the_team_result(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    results = client.get(f"/en/scans/{scan.public_id}/results/").content.decode()
    assert f"/en/scans/{scan.public_id}/plan/" in results

    page = client.get(f"/en/scans/{scan.public_id}/plan/")
    assert page.status_code == 200
    text = page.content.decode()
    model = model_of(ims_version)
    first, second = first_points(model, scan, 2)
    assert "Development points, most important first" in text and "Other parts" in text
    assert text.index(f'value="{first}"') < text.index(f'value="{second}"')

    response = client.post(f"/en/scans/{scan.public_id}/plan/new/", {"parts": [first, second]})
    plan = Plan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/en/plans/{plan.public_id}/#plan-actions"
    assert set(plan.parts.values_list("node_id", flat=True)) == {first, second}
    # Once there is a plan, the scan's plan link opens it.
    again = client.get(f"/en/scans/{scan.public_id}/plan/")
    assert again.status_code == 302 and again["Location"] == plan_url(plan)
    again = client.post(f"/en/scans/{scan.public_id}/plan/new/", {"parts": [first]})
    assert again.status_code == 302 and Plan.objects.count() == 1

    detail = client.get(plan_url(plan)).content.decode()
    title = model.node(first).title["en"]
    assert title in detail and "Add an action" in detail and "2 parts, 0 actions" in detail


def test_no_plan_from_an_open_scan(ims_version, client: Client) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(ims_version, {"A": [random_answers(model, 1)] * 3}, closed_at=None)
    member(client, scan.organisation)
    response = client.get(f"/en/scans/{scan.public_id}/plan/")
    assert response.status_code == 409
    assert "once the scan is closed" in response.content.decode()
    response = client.post(f"/en/scans/{scan.public_id}/plan/new/", {"parts": []})
    assert response.status_code == 409 and not Plan.objects.exists()


def test_adding_an_action_without_javascript(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    part = plan.parts.first()
    assert part is not None
    data = {"what": XSS, "owner": "Anna", "due_date": "2030-01-31", "status": "planned"}
    response = client.post(plan_url(plan, "actions/new/"), {**data, "part": part.node_id})
    assert response.status_code == 302 and response["Location"].endswith("#plan-actions")
    action = PlanAction.objects.get()
    assert (action.what, action.part) == (XSS, part)
    page = client.get(plan_url(plan)).content.decode()
    assert XSS not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "31 January 2030" in page and "Anna" in page


def test_a_bad_action_keeps_what_was_typed(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    data = {"what": "", "owner": "Typed owner", "due_date": "1990-01-01", "status": "planned"}
    response = client.post(plan_url(plan, "actions/new/"), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing has been saved yet" in text and 'value="Typed owner"' in text
    assert "Choose a day between" in text
    response = client.post(plan_url(plan, "actions/new/"), {**data, "what": "x", "due_date": ""})
    assert response.status_code == 302  # the same form, corrected
    unknown = {"what": "x", "status": "planned", "part": "not-a-part"}
    assert client.post(plan_url(plan, "actions/new/"), unknown).status_code == 400
    assert PlanAction.objects.count() == 1


def test_htmx_adds_the_action_in_place(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    data = {"what": "Agree the goals", "status": "in-progress", "part": ""}
    response = client.post(plan_url(plan, "actions/new/"), data, **HTMX)
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith('<div id="plan-body"') and "<html" not in text
    assert "The action has been added." in text and "Agree the goals" in text
    assert "Across the board" in text
    bad = client.post(plan_url(plan, "actions/new/"), {"what": "", "status": "planned"}, **HTMX)
    assert bad.status_code == 400 and 'id="plan-body"' in bad.content.decode()


def test_status_change_with_and_without_htmx(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    action = plan_action_add(plan=plan, fields=ActionFields(what="Step"))
    url = plan_url(plan, f"actions/{action.pk}/status/")
    response = client.post(url, {"status": "done"}, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().startswith(
        f'<li class="imscan-plan-action imscan-plan-action--done" id="action-{action.pk}"'
    )
    response = client.post(url, {"status": "in-progress"})
    assert response.status_code == 302
    assert PlanAction.objects.get().status == "in-progress"
    response = client.post(url, {"status": "bogus"}, follow=True)
    assert "Choose one of the statuses offered." in response.content.decode()
    assert PlanAction.objects.get().status == "in-progress"


def test_editing_and_deleting_an_action(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    action = plan_action_add(plan=plan, fields=ActionFields(what="Old"))
    edit = plan_url(plan, f"actions/{action.pk}/")
    assert "Old" in client.get(edit).content.decode()
    client.post(edit, {"what": "New", "status": "done", "owner": "", "due_date": "", "part": ""})
    assert PlanAction.objects.get().what == "New"
    delete = plan_url(plan, f"actions/{action.pk}/delete/")
    assert "Delete the action?" in client.get(delete).content.decode()
    assert PlanAction.objects.exists()  # a GET only asks
    assert client.post(delete).status_code == 302
    assert not PlanAction.objects.exists()


def test_an_action_of_another_plan_is_not_found(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    other = plan_for(team_scan(ims_version, organisation=scan.organisation))
    action = plan_action_add(plan=other, fields=ActionFields(what="Theirs"))
    assert client.get(plan_url(plan, f"actions/{action.pk}/")).status_code == 404
    assert client.post(plan_url(plan, f"actions/{action.pk}/delete/")).status_code == 404
    assert PlanAction.objects.filter(pk=action.pk).exists()


def test_changing_the_parts(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    model = model_of(ims_version)
    first = first_points(model, scan, 1)[0]
    plan = plan_for(scan, [first])
    plan_action_add(plan=plan, fields=ActionFields(what="Step", part_id=first))
    extra = other_part(model, [first])
    page = client.get(plan_url(plan, "parts/")).content.decode()
    assert f'value="{first}" id="part-{first}" checked' in page and "1 action in the plan" in page
    refused = client.post(plan_url(plan, "parts/"), {"parts": [extra]})
    assert refused.status_code == 409
    text = refused.content.decode()
    assert "Nothing has been saved." in text and "has 1 action" in text
    assert f'value="{extra}" id="part-{extra}" checked' in text  # the choice is kept
    assert list(plan.parts.values_list("node_id", flat=True)) == [first]
    response = client.post(plan_url(plan, "parts/"), {"parts": [first, extra]})
    assert response.status_code == 302
    assert set(plan.parts.values_list("node_id", flat=True)) == {first, extra}
    assert client.post(plan_url(plan, "parts/"), {"parts": ["nope"]}).status_code == 400


def test_the_plan_of_a_scan_opened_again_keeps_showing(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    plan = plan_for(scan)
    plan_action_add(plan=plan, fields=ActionFields(what="Keep me"))
    Scan.objects.filter(pk=scan.pk).update(closed_at=None)
    page = client.get(plan_url(plan))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Keep me" in text and "not final at the moment" in text


# ---- through a self-scan's private link ----


def test_a_self_scan_plan_through_the_private_link(ims_version, client: Client) -> None:
    scan, token = self_scan(ims_version)
    results = client.get(f"/nl/scan/{token}/results/").content.decode()
    assert f"/nl/scan/{token}/plan/" in results
    start = client.get(f"/en/scan/{token}/plan/")
    assert start.status_code == 200 and "Make a development plan" in start.content.decode()
    model = model_of(ims_version)
    first = first_points(model, scan, 1)[0]
    response = client.post(f"/en/scan/{token}/plan/", {"parts": [first]})
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.organisation is None
    data = {"what": "Ask the board", "status": "planned", "part": first}
    assert client.post(f"/en/scan/{token}/plan/actions/new/", data).status_code == 302
    page = client.get(f"/en/scan/{token}/plan/").content.decode()
    assert "Ask the board" in page and f"/en/scan/{token}/plan/parts/" in page
    csv = client.get(f"/en/scan/{token}/plan/export/plan.csv")
    assert csv.status_code == 200 and b"Ask the board" in csv.content
    # Not reachable by the plan's own id: it has no organisation yet.
    member(client, MembershipFactory().organisation)
    assert client.get(plan_url(plan)).status_code == 404


def test_after_claiming_the_link_points_to_the_organisation(ims_version, client: Client) -> None:
    scan, token = self_scan(ims_version)
    plan = plan_for(scan)
    action = plan_action_add(plan=plan, fields=ActionFields(what="Secret step"))
    membership = MembershipFactory()
    scan_claim(scan=scan, organisation=membership.organisation, user=membership.user)
    for url in [f"/en/scan/{token}/plan/", f"/en/scan/{token}/plan/actions/{action.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200
        text = response.content.decode()
        assert "kept there" in text and "Secret step" not in text
    refused = client.post(f"/en/scan/{token}/plan/actions/new/", {"what": "x", "status": "done"})
    assert refused.status_code == 409 and PlanAction.objects.count() == 1
    assert (
        f"/en/scan/{token}/plan/" not in client.get(f"/en/scan/{token}/results/").content.decode()
    )
    client.force_login(membership.user)
    assert "Secret step" in client.get(plan_url(plan)).content.decode()


def test_guided_respondents_and_unfinished_self_scans(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    _, token = respondent_with_token(scan, scan.groups.first(), {})
    assert client.get(f"/en/scan/{token}/plan/").status_code == 404
    unfinished = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF)
    _, token = respondent_with_token(unfinished, None, {}, finished=False)
    response = client.get(f"/en/scan/{token}/plan/")
    assert response.status_code == 302 and response["Location"].endswith("/review/")
