"""Progress over time: an organisation's repeated scans of one model, compared."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from imscan.catalog.services import model_version_store
from imscan.engine import RespondentAnswers, score_many
from imscan.reports.over_time import MOVE_THRESHOLD
from imscan.scans.models import Respondent, Scan
from tests.conftest import SHIPPED_MODELS
from tests.factories import MembershipFactory, OrganisationFactory, respondent_with_token
from tests.reports.teams import (
    Answers,
    guided_scan,
    member,
    model_of,
    progress_url,
    random_answers,
    uniform,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def on(day: int, month: int = 1, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def closed_scan(version, organisation, title: str, date: datetime.datetime, answers: list[Answers]):
    scan, _ = guided_scan(
        version, {"Team": answers}, organisation=organisation, title=title, closed_at=date
    )
    return scan


def self_scan(version, organisation, answers: Answers, finished: datetime.datetime | None):
    scan = Scan.objects.create(
        model_version=version, kind=Scan.Kind.SELF, language="en", organisation=organisation
    )
    respondent, _ = respondent_with_token(scan, None, answers, finished=finished is not None)
    Respondent.objects.filter(pk=respondent.pk).update(finished_at=finished)
    return scan


def rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table [^>]*id="{table_id}">(.*?)</table>', page, re.S)
    assert table is not None, table_id
    body = table.group(1).split("<tbody", 1)[1]
    out = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        out.append([html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found])
    return out


def set_part(model, answers: Answers, part_id: str, values: list[float]) -> Answers:
    statements = model.node(part_id).statements
    return answers | {s.id: v for s, v in zip(statements, values, strict=True)}


def test_the_counted_scans_in_date_order_with_the_engines_scores(
    client: Client, ims_version
) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    teams = {
        "Spring": [random_answers(model, n) for n in range(3)],
        "Autumn": [random_answers(model, n) for n in range(10, 14)],
    }
    closed_scan(ims_version, organisation, "Autumn", on(1, 10, 2025), teams["Autumn"])
    closed_scan(ims_version, organisation, "Spring", on(1, 4, 2025), teams["Spring"])
    mine = random_answers(model, 99)
    self_scan(ims_version, organisation, mine, on(1, 6, 2025))
    # Not counted: too few finished, a self-scan not finished, another organisation's scan.
    closed_scan(ims_version, organisation, "Pilot", on(1, 5, 2025), teams["Spring"][:2])
    self_scan(ims_version, organisation, mine, None)
    closed_scan(ims_version, OrganisationFactory(), "Elsewhere", on(1, 7, 2025), teams["Autumn"])
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    overall = rows(page, "progress-ims-gov-overall")
    assert [row[0] for row in overall] == ["1 Apr 2025", "1 Jun 2025", "1 Oct 2025"]
    expected = [
        score_many(model, [RespondentAnswers("", a) for a in answers]).overall.score
        for answers in (teams["Spring"], [mine], teams["Autumn"])
    ]
    assert [row[1] for row in overall] == [f"{value:.2f}" for value in expected]
    assert overall[0][3] == "–"
    change = expected[1] - expected[0]
    assert overall[1][3].endswith(f"{abs(change):.2f}")
    assert "Elsewhere" not in page
    assert "Pilot</strong>: 2 of the 3 respondents needed to show a result have finished." in page
    assert "The self-scan is not finished yet." in page
    # A chart for the overall score and one per part, each with its table.
    assert page.count('<svg class="imscan-line-chart"') == 1 + len(model.parts())
    for part in model.parts():
        assert len(rows(page, f"progress-ims-gov-{part.id}")) == 3


def test_what_moved_is_a_level_change_or_a_change_of_at_least_the_threshold(
    client: Client, ims_version
) -> None:
    assert MOVE_THRESHOLD == 0.3
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    before = uniform(model, 3)
    after = set_part(model, before, "culture", [4, 4, 3, 3, 3])  # 3.0 -> 3.4: up, level 3 -> 4
    after = set_part(model, after, "people", [2, 3, 3, 3, 3])  # 3.0 -> 2.8: no level change
    after = set_part(model, after, "resources", [2, 2, 3, 3, 3])  # 3.0 -> 2.6: down 0.4
    closed_scan(ims_version, organisation, "First", on(1, 1), [before] * 3)
    closed_scan(ims_version, organisation, "Second", on(1, 6), [after] * 3)
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    moved = page[page.index("What moved") : page.index("</ul>", page.index("What moved"))]
    assert "In “Second”, compared with “First”:" in moved
    assert "Culture" in moved and "level 3 → 4" in moved
    assert "Resources" in moved
    assert "People and skills" not in moved
    culture = rows(page, "progress-ims-gov-culture")
    assert culture[1][3] == "▲ up +0.40"
    resources = rows(page, "progress-ims-gov-resources")
    assert resources[1][3] == "▼ down −0.40"
    people = rows(page, "progress-ims-gov-people")
    assert people[1][3] == "−0.20"  # shown, but not highlighted
    table = re.search(r'<table [^>]*id="progress-ims-gov-people">.*?</table>', page, re.S)
    assert table is not None and "imscan-moved" not in table.group(0)
    assert "changed by at least 0.3" in page


def test_different_model_versions_are_compared_on_their_shared_parts(
    client: Client, ims_version
) -> None:
    source = (SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8")
    renamed = source.replace('version: "1.0"', 'version: "1.1"', 1).replace(
        "      - id: portfolio\n", "      - id: portfolio-management\n", 1
    )
    newer = model_version_store(source=renamed, source_path="ims-gov-1.1.yaml").version
    organisation = OrganisationFactory()
    model = model_of(ims_version)
    closed_scan(ims_version, organisation, "Old", on(1, 1), [uniform(model, 2)] * 3)
    closed_scan(newer, organisation, "New", on(1, 6), [uniform(model, 4)] * 3)
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "These scans used different versions of the model (1.0, 1.1)" in page
    assert "Not in every version, so left out: Portfolio." in page
    assert page.count('<svg class="imscan-line-chart"') == 1 + 11
    assert 'id="progress-ims-gov-portfolio"' not in page
    assert 'id="progress-ims-gov-portfolio-management"' not in page
    assert [row[1] for row in rows(page, "progress-ims-gov-overall")] == ["2.00", "4.00"]


def test_one_scan_says_the_next_one_will_show_what_changed(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    closed_scan(ims_version, organisation, "First", on(1, 1), [uniform(model, 3)] * 3)
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "There is one scan so far" in page


def test_without_results_the_page_says_how_scans_count(client: Client) -> None:
    organisation = OrganisationFactory()
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "There are no results to compare yet." in page


def test_an_open_guided_scan_counts_once_it_closes(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    scan, _ = guided_scan(
        ims_version,
        {"Team": [uniform(model, 3)] * 3},
        organisation=organisation,
        title="Now",
        closed_at=None,
    )
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert "The scan is still open: it counts once it closes." in page
    assert "There are no results to compare yet." in page
    scan.closed_at = timezone.now()
    scan.save()
    page = client.get(progress_url(organisation)).content.decode()
    assert [row[1] for row in rows(page, "progress-ims-gov-overall")] == ["3.00"]


def test_the_page_follows_a_newly_finished_respondent(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    scan, groups = guided_scan(
        ims_version, {"Team": [uniform(model, 3)] * 2}, organisation=organisation, title="Now"
    )
    member(client, organisation)
    assert (
        "There are no results to compare yet."
        in client.get(progress_url(organisation)).content.decode()
    )
    respondent_with_token(scan, groups["Team"], uniform(model, 4))
    page = client.get(progress_url(organisation)).content.decode()
    assert [row[1] for row in rows(page, "progress-ims-gov-overall")] == ["3.33"]


def test_the_queries_do_not_grow_with_scans_or_respondents(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    small, large = OrganisationFactory(), OrganisationFactory()
    for day in (1, 2):
        closed_scan(ims_version, small, f"S{day}", on(day), [uniform(model, 3)] * 3)
    for day in range(1, 6):
        answers = [random_answers(model, day * 100 + n) for n in range(12)]
        closed_scan(ims_version, large, f"L{day}", on(day), answers)
    user = member(client, small)
    MembershipFactory(organisation=large, user=user)
    counts = []
    for organisation in (small, large):
        with CaptureQueriesContext(connection) as uncached:
            assert client.get(progress_url(organisation)).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(progress_url(organisation)).status_code == 200
        counts.append((len(uncached), len(cached)))
    assert counts[0] == counts[1], counts
    assert counts[0][1] < counts[0][0]


def test_the_page_in_dutch_and_english(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    closed_scan(ims_version, organisation, "A", on(3, 2), [uniform(model, 3)] * 3)
    closed_scan(ims_version, organisation, "B", on(3, 8), [uniform(model, 4)] * 3)
    member(client, organisation)
    english = client.get(progress_url(organisation, "en")).content.decode()
    dutch = client.get(progress_url(organisation, "nl")).content.decode()
    assert "3 Feb 2026" in english and "3 feb 2026" in dutch
    assert "3,00" in dutch and "3.00" in english
    assert html.escape(model.parts()[0].title["nl"]) in dutch


def test_a_member_sees_progress(client: Client) -> None:
    organisation = OrganisationFactory()
    member(client, organisation)
    assert client.get(progress_url(organisation)).status_code == 200


def test_a_user_of_another_organisation_gets_a_404(client: Client) -> None:
    member(client, OrganisationFactory())
    assert client.get(progress_url(OrganisationFactory())).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client) -> None:
    response = client.get(progress_url(OrganisationFactory()))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_self_scans_count_from_when_they_were_finished(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    organisation = OrganisationFactory()
    self_scan(ims_version, organisation, uniform(model, 2), timezone.now())
    member(client, organisation)
    page = client.get(progress_url(organisation)).content.decode()
    assert [row[1] for row in rows(page, "progress-ims-gov-overall")] == ["2.00"]
    assert "self-scan" in page
