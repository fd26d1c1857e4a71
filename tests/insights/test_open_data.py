"""The open data: levels per part by type of government and completed year, safe to
publish (the threshold K and complementary suppression, completed years only)."""

from __future__ import annotations

import csv
import datetime
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.insights import opendata
from imscan.insights.models import Participation
from imscan.insights.services import participation_update
from imscan.organisations.models import Organisation
from tests.factories import OrganisationFactory
from tests.insights.helpers import guided_scan

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1
MUNICIPAL, PROVINCIAL = Organisation.Kind.MUNICIPAL, Organisation.Kind.PROVINCIAL


def organisations(version: ModelVersion, kind: str, values: list[float], year: int) -> list:
    closed = datetime.datetime(year, 6, 1, 12, tzinfo=timezone.get_current_timezone())
    made = []
    for value in values:
        organisation = OrganisationFactory(kind=kind)
        guided_scan(organisation, version, [value] * 3, closed_at=closed)
        made.append(organisation)
    return made


def by_key(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["government_type"], row["part"]): row for row in rows}


def test_a_type_that_would_give_another_away_is_withheld(ims_version: ModelVersion) -> None:
    organisations(ims_version, MUNICIPAL, [1, 2, 3, 4, 5, 3], LAST_YEAR)
    organisations(ims_version, PROVINCIAL, [2], LAST_YEAR)
    rows = by_key(opendata.rows())
    everyone = rows[("all", "culture")]
    assert everyone["withheld"] is False and everyone["organisations"] == 7
    assert (everyone["q1_score"], everyone["median_score"], everyone["q3_score"]) == (2.0, 3.0, 3.5)
    assert everyone["median_level"] == 3
    for kind in (MUNICIPAL, PROVINCIAL):
        withheld = rows[(kind, "culture")]
        assert withheld["withheld"] is True
        assert withheld["organisations"] is None and withheld["median_score"] is None
    assert rows[("all", "overall")]["part_title_en"] == "Overall score"


def test_every_type_with_enough_organisations_is_shown(ims_version: ModelVersion) -> None:
    organisations(ims_version, MUNICIPAL, [1, 2, 3, 4, 5], LAST_YEAR)
    organisations(ims_version, PROVINCIAL, [2, 2, 3, 3, 4], LAST_YEAR)
    rows = by_key(opendata.rows())
    assert rows[(MUNICIPAL, "impact")]["median_score"] == 3.0
    assert rows[(PROVINCIAL, "impact")]["median_score"] == 3.0
    assert rows[("all", "impact")]["organisations"] == 10


def test_only_completed_years(ims_version: ModelVersion) -> None:
    organisations(ims_version, MUNICIPAL, [1, 2, 3, 4, 5], timezone.localdate().year)
    assert opendata.rows() == []


def test_withdrawal_takes_effect_at_once(ims_version: ModelVersion) -> None:
    made = organisations(ims_version, MUNICIPAL, [1, 2, 3, 4, 5], LAST_YEAR)
    assert by_key(opendata.rows())[("all", "culture")]["withheld"] is False
    participation_update(organisation=made[0], benchmark=Participation.Benchmark.NONE)
    assert by_key(opendata.rows())[("all", "culture")]["withheld"] is True


def test_csv_and_json_downloads_carry_the_same_rows(ims_version: ModelVersion) -> None:
    organisations(ims_version, MUNICIPAL, [1, 2, 3, 4, 5, 3], LAST_YEAR)
    organisations(ims_version, PROVINCIAL, [2], LAST_YEAR)
    client = Client()
    from_csv = list(
        csv.DictReader(io.StringIO(client.get("/en/open-data/levels.csv").content.decode()))
    )
    document = json.loads(client.get("/nl/open-data/levels.json").content)
    assert list(from_csv[0]) == opendata.NAMES
    assert [column["name"] for column in document["columns"]] == opendata.NAMES
    assert (
        document["columns"][0]["description"]["nl"] and document["columns"][0]["description"]["en"]
    )
    assert document["threshold"] == 5
    assert len(document["rows"]) == len(from_csv) == 3 * 13  # all, municipal, provincial
    withheld = [row for row in from_csv if row["government_type"] == "provincial"]
    assert {row["withheld"] for row in withheld} == {"true"}
    assert {row["median_score"] for row in withheld} == {""}
    assert client.get("/en/open-data/levels.xml").status_code == 404


def test_the_page_documents_every_column(ims_version: ModelVersion) -> None:
    page = Client().get("/en/open-data/").content.decode()
    for name in opendata.NAMES:
        assert f"<code>{name}</code>" in page
