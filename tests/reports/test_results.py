"""The results page: level, lead time, scores per part, radar chart, development points."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from imscan.catalog.selectors import engine_model
from tests.scans.helpers import start_scan

pytestmark = pytest.mark.usefixtures("ims_version")


def finish_with(client: Client, answers: dict[str, str], language: str = "nl") -> str:
    token = start_scan(client, language)
    if answers:
        response = client.post(
            f"/{language}/scan/{token}/answer/", {f"s-{k}": v for k, v in answers.items()}
        )
        assert response.status_code == 302
    client.post(f"/{language}/scan/{token}/finish/")
    return token


def all_statements(ims_version, value: str) -> dict[str, str]:
    return {s.id: value for s in engine_model(ims_version).statements()}


def test_results_give_level_meaning_and_lead_time(client: Client, ims_version) -> None:
    token = finish_with(client, all_statements(ims_version, "4"), "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    assert "Maturity level 4 of 5: Maturing" in page
    assert "The organisation is maturing as an innovator." in page
    assert (
        "Organisations usually need 24 to 48 months to reach level 5 (Continuously innovating)."
        in page
    )
    assert "Overall score 4.00 on a scale from 1 to 5, based on 60 of 60 statements." in page


def test_results_in_dutch(client: Client, ims_version) -> None:
    token = finish_with(client, all_statements(ims_version, "2"), "nl")
    page = client.get(f"/nl/scan/{token}/results/").content.decode()
    assert "Volwassenheidsniveau 2 van 5: Op weg" in page
    assert "2,00" in page  # Dutch decimal comma


def test_development_points_come_in_order_of_what_they_add(client: Client, ims_version) -> None:
    answers = all_statements(ims_version, "5")
    for n in range(1, 6):
        answers[f"culture-{n}"] = "1"
        answers[f"people-{n}"] = "2"
    token = finish_with(client, answers, "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    points = re.findall(r'<h3 class="utrecht-heading-3">Part (\d+): ([^<]+)</h3>', page)
    assert points == [("4", "Culture"), ("5", "People and skills")]
    model = engine_model(ims_version)
    assert model.node("culture").advice[1].text["en"][:40] in page
    assert model.node("people").advice[2].text["en"][:40] in page


def test_results_show_a_radar_chart_with_a_data_table(client: Client, ims_version) -> None:
    token = finish_with(client, all_statements(ims_version, "3"), "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    assert page.count('<svg class="imscan-radar"') == 1
    assert 'role="img"' in page
    assert page.count('class="imscan-radar__dot"') == 12
    table = page[page.index("<table") : page.index("</table>")]
    assert table.count('scope="row"') == 17  # 5 clusters and 12 parts


def test_dont_know_never_lowers_the_result(client: Client, ims_version) -> None:
    answers = all_statements(ims_version, "4")
    answers["culture-1"] = "na"
    token = finish_with(client, answers, "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    assert "Overall score 4.00" in page
    assert "based on 59 of 60 statements" in page


def test_results_without_any_answer_say_so(client: Client) -> None:
    token = finish_with(client, {}, "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    assert "not enough answers" in page


def test_results_explain_how_they_were_computed(client: Client, ims_version) -> None:
    token = finish_with(client, all_statements(ims_version, "3"), "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    assert "How this result was computed" in page
    assert "Score needed for each level" in page
    assert 'href="/en/method/"' in page
    assert client.get("/en/method/").status_code == 200
    assert "Hoe we de uitkomst berekenen" in client.get("/nl/method/").content.decode()


def test_results_page_queries_do_not_grow_with_the_answers(client: Client, ims_version) -> None:
    # One statement per part: few answers, but every part scored, so the page shows the
    # benchmark panel just as it does with every answer given (the private link, the
    # scan's stored figures with the benchmark's fingerprint, and nothing more while the
    # benchmark is cached).
    few = finish_with(
        client, {part.statements[0].id: "3" for part in engine_model(ims_version).parts()}
    )
    many = finish_with(client, all_statements(ims_version, "3"))
    counts = []
    for token in (few, many):
        client.get(f"/nl/scan/{token}/results/")  # warm the in-process model cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/nl/scan/{token}/results/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 3


def test_results_of_a_finished_scan_are_rendered_once_per_language(
    client: Client, ims_version
) -> None:
    token = finish_with(client, all_statements(ims_version, "3"), "en")
    cache.clear()  # nothing from an earlier test
    with CaptureQueriesContext(connection) as first:
        english = client.get(f"/en/scan/{token}/results/").content.decode()
    with CaptureQueriesContext(connection) as again:
        assert client.get(f"/en/scan/{token}/results/").content.decode() == english
    # The private link, and the scan's stored figures with the benchmark's fingerprint
    # (the benchmark panel is never cached with the page: a withdrawal shows at once).
    assert len(first) == 4 and len(again) == 2
    dutch = client.get(f"/nl/scan/{token}/results/").content.decode()
    assert "Uw uitkomst" in dutch and "Your result" in english


def test_a_self_scan_result_offers_its_downloads(client: Client, ims_version) -> None:
    token = finish_with(client, all_statements(ims_version, "3"), "en")
    page = client.get(f"/en/scan/{token}/results/").content.decode()
    for kind, fmt in (
        ("report", "pdf"),
        ("answers", "xlsx"),
        ("answers", "csv"),
        ("scores", "xlsx"),
    ):
        assert f"/en/scan/{token}/export/{kind}.{fmt}" in page
    assert f"/en/scan/{token}/share/" in page
    download = client.get(f"/en/scan/{token}/export/scores.csv")
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
