"""plans.services: making a plan from a final result, choosing parts, actions, claiming."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from imscan.organisations.services import scan_claim
from imscan.plans import services
from imscan.plans.models import Plan, PlanAction, PlanPart
from imscan.plans.services import ActionFields, PlanExists, PlanRefused
from imscan.scans.models import Scan
from tests.factories import MembershipFactory, OrganisationFactory
from tests.reports.teams import guided_scan, model_of, random_answers

from .helpers import first_points, other_part, plan_for, self_scan, team_scan

pytestmark = pytest.mark.django_db


def test_plan_from_a_closed_team_scan(ims_version) -> None:
    scan = team_scan(ims_version)
    parts = first_points(model_of(ims_version), scan, 3)
    plan = services.plan_create(source=scan, parts=reversed(parts))
    assert plan.organisation == scan.organisation
    assert plan.source == scan and plan.model_version == ims_version
    model_order = [p.id for p in model_of(ims_version).parts() if p.id in parts]
    assert list(plan.parts.order_by("pk").values_list("node_id", flat=True)) == model_order


def test_no_plan_before_the_result_is_final(ims_version) -> None:
    model = model_of(ims_version)
    open_scan, _ = guided_scan(ims_version, {"A": [random_answers(model, 1)] * 3}, closed_at=None)
    with pytest.raises(PlanRefused, match="once the scan is closed"):
        services.plan_create(source=open_scan, parts=[])
    small, _ = guided_scan(ims_version, {"A": [random_answers(model, 1)] * 2})
    with pytest.raises(PlanRefused, match="Too few respondents"):
        services.plan_create(source=small, parts=[])
    unfinished = Scan.objects.create(model_version=ims_version, kind=Scan.Kind.SELF)
    with pytest.raises(PlanRefused, match="finished"):
        services.plan_create(source=unfinished, parts=[])
    assert not Plan.objects.exists()


def test_unknown_part_and_second_plan_refused(ims_version) -> None:
    scan = team_scan(ims_version)
    with pytest.raises(PlanRefused, match="Not a part of this model: nope"):
        services.plan_create(source=scan, parts=["nope"])
    assert not Plan.objects.exists()
    plan = plan_for(scan)
    with pytest.raises(PlanExists) as refused:
        services.plan_create(source=scan, parts=[])
    assert refused.value.plan == plan


def test_parts_set_adds_and_removes(ims_version) -> None:
    scan = team_scan(ims_version)
    model = model_of(ims_version)
    first, second = first_points(model, scan, 2)
    plan = plan_for(scan, [first])
    before = plan.updated_at
    added, removed = services.plan_parts_set(plan=plan, parts=[second])
    assert (added, removed) == ([second], [first])
    assert set(plan.parts.values_list("node_id", flat=True)) == {second}
    plan.refresh_from_db()
    assert plan.updated_at > before


def test_a_part_with_actions_stays(ims_version) -> None:
    scan = team_scan(ims_version)
    model = model_of(ims_version)
    first = first_points(model, scan, 1)[0]
    plan = plan_for(scan, [first])
    services.plan_action_add(plan=plan, fields=ActionFields(what="Agree goals", part_id=first))
    with pytest.raises(PlanRefused, match="has 1 action: delete it or link it"):
        services.plan_parts_set(plan=plan, parts=[other_part(model, [first])])
    assert list(plan.parts.values_list("node_id", flat=True)) == [first]


def test_actions_checked_and_saved(ims_version) -> None:
    scan = team_scan(ims_version)
    model = model_of(ims_version)
    first = first_points(model, scan, 1)[0]
    plan = plan_for(scan, [first])
    due = timezone.localdate() + datetime.timedelta(days=30)
    action = services.plan_action_add(
        plan=plan,
        fields=ActionFields(
            what="  <b>Write</b> the goals  ", owner=" Board ", due_date=due, part_id=first
        ),
    )
    assert (action.what, action.owner, action.due_date) == ("<b>Write</b> the goals", "Board", due)
    assert action.part == PlanPart.objects.get(plan=plan, node_id=first)
    assert action.status == PlanAction.Status.PLANNED

    bad = [
        (ActionFields(what="   "), "Say what will be done"),
        (ActionFields(what="x" * 1001), "under 1000 characters"),
        (ActionFields(what="x", status="later"), "statuses offered"),
        (ActionFields(what="x", due_date=datetime.date(1999, 1, 1)), "due date between"),
        (ActionFields(what="x", part_id=other_part(model, [first])), "the plan's parts"),
    ]
    for fields, message in bad:
        with pytest.raises(PlanRefused, match=message):
            services.plan_action_add(plan=plan, fields=fields)
    assert PlanAction.objects.count() == 1

    services.plan_action_update(action=action, fields=ActionFields(what="Done it", part_id=None))
    action.refresh_from_db()
    assert (action.what, action.owner, action.part) == ("Done it", "", None)
    services.plan_action_status(action=action, status=PlanAction.Status.DONE)
    assert PlanAction.objects.get().status == "done"
    with pytest.raises(PlanRefused):
        services.plan_action_status(action=action, status="finished")
    services.plan_action_delete(action=action)
    assert not PlanAction.objects.exists()


def test_overdue_only_while_open(ims_version) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    action = PlanAction(what="x", due_date=yesterday, status=PlanAction.Status.IN_PROGRESS)
    assert action.is_overdue()
    action.status = PlanAction.Status.DONE
    assert not action.is_overdue()
    assert not PlanAction(what="x", status=PlanAction.Status.PLANNED).is_overdue()


def test_a_self_scan_plan_goes_along_when_claimed(ims_version) -> None:
    scan, _ = self_scan(ims_version)
    plan = plan_for(scan)
    assert plan.organisation is None
    membership = MembershipFactory()
    scan_claim(scan=scan, organisation=membership.organisation, user=membership.user)
    plan.refresh_from_db()
    assert plan.organisation == membership.organisation


def test_deleting_the_result_deletes_its_plan(ims_version) -> None:
    organisation = OrganisationFactory()
    scan, _ = self_scan(ims_version, organisation=organisation)
    plan_for(scan)
    kept = plan_for(self_scan(ims_version, organisation=organisation)[0])
    scan.delete()
    assert list(Plan.objects.all()) == [kept]
    organisation.delete()  # its scans go, and with them their plans
    assert not Plan.objects.exists()
