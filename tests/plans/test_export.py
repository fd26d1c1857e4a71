"""The plan as CSV and XLSX: every part and action, formulas neutralised, both languages."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from imscan.plans.models import PlanAction
from imscan.plans.services import ActionFields, plan_action_add
from tests.exports.helpers import csv_rows, xlsx_rows
from tests.reports.teams import member, model_of

from .helpers import first_points, plan_for, team_scan

pytestmark = pytest.mark.django_db


def test_plan_csv_and_xlsx(ims_version, client: Client) -> None:
    scan = team_scan(ims_version)
    member(client, scan.organisation)
    model = model_of(ims_version)
    first, second = first_points(model, scan, 2)
    plan = plan_for(scan, [first, second])
    plan_action_add(
        plan=plan,
        fields=ActionFields(
            what='=HYPERLINK("http://evil")',
            owner="@team",
            due_date=datetime.date(2030, 3, 1),
            status=PlanAction.Status.IN_PROGRESS,
            part_id=first,
        ),
    )
    plan_action_add(plan=plan, fields=ActionFields(what="-1 meeting a month"))

    response = client.get(f"/en/plans/{plan.public_id}/export/plan.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="imscan-plan-{plan.public_id}-en.csv"'
    )
    rows = csv_rows(response.content)
    assert rows[0] == [
        "part", "title", "score", "level", "action", "who", "due date", "status", "last changed",
    ]  # fmt: skip
    number = {part.id: n for n, part in enumerate(model.parts(), start=1)}
    by_title = {row[1]: row for row in rows[1:]}
    action_row = by_title[model.node(first).title["en"]]
    assert action_row[0] == str(number[first])
    assert action_row[4:8] == ['\'=HYPERLINK("http://evil")', "'@team", "2030-03-01", "in progress"]
    empty = by_title[model.node(second).title["en"]]
    assert empty[4:] == ["", "", "", "", ""]  # a part without actions is listed too
    assert by_title["across the board"][4] == "'-1 meeting a month"

    xlsx = client.get(f"/nl/plans/{plan.public_id}/export/plan.xlsx")
    assert xlsx.status_code == 200
    sheet = xlsx_rows(xlsx.content)
    assert sheet[0][0] == "onderdeel" and len(sheet) == len(rows)
    assert '\'=HYPERLINK("http://evil")' in [row[4] for row in sheet]
    assert client.get(f"/en/plans/{plan.public_id}/export/plan.pdf").status_code == 404


def test_the_command_writes_the_plan(ims_version, tmp_path) -> None:
    from tests.exports.helpers import run

    scan = team_scan(ims_version)
    out = tmp_path / "plan.csv"
    args = (
        "export",
        str(scan.public_id),
        "--format",
        "csv",
        "--what",
        "plan",
        "--output",
        str(out),
    )
    code, _, err = run(*args)
    assert (code, err.strip()) == (1, "This scan has no development plan.")
    plan = plan_for(scan)
    plan_action_add(plan=plan, fields=ActionFields(what="From the command line"))
    code, stdout, err = run(*args, "--language", "en")
    assert (code, err) == (0, "") and "Written" in stdout
    assert "From the command line" in {row[4] for row in csv_rows(out.read_bytes())}
