"""The programme dashboard against a fixture computed by hand, with the threshold and
complementary suppression on every table, the page, its CSV download and the filters."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.services import shipped_models_load
from imscan.insights.dashboard import Dashboard, dashboard
from imscan.insights.followups import survey_version
from imscan.insights.models import FollowUp, FollowUpAnswer
from imscan.insights.tables import Table
from imscan.organisations.models import Organisation
from tests.factories import ConsultantFactory, OrganisationFactory, UserFactory, with_totp
from tests.insights.helpers import guided_scan, self_scan

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a whole year, so that no date falls in the future


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(YEAR, month, day, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def world() -> dict[str, object]:
    """Six municipalities whose guided scans closed on 24 March (every part scoring 1, 2,
    3, 3, 4 and 5), a province whose scan closed the same day (3), a self-scan of the first
    municipality finished on 5 May (not opted in), and two anonymous self-scans that day.
    Two consultants guided the seven guided scans."""
    version = next(o.version for o in shipped_models_load() if o.version.model_id == "ims-gov")
    municipalities = [OrganisationFactory(kind=Organisation.Kind.MUNICIPAL) for _ in range(6)]
    province = OrganisationFactory(kind=Organisation.Kind.PROVINCIAL)
    guides = [ConsultantFactory(), ConsultantFactory()]
    guided = []
    for index, (organisation, value) in enumerate(
        [*zip(municipalities, (1, 2, 3, 3, 4, 5), strict=True), (province, 3)]
    ):
        scan = guided_scan(
            organisation, version, [value] * 3, closed_at=at(3, 24), guide=guides[index % 2]
        )
        guided.append(scan)
    self_scan(municipalities[0], version, 5, finished_at=at(5, 5))
    for _ in range(2):
        self_scan(None, version, 2, finished_at=at(5, 5))
    return {
        "version": version,
        "municipalities": municipalities,
        "province": province,
        "guided": guided,
    }


def cell(table: Table, row: str, column: str) -> object:
    figure = next(r for r in table.rows if r.key == row).cells[column]
    return "withheld" if figure.withheld else figure.value


def shown(table: Table) -> dict[tuple[str, str], object]:
    return {
        (row.key, key): figure.value
        for row in table.rows
        for key, figure in row.cells.items()
        if not figure.withheld and figure.value
    }


def board(world: dict[str, object]) -> Dashboard:
    version = world["version"]
    assert isinstance(version, ModelVersion)
    return dashboard(YEAR, version, "en")


def test_scans_started_only_the_year_total(world: dict[str, object]) -> None:
    # March: 6 municipalities and 1 province (7 organisations); May: the municipality's
    # self-scan and 2 anonymous ones (3 contributors). The province is withheld; so are the
    # municipalities' cells, or "March minus municipalities" would be the province; and
    # March, or "year minus March" would be May's three contributors.
    result = board(world)
    assert shown(result.started) == {("year", "total"): 10}
    assert shown(result.finished) == {("year", "total"): 10}


def test_organisations_reached_and_consultants(world: dict[str, object]) -> None:
    result = board(world)
    assert shown(result.reached) == {("total", "n"): 7}  # municipalities alone: 7 - 6 = 1
    assert cell(result.reached, "municipal", "n") == "withheld"
    assert shown(result.consultants) == {
        ("consultants", "n"): 2,
        ("guided", "n"): 7,
        ("organisations", "n"): 7,
    }


def test_levels_parts_and_trend(world: dict[str, object]) -> None:
    result = board(world)
    assert result.levels is not None and result.parts is not None and result.trend is not None
    # Levels 1, 2, 3, 3, 4, 5 and the province's 3: every level has fewer than five, and
    # the municipalities (6) would give the province away: only the total.
    assert shown(result.levels) == {("total", "total"): 7}
    # Every part: 1, 2, 3, 3, 3, 4, 5 -> median 3, quartiles 2.5 and 3.5.
    culture = next(row for row in result.parts.rows if row.key == "culture")
    assert {key: figure.value for key, figure in culture.cells.items()} == {
        "median": 3.0,
        "q1": 2.5,
        "q3": 3.5,
        "level": 3,
        "n": 7,
    }
    assert [row.cells["median"].value for row in result.trend.rows] == [3.0]
    assert result.trend.rows[0].key == str(YEAR)


def test_follow_up_outcomes(world: dict[str, object]) -> None:
    survey = survey_version()
    for index, scan in enumerate(world["guided"]):  # type: ignore[attr-defined]
        followup = FollowUp.objects.create(
            scan=scan,
            organisation=scan.organisation,
            survey_version=survey,
            status=FollowUp.Status.SENT,
            language="nl",
            sent_at=at(10, 1),
            answered_at=at(10, 2) if index < 6 else None,  # the province does not answer
        )
        if index < 6:
            FollowUpAnswer.objects.create(followup=followup, statement_id="structure-more", value=1)
            FollowUpAnswer.objects.create(
                followup=followup, statement_id="sharing-management", value=1 if index < 5 else 0
            )
    response, outcomes = board(world).followup
    # 7 invited, 6 answered: "answered" would show that one did not.
    assert shown(response) == {("sent", "n"): 7}
    # Everyone yes: 100 % of 6. Five yes and one no: the share would show the one "no".
    assert cell(outcomes, "structure-more", "yes") == 100.0
    assert cell(outcomes, "structure-more", "n") == 6
    assert cell(outcomes, "sharing-management", "yes") == "withheld"
    assert cell(outcomes, "sharing-management", "n") == 6
    assert cell(outcomes, "learning-repeat", "n") == 0  # nobody answered it
    assert cell(outcomes, "learning-repeat", "yes") is None


def staff_client() -> Client:
    staff = with_totp(UserFactory(is_staff=True))
    client = Client()
    client.force_login(staff, "django.contrib.auth.backends.ModelBackend")
    return client


def test_the_page_and_its_csv_show_the_same_cells(world: dict[str, object]) -> None:
    client = staff_client()
    version = world["version"]
    query = f"?year={YEAR}&model={version.pk}"  # type: ignore[attr-defined]
    page = client.get("/en/staff/insights/" + query)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Programme dashboard {YEAR}" in html
    assert 'class="imscan-visually-hidden">withheld</span>' in html
    download = client.get("/en/staff/insights/dashboard.csv" + query)
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    started = {
        (r["row"], r["column"]): (r["value"], r["status"]) for r in rows if r["table"] == "started"
    }
    assert started[("year", "total")] == ("10", "shown")
    assert started[("3", "municipal")] == ("", "withheld")
    assert {r["year"] for r in rows} == {str(YEAR)}
    parts = [r for r in rows if r["table"] == "parts" and r["row"] == "culture"]
    assert {r["column"]: r["value"] for r in parts}["median"] == "3.0"


def test_a_bad_filter_is_an_error_and_shows_the_default(world: dict[str, object]) -> None:
    response = staff_client().get("/en/staff/insights/?year=1900&model=abc")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_cached_dashboard_follows_a_withdrawal_at_once(
    world: dict[str, object], django_assert_num_queries
) -> None:
    from imscan.insights.dashboard import cached_dashboard
    from imscan.insights.models import Participation
    from imscan.insights.services import participation_update

    version = world["version"]
    first = cached_dashboard(YEAR, version, "en")  # type: ignore[arg-type]
    with django_assert_num_queries(1):  # the stamp; the rest from the cache
        assert cached_dashboard(YEAR, version, "en") == first  # type: ignore[arg-type]
    assert shown(first.levels) == {("total", "total"): 7}
    participation_update(
        organisation=world["municipalities"][0],  # type: ignore[index]
        benchmark=Participation.Benchmark.NONE,
    )
    after = cached_dashboard(YEAR, version, "en")  # type: ignore[arg-type]
    assert shown(after.levels) == {("total", "total"): 6}
