"""The threshold K on every output: with four organisations nothing about them is shown
anywhere (selector, results page, dashboard page and CSV, open data CSV and JSON); with a
fifth, everything is."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.services import shipped_models_load
from imscan.insights.benchmark import peers
from imscan.scans.models import Scan
from tests.factories import OrganisationFactory
from tests.insights.helpers import guided_scan, self_scan
from tests.insights.test_benchmark import _page, _results_url
from tests.insights.test_dashboard import staff_client

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1


def organisations(version: ModelVersion, count: int) -> list[Scan]:
    closed = datetime.datetime(YEAR, 3, 3, 12, tzinfo=timezone.get_current_timezone())
    return [
        guided_scan(OrganisationFactory(), version, [value] * 3, closed_at=closed)
        for value in (1, 2, 3, 4, 5)[:count]
    ]


def outputs(version: ModelVersion) -> dict[str, object]:
    """Every output, with an anonymous self-scan's results page for the panel."""
    scan = self_scan(None, version, 3)
    client = staff_client()
    query = f"?year={YEAR}&model={version.pk}"
    dashboard = list(
        csv.DictReader(
            io.StringIO(client.get("/en/staff/insights/dashboard.csv" + query).content.decode())
        )
    )
    anonymous = Client()
    return {
        "selector": peers(version).group(),
        "results": _page(anonymous, _results_url(scan), "en"),
        "dashboard page": client.get("/en/staff/insights/" + query).content.decode(),
        "dashboard csv": [
            row for row in dashboard if row["table"] in {"levels", "parts", "trend", "reached"}
        ],
        "open data csv": list(
            csv.DictReader(io.StringIO(anonymous.get("/en/open-data/levels.csv").content.decode()))
        ),
        "open data json": json.loads(anonymous.get("/en/open-data/levels.json").content)["rows"],
    }


@pytest.fixture
def version() -> ModelVersion:
    return next(o.version for o in shipped_models_load() if o.version.model_id == "ims-gov")


def test_four_organisations_show_nothing_anywhere(version: ModelVersion) -> None:
    organisations(version, 4)
    found = outputs(version)
    assert not found["selector"].shown
    assert "There is no comparison yet" in found["results"]
    assert "imscan-range-chart__box" not in found["results"]
    assert "imscan-range-chart" not in found["dashboard page"]
    # Only cells without anyone behind them (a zero) are shown.
    shown = [row for row in found["dashboard csv"] if row["status"] == "shown"]
    assert {row["value"] for row in shown} <= {"0"}, shown
    assert found["open data csv"] and {r["withheld"] for r in found["open data csv"]} == {"true"}
    assert {r["median_score"] for r in found["open data csv"]} == {""}
    assert {r["withheld"] for r in found["open data json"]} == {True}
    assert {r["organisations"] for r in found["open data json"]} == {None}


def test_five_organisations_show_everywhere(version: ModelVersion) -> None:
    organisations(version, 5)
    found = outputs(version)
    assert found["selector"].organisations == 5
    assert "All organisations (5)" in found["results"]
    assert "imscan-range-chart" in found["dashboard page"]
    parts = [row for row in found["dashboard csv"] if row["table"] == "parts"]
    assert {row["status"] for row in parts} == {"shown"}
    everyone = [r for r in found["open data json"] if r["government_type"] == "all"]
    assert {r["organisations"] for r in everyone} == {5}
