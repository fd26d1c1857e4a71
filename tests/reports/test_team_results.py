"""The team results page of a guided scan: figures, groups, agenda, anonymity threshold,
interim and final, caching, queries, languages and who may see it."""

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

from imscan.engine import RespondentAnswers, score_many, team_report, tr
from imscan.reports import selectors
from imscan.scans.models import Respondent, Scan
from tests.factories import GuidedScanFactory, OrganisationFactory, respondent_with_token
from tests.reports.teams import (
    guided_scan,
    member,
    model_of,
    random_answers,
    team_url,
    uniform,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def cells(page: str, row_id: str) -> list[str]:
    """The text of a table row's cells (header cell first), by the row's id."""
    row = re.search(rf'<tr [^>]*id="{row_id}">(.*?)</tr>', page, re.S)
    assert row is not None, row_id
    found = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(1), re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in found]


def main(page: str) -> str:
    """The page's main content, without the layout (whose CSRF token changes per request)."""
    found = re.search(r"<main .*?</main>", page, re.S)
    assert found is not None
    return found.group(0)


def two_groups(ims_version, sizes=(4, 3), threshold=3, **fields):
    model = model_of(ims_version)
    groups = {
        name: [random_answers(model, seed * 100 + n) for n in range(size)]
        for seed, (name, size) in enumerate(zip(("Management", "Staff"), sizes, strict=True))
    }
    scan, made = guided_scan(ims_version, groups, threshold=threshold, **fields)
    respondents = [
        RespondentAnswers(str(made[name].pk), answers)
        for name, given in groups.items()
        for answers in given
    ]
    return scan, made, respondents


def test_the_figures_on_the_page_are_the_engines(client: Client, ims_version) -> None:
    scan, made, respondents = two_groups(ims_version)
    member(client, scan.organisation)
    model = model_of(ims_version)
    page = client.get(team_url(scan)).content.decode()
    team = score_many(model, respondents)
    assert f"Team score {team.overall.score:.2f} on a scale from 1 to 5" in page
    level = model.level(team.overall.level)
    assert f"Maturity level {level.level} of 5: {level.name['en']}" in page
    for node in model.nodes():
        got = team.nodes[node.id]
        assert got.spread is not None
        row = cells(page, f"team-{node.id}")
        assert row[1] == f"{got.score:.2f}"
        assert row[2].startswith(f"{got.level} – ")
        assert row[3] == f"{got.spread.sd:.2f}"
        assert row[4] == f"{got.spread.min:.2f} – {got.spread.max:.2f}"
    report = team_report(model, respondents, group_order=[str(g.pk) for g in made.values()])
    # The answers per part: counts per value, "don't know" and open, as the engine has them.
    for node_id, distribution in report.nodes.items():
        assert distribution is not None
        assert distribution.unanswered == 0  # so the page has no "No answer" column
        expected = [*distribution.counts, distribution.dont_know]
        assert cells(page, f"counts-{node_id}")[1:] == [str(count) for count in expected]
    # The groups compared: largest gap first, each group's mean.
    gap_ids = re.findall(r'<tr [^>]*id="gap-([a-z0-9-]+)"', page)
    assert gap_ids == ["overall", *[gap.node_id for gap in report.gaps]]
    first = report.gaps[0]
    assert cells(page, f"gap-{first.node_id}")[1:4] == [
        f"{first.means[str(made['Management'].pk)]:.2f}",
        f"{first.means[str(made['Staff'].pk)]:.2f}",
        f"{first.gap:.2f}",
    ]
    # The discussion agenda: the engine's statements, in its order, in the page's language.
    agenda = re.findall(r'class="imscan-agenda__item" id="agenda-([a-z0-9-]+)"', page)
    assert agenda == [item.item_id for item in report.agenda]
    assert len(agenda) == 10
    assert page.count("What do you see differently?") == 10
    first_statement = model.statement(agenda[0])
    assert html.escape(tr(first_statement.text, "en")) in page
    # The radar chart: the team's area and a line per group; development points with advice.
    assert page.count('class="imscan-radar__series') == 2
    assert page.count('class="imscan-bar"') == len(model.nodes()) + 10
    for point in team.development_points[:3]:
        advice = point.advice
        assert advice is not None
        assert html.escape(advice.text["en"][:40]) in page


def test_statements_left_open_get_their_own_column(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    first = model.parts()[0]
    skipped = first.statements[0].id  # type: ignore[index]
    answers = [uniform(model, 4) for _ in range(3)]
    del answers[0][skipped]
    scan, _ = guided_scan(ims_version, {"Team": answers})
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert ">No answer</th>" in page
    # 3 respondents x 5 statements: 14 answered 4, one left open.
    assert cells(page, f"counts-{first.id}")[1:] == ["0", "0", "0", "14", "0", "0", "1"]


def test_a_group_below_the_threshold_is_listed_and_never_compared(
    client: Client, ims_version
) -> None:
    model = model_of(ims_version)
    answers = [random_answers(model, n) for n in range(10)]
    scan, _ = guided_scan(
        ims_version,
        {
            "Board": answers[0:4],
            "Staff": answers[4:8],
            "Interns": answers[8:9],
            "Guests": answers[9:10],
        },
    )
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    # 1 + 1 hidden respondents: fewer than 3, so Staff (the last of the smallest) hides too.
    assert page.count("too few respondents to show") == 2
    assert "hidden to protect a small group" in page
    assert page.count("Interns") == page.count("Guests") == page.count("Staff") == 1
    assert 'class="imscan-gaps-table' not in page
    assert "imscan-radar__series" not in page
    assert "There are no groups to compare" in page
    # The whole team still counts everyone.
    team = score_many(model, [RespondentAnswers("", a) for a in answers])
    assert f"Team score {team.overall.score:.2f}" in page


def test_with_enough_hidden_respondents_the_other_groups_are_compared(
    client: Client, ims_version
) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {
            "Board": [random_answers(model, n) for n in range(3)],
            "Staff": [random_answers(model, n) for n in range(3, 7)],
            "Interns": [random_answers(model, n) for n in range(7, 9)],
            "Guests": [random_answers(model, 9)],
        },
    )
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    header = re.search(r'<table class="[^"]*imscan-gaps-table.*?</thead>', page, re.S)
    assert header is not None
    assert "Board" in header.group(0) and "Staff" in header.group(0)
    assert "Interns" not in header.group(0) and "Guests" not in header.group(0)
    assert page.count("too few respondents to show") == 2
    assert page.count('class="imscan-radar__series') == 2


def test_one_respondents_answers_cannot_be_worked_out(client: Client, ims_version) -> None:
    """Three managers answer 3 everywhere, one staff member 5: were the managers' figures
    shown next to the whole team's, the staff member's answers would be 4 * team - 3 * 3."""
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version, {"Management": [uniform(model, 3)] * 3, "Staff": [uniform(model, 5)]}
    )
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "Team score 3.50" in page  # the whole team: 4 respondents, at the threshold
    assert "hidden to protect a small group" in page
    assert "too few respondents to show" in page
    # Only in the counts table: no comparison, no line on the chart, no legend.
    assert page.count("Management") == page.count("Staff") == 1
    assert 'class="imscan-gaps-table' not in page


def test_below_the_threshold_only_the_numbers_are_shown(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version, {"Management": [uniform(model, 4)], "Staff": [uniform(model, 2)]}
    )
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "There is no team result yet: it needs at least 3 finished respondents" in page
    assert "So far 2 respondents have finished." in page
    assert "Maturity level" not in page
    assert "imscan-radar" not in page and "imscan-bar" not in page
    assert "What do you see differently?" not in page
    for statement in model.statements()[:5]:
        assert html.escape(statement.text["en"]) not in page


def test_the_threshold_is_the_scans_own(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    scan, _ = guided_scan(
        ims_version,
        {"A": [random_answers(model, n) for n in range(5)], "B": [uniform(model, 3)] * 5},
        threshold=6,
    )
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "Team score" in page
    assert page.count("too few respondents to show") == 2
    assert "at least 6 respondents" in page


def test_an_open_scan_shows_only_how_many_have_finished(client: Client, ims_version) -> None:
    """Figures before and after one more person finishes would give away their answers."""
    scan, made, _ = two_groups(ims_version, closed_at=None)
    respondent_with_token(scan, made["Staff"], {}, finished=False)
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "The scan is still open: 7 of 8 respondents have finished." in page
    assert "The team's figures appear when the scan closes." in page
    assert "Final result" not in page
    assert "Team score" not in page and "imscan-radar" not in page
    assert "What do you see differently?" not in page


def test_a_closed_scan_shows_the_final_result_and_its_date(client: Client, ims_version) -> None:
    closed = datetime.datetime(2026, 11, 30, 15, 0, tzinfo=datetime.UTC)
    scan, _, _ = two_groups(ims_version, closed_at=closed)
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "Final result, closed on 30 November 2026." in page
    assert "Based on 7 respondents who finished." in page
    assert "still open" not in page
    dutch = client.get(team_url(scan, "nl")).content.decode()
    assert "30 november 2026" in dutch


def test_a_scan_past_its_closing_date_is_final(client: Client, ims_version) -> None:
    closes = timezone.now() - datetime.timedelta(days=1)
    scan, _, _ = two_groups(ims_version, closes_at=closes)
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "Final result, closed on" in page


def test_the_page_is_cached_until_another_respondent_finishes(client: Client, ims_version) -> None:
    scan, made, _ = two_groups(ims_version, closed_at=None)
    waiting, _ = respondent_with_token(scan, made["Staff"], {}, finished=False)
    member(client, scan.organisation)
    url = team_url(scan)
    with CaptureQueriesContext(connection) as first:
        before = main(client.get(url).content.decode())
    with CaptureQueriesContext(connection) as again:
        assert main(client.get(url).content.decode()) == before
    assert len(again) == len(first) - 1  # no answers query: the body came from the cache
    assert "7 of 8 respondents have finished" in before
    Respondent.objects.filter(pk=waiting.pk).update(finished_at=timezone.now())
    after = client.get(url).content.decode()
    assert "8 of 8 respondents have finished" in after
    scan.closed_at = timezone.now()
    scan.save()
    assert "Final result, closed on" in client.get(url).content.decode()


def test_the_cached_page_follows_the_threshold_and_group_names(client: Client, ims_version) -> None:
    scan, made, _ = two_groups(ims_version)
    member(client, scan.organisation)
    assert "imscan-gaps-table" in client.get(team_url(scan)).content.decode()
    scan.anonymity_threshold = 4
    scan.save()
    assert "imscan-gaps-table" not in client.get(team_url(scan)).content.decode()
    made["Management"].name = "Directie"
    made["Management"].save()
    assert "Directie" in client.get(team_url(scan)).content.decode()


def test_the_queries_do_not_grow_with_the_respondents(client: Client, ims_version) -> None:
    few, _, _ = two_groups(ims_version, sizes=(3, 2))
    many, _, _ = two_groups(ims_version, sizes=(25, 25), organisation=few.organisation)
    member(client, few.organisation)
    client.get(team_url(GuidedScanFactory(model_version=ims_version)))  # warm the session
    counts = []
    for scan in (few, many):
        with CaptureQueriesContext(connection) as uncached:
            assert client.get(team_url(scan)).status_code == 200
        with CaptureQueriesContext(connection) as cached:
            assert client.get(team_url(scan)).status_code == 200
        counts.append((len(uncached), len(cached)))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 10


def test_the_page_in_dutch_and_english(client: Client, ims_version) -> None:
    scan, _, respondents = two_groups(ims_version)
    member(client, scan.organisation)
    team = score_many(model_of(ims_version), respondents)
    english = client.get(team_url(scan, "en")).content.decode()
    dutch = client.get(team_url(scan, "nl")).content.decode()
    assert '<html lang="en"' in english and '<html lang="nl"' in dutch
    assert "Maturity level" in english and "Volwassenheidsniveau" in dutch
    assert f"{team.overall.score:.2f}".replace(".", ",") in dutch
    model = model_of(ims_version)
    first_part = model.parts()[0]
    assert html.escape(first_part.title["nl"]) in dutch
    assert html.escape(first_part.title["en"]) in english


def test_respondents_without_a_group_make_one_team(client: Client, ims_version) -> None:
    model = model_of(ims_version)
    scan = GuidedScanFactory(model_version=ims_version, closed_at=timezone.now())
    for n in range(4):
        respondent_with_token(scan, None, random_answers(model, n))
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "4 respondents have finished." in page
    assert "imscan-groups-table" not in page
    assert "There are no groups to compare" in page
    assert "Team score" in page


def test_a_member_sees_the_result(client: Client, ims_version) -> None:
    scan, _, _ = two_groups(ims_version)
    member(client, scan.organisation)
    assert client.get(team_url(scan)).status_code == 200


def test_a_user_of_another_organisation_gets_a_404(client: Client, ims_version) -> None:
    scan, _, _ = two_groups(ims_version)
    member(client, OrganisationFactory())
    assert client.get(team_url(scan)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client: Client, ims_version) -> None:
    scan, _, _ = two_groups(ims_version)
    response = client.get(team_url(scan))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_only_the_body_is_cached_never_the_visitors_layout(client: Client, ims_version) -> None:
    scan, _, _ = two_groups(ims_version)
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    key = f"team-results:{scan.public_id}:{selectors.scan_state(scan).fingerprint(scan)}:en:own"
    body = cache.get(key)
    assert body is not None and body in page
    # The layout around it (who is logged in, the log-out form's CSRF token, messages) is
    # rendered for each visitor and never shared through the cache.
    assert "<html" not in body and "csrfmiddlewaretoken" not in body


def test_a_claimed_self_scan_shows_its_one_result(client: Client, ims_version) -> None:
    """Its only respondent chose to share it: no threshold, nothing to wait for."""
    model = model_of(ims_version)
    scan = GuidedScanFactory(model_version=ims_version, kind=Scan.Kind.SELF, title="")
    respondent_with_token(scan, None, uniform(model, 4))
    member(client, scan.organisation)
    page = client.get(team_url(scan)).content.decode()
    assert "A self-scan, added to this organisation by the person who took it." in page
    assert "Team score 4.00" in page
    assert "still open" not in page and "singled out" not in page


def test_downloads_are_offered_once_the_scan_is_closed(client: Client, ims_version) -> None:
    scan, _, _ = two_groups(ims_version, closed_at=None)
    member(client, scan.organisation)
    export = f"/en/scans/{scan.public_id}/export/answers.xlsx"
    assert export not in client.get(team_url(scan)).content.decode()
    scan.closed_at = timezone.now()
    scan.save()
    page = client.get(team_url(scan)).content.decode()
    assert export in page and f"/en/scans/{scan.public_id}/export/scores.csv" in page
    assert f"/en/scans/{scan.public_id}/share/" in page
    assert client.get(export).status_code == 200
