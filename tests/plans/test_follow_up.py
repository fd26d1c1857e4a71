"""Did the planned parts move? The progress page checks a plan made after one scan against
the next scan of the model, with the progress page's rules across model versions."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.catalog.services import model_version_store
from imscan.plans import services
from imscan.plans.models import PlanAction
from imscan.plans.services import ActionFields, plan_action_add
from tests.conftest import SHIPPED_MODELS
from tests.factories import OrganisationFactory
from tests.reports.teams import member, model_of, progress_url, uniform
from tests.reports.test_over_time import closed_scan, on, rows, set_part

pytestmark = pytest.mark.django_db
GOALS, COMMITMENT, PORTFOLIO = "leadership-goals", "leadership-commitment", "portfolio"


def follow_up_rows(page: str) -> list[list[str]]:
    import re

    table = re.search(r'<table class="[^"]*imscan-follow-up__table">(.*?)</table>', page, re.S)
    assert table is not None
    return rows(f'<table id="follow">{table.group(1)}</table>', "follow")


def test_planned_parts_moved_or_not(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    before = uniform(model, 2)
    after = set_part(model, before, GOALS, [4, 4, 4, 4, 4])  # goals up, commitment as it was
    first = closed_scan(ims_version, organisation, "Spring", on(1, 3), [before] * 3)
    closed_scan(ims_version, organisation, "Autumn", on(1, 10), [after] * 3)
    plan = services.plan_create(source=first, parts=[GOALS, COMMITMENT])
    action = plan_action_add(plan=plan, fields=ActionFields(what="Goals", part_id=GOALS))
    services.plan_action_status(action=action, status=PlanAction.Status.DONE)
    plan_action_add(plan=plan, fields=ActionFields(what="Talk", part_id=COMMITMENT))
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "did the planned parts move?" in page
    assert "The plan after “Spring”, measured again in “Autumn”" in page
    assert f"/en/plans/{plan.public_id}/" in page
    assert follow_up_rows(page) == [
        ["1. Leadership - Goals", "1/1", "2.00 (level 2)", "4.00 (level 4)", "▲ moved up +2.00"],
        [
            "2. Leadership - Commitment and roles",
            "0/1",
            "2.00 (level 2)",
            "2.00 (level 2)",
            "did not move ±0.00",
        ],
    ]


def test_a_plan_on_the_latest_scan_waits_for_the_next(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    scan = closed_scan(ims_version, organisation, "Only", on(1, 3), [uniform(model, 3)] * 3)
    services.plan_create(source=scan, parts=[GOALS])
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "The next scan of this model will show whether these parts moved:" in page
    assert "1. Leadership - Goals: score 3.00 now" in page


def test_across_model_versions(client: Client, ims_version) -> None:
    source = (SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8")
    changed = (
        source.replace('version: "1.0"', 'version: "1.1"', 1)
        .replace("      - id: portfolio\n", "      - id: portfolio-management\n", 1)
        .replace("          - id: leadership-goals-5\n", "          - id: leadership-goals-6\n", 1)
    )
    newer = model_version_store(source=changed, source_path="ims-gov-1.1.yaml").version
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    first = closed_scan(ims_version, organisation, "Old", on(1, 1), [uniform(model, 2)] * 3)
    closed_scan(newer, organisation, "New", on(1, 6), [uniform(model_of(newer), 4)] * 3)
    services.plan_create(source=first, parts=[GOALS, COMMITMENT, PORTFOLIO])
    member(client, organisation)
    verdicts = {
        row[0]: row[-1]
        for row in follow_up_rows(client.get(progress_url(organisation)).content.decode())
    }
    assert verdicts["1. Leadership - Goals"] == (
        "not comparable: the part changed between the model versions"
    )
    assert verdicts["2. Leadership - Commitment and roles"] == "▲ moved up +2.00"
    assert verdicts["10. Portfolio"] == "not in the next scan's model version"


def test_the_page_follows_the_plan(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    scan = closed_scan(ims_version, organisation, "Only", on(1, 3), [uniform(model, 3)] * 3)
    member(client, organisation)
    assert (
        "did the planned parts move?" not in client.get(progress_url(organisation)).content.decode()
    )
    plan = services.plan_create(source=scan, parts=[GOALS])
    assert "did the planned parts move?" in client.get(progress_url(organisation)).content.decode()
    plan_action_add(plan=plan, fields=ActionFields(what="x", part_id=GOALS))
    assert "1 action, 0 done" in client.get(progress_url(organisation)).content.decode()
