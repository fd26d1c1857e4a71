"""The self-scan, step by step, through the views (no JavaScript)."""

from __future__ import annotations

import pytest
from django.test import Client

from imscan.scans.models import Answer, Respondent, Scan
from imscan.scans.tokens import token_hash
from tests.scans.helpers import answers_of, respondent, start_scan

pytestmark = pytest.mark.usefixtures("ims_version")


def test_root_sends_visitors_to_their_language(client: Client) -> None:
    assert client.get("/")["Location"] == "/nl/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en")["Location"] == "/en/"


def test_landing_page_explains_the_scan_and_offers_it(client: Client) -> None:
    page = client.get("/nl/").content.decode()
    assert "Innovatie Maturity Scan voor de overheid" in page
    assert 'name="model" value="ims-gov"' in page
    english = client.get("/en/").content.decode()
    assert "Innovation Maturity Scan for government" in english
    assert 'hreflang="nl"' in english


def test_starting_stores_only_the_hash_of_the_private_link(client: Client) -> None:
    token = start_scan(client)
    scan = Scan.objects.get()
    assert scan.kind == Scan.Kind.SELF
    assert scan.language == "nl"
    stored = Respondent.objects.get()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash
    assert len(token) >= 43  # 256 random bits, URL-safe base64


def test_starting_an_unknown_model_changes_nothing(client: Client) -> None:
    response = client.post("/nl/scan/start/", {"model": "no-such-model"})
    assert response.status_code == 400
    assert Scan.objects.count() == 0


def test_welcome_page_shows_the_resume_link(client: Client) -> None:
    token = start_scan(client, "en")
    page = client.get(f"/en/scan/{token}/").content.decode()
    assert f"http://testserver/en/scan/{token}/" in page
    assert "Your private link" in page
    assert "0 of 60 statements" in page


def test_unknown_resume_link_gives_a_friendly_404(client: Client) -> None:
    response = client.get("/nl/scan/" + "x" * 43 + "/")
    assert response.status_code == 404
    assert "Deze link leidt niet naar een scan" in response.content.decode()


def test_question_page_shows_one_cluster_with_progress_and_info(client: Client) -> None:
    token = start_scan(client, "en")
    page = client.get(f"/en/scan/{token}/page/1/").content.decode()
    assert "Step 1 of 5" in page
    assert "Part 1 of 12" in page and "Part 2 of 12" in page and "Part 3 of 12" not in page
    assert "Leadership - Goals" in page
    assert page.count("<fieldset") == 10
    assert page.count("<details") == 10  # the info text of every statement, on demand
    assert 'value="na"' in page


def test_question_page_out_of_range_is_404(client: Client) -> None:
    token = start_scan(client)
    assert client.get(f"/nl/scan/{token}/page/6/").status_code == 404
    assert client.get(f"/nl/scan/{token}/page/0/").status_code == 404


def test_plain_form_post_saves_the_page_and_moves_on(client: Client) -> None:
    token = start_scan(client)
    response = client.post(
        f"/nl/scan/{token}/page/1/",
        {"s-leadership-goals-1": "4", "s-leadership-goals-2": "na", "go": "next"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/nl/scan/{token}/page/2/"
    assert answers_of(token) == {"leadership-goals-1": 4.0, "leadership-goals-2": None}
    back = client.post(f"/nl/scan/{token}/page/2/", {"go": "previous"})
    assert back["Location"] == f"/nl/scan/{token}/page/1/"
    page = client.get(f"/nl/scan/{token}/page/1/").content.decode()
    assert 'name="s-leadership-goals-1" value="4" checked' in page
    assert 'name="s-leadership-goals-2" value="na" checked' in page


def test_last_page_leads_to_the_review(client: Client) -> None:
    token = start_scan(client)
    response = client.post(f"/nl/scan/{token}/page/5/", {"s-impact-1": "2", "go": "review"})
    assert response["Location"] == f"/nl/scan/{token}/review/"


def test_autosave_stores_one_answer_and_can_change_it(client: Client) -> None:
    token = start_scan(client)
    url = f"/nl/scan/{token}/answer/"
    first = client.post(url, {"s-culture-3": "2"}, HTTP_HX_REQUEST="true")
    assert first.status_code == 200
    assert "Opgeslagen" in first.content.decode()
    client.post(url, {"s-culture-3": "5"}, HTTP_HX_REQUEST="true")
    client.post(url, {"s-culture-3": "5"}, HTTP_HX_REQUEST="true")
    assert answers_of(token) == {"culture-3": 5.0}
    assert Answer.objects.count() == 1


def test_changing_an_answer_after_going_back(client: Client) -> None:
    token = start_scan(client)
    client.post(f"/nl/scan/{token}/page/1/", {"s-leadership-goals-1": "1", "go": "next"})
    client.post(f"/nl/scan/{token}/page/1/", {"s-leadership-goals-1": "3", "go": "next"})
    assert answers_of(token) == {"leadership-goals-1": 3.0}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"s-no-such-statement": "3"}, "no-such-statement"),
        ({"s-culture-1": "7"}, "7"),
        ({"s-culture-1": "0"}, "0"),
        ({"s-culture-1": "drie"}, "drie"),
        ({"s-culture-1": "nan"}, "nan"),
        ({"s-culture-1": "3", "s-culture-2": "9"}, "9"),
    ],
)
def test_tampered_answers_are_refused_and_change_nothing(
    client: Client, data: dict[str, str], message: str
) -> None:
    token = start_scan(client)
    client.post(f"/nl/scan/{token}/answer/", {"s-impact-1": "2"}, HTTP_HX_REQUEST="true")
    for url in (f"/nl/scan/{token}/answer/", f"/nl/scan/{token}/page/2/"):
        response = client.post(url, data)
        assert response.status_code == 400
        assert message in response.content.decode()
        assert "Er is niets gewijzigd" in response.content.decode()
    assert answers_of(token) == {"impact-1": 2.0}


def test_a_token_that_opens_no_scan_changes_nothing(client: Client) -> None:
    start_scan(client)
    response = client.post("/nl/scan/" + "A" * 43 + "/answer/", {"s-culture-1": "3"})
    assert response.status_code == 404
    assert Answer.objects.count() == 0


def test_answers_of_one_scan_never_reach_another(client: Client) -> None:
    mine, theirs = start_scan(client), start_scan(client)
    client.post(f"/nl/scan/{mine}/answer/", {"s-culture-1": "3"}, HTTP_HX_REQUEST="true")
    assert answers_of(theirs) == {}
    assert answers_of(mine) == {"culture-1": 3.0}


def test_review_lists_unanswered_statements_before_finishing(client: Client) -> None:
    token = start_scan(client, "en")
    client.post(f"/en/scan/{token}/page/1/", {"s-leadership-goals-1": "4", "go": "next"})
    page = client.get(f"/en/scan/{token}/review/").content.decode()
    assert "You have answered 1 of 60 statements" in page
    assert "Part 1: Leadership - Goals" in page
    assert f"/en/scan/{token}/page/1/#part-leadership-goals" in page
    assert "Part 12: Measuring impact and learning" in page


def test_finishing_freezes_the_answers(client: Client) -> None:
    token = start_scan(client)
    client.post(f"/nl/scan/{token}/answer/", {"s-culture-1": "3"}, HTTP_HX_REQUEST="true")
    response = client.post(f"/nl/scan/{token}/finish/")
    assert response["Location"] == f"/nl/scan/{token}/results/"
    assert respondent(token).is_finished
    refused = client.post(f"/nl/scan/{token}/answer/", {"s-culture-1": "5"})
    assert refused.status_code == 409
    assert client.post(f"/nl/scan/{token}/page/1/", {"s-culture-1": "5"}).status_code == 409
    assert client.post(f"/nl/scan/{token}/finish/").status_code == 409
    assert answers_of(token) == {"culture-1": 3.0}
    assert client.get(f"/nl/scan/{token}/page/1/")["Location"] == f"/nl/scan/{token}/results/"
    assert client.get(f"/nl/scan/{token}/")["Location"] == f"/nl/scan/{token}/results/"


def test_results_wait_until_the_scan_is_finished(client: Client) -> None:
    token = start_scan(client)
    assert client.get(f"/nl/scan/{token}/results/")["Location"] == f"/nl/scan/{token}/review/"


def test_wrong_http_methods_are_refused(client: Client) -> None:
    token = start_scan(client)
    assert client.get("/nl/scan/start/").status_code == 405
    assert client.get(f"/nl/scan/{token}/answer/").status_code == 405
    assert client.get(f"/nl/scan/{token}/finish/").status_code == 405
    assert client.post(f"/nl/scan/{token}/review/").status_code == 405


def test_autosave_refreshes_the_progress_and_step_counts(client: Client) -> None:
    token = start_scan(client, "en")
    url = f"/en/scan/{token}/answer/"
    client.post(url, {"s-culture-3": "2", "page": "2"}, HTTP_HX_REQUEST="true")
    fragment = client.post(
        url, {"s-culture-4": "na", "page": "2"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert 'id="status-culture-4" hx-swap-oob="true">Saved' in fragment
    assert "status-culture-3" not in fragment  # only what this request saved
    assert "Your answers are saved" in fragment
    assert '<div class="imscan-progress" id="progress" hx-swap-oob="true">' in fragment
    assert "2 of 60 statements answered" in fragment
    step = '<span class="imscan-steps__count" id="step-count-2" hx-swap-oob="true">'
    assert step + "2 of 15 answered</span>" in fragment  # step 2, Context and culture
    assert 'id="step-count-1"' not in fragment


def test_question_page_is_rendered_once_and_personalised(client: Client, monkeypatch) -> None:
    """Each respondent sees their own link and answers in the shared, pre-rendered page."""
    from imscan.scans import rendering

    rendered = []
    real = rendering.render_to_string
    monkeypatch.setattr(rendering, "_rendered", {})
    monkeypatch.setattr(
        rendering, "render_to_string", lambda *a, **k: rendered.append(a) or real(*a, **k)
    )
    first, second = start_scan(client, "en"), start_scan(client, "en")
    client.post(f"/en/scan/{first}/answer/", {"s-culture-1": "2", "s-culture-2": "na"})
    client.post(f"/en/scan/{second}/answer/", {"s-culture-1": "5"})
    mine = client.get(f"/en/scan/{first}/page/2/").content.decode()
    theirs = client.get(f"/en/scan/{second}/page/2/").content.decode()
    assert len(rendered) == 1
    assert mine.count(" checked") == 2 and theirs.count(" checked") == 1
    assert 'name="s-culture-1" value="2" checked' in mine
    assert 'name="s-culture-2" value="na" checked' in mine
    assert 'name="s-culture-1" value="5" checked' in theirs
    assert f'hx-post="/en/scan/{first}/answer/"' in mine and second not in mine
    assert rendering.TOKEN_PLACEHOLDER not in mine
    dutch = client.get(f"/nl/scan/{first}/page/2/").content.decode()
    assert len(rendered) == 2 and "Weet ik niet" in dutch
