"""A self-scan through the API: start it, answer one by one or in bulk (idempotent, all or
nothing), finish, read the result in the JSON of `imscan score`, download the exports.
The link token the start returns is the respondent's key, as on the web pages."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.engine.cli import score_main
from imscan.scans.models import Answer, Scan
from tests.api.helpers import Api, error_of
from tests.api.world import build_world
from tests.scans.helpers import answers_of

pytestmark = pytest.mark.django_db
MODEL_FILE = Path(__file__).resolve().parents[2] / "src/imscan/content/models/ims-gov.yaml"


@pytest.fixture
def statements(ims_version: ModelVersion) -> list[str]:
    return [statement.id for statement in engine_model(ims_version).statements()]


@pytest.fixture
def link(api: Api, ims_version: ModelVersion) -> str:
    response = api.post("/self-scans", {"model_id": "ims-gov", "language": "en"})
    assert response.status_code == 201, response.content
    return str(response.json()["token"])


def all_answers(statements: list[str]) -> dict[str, float | None]:
    answers: dict[str, float | None] = {sid: float(1 + n % 5) for n, sid in enumerate(statements)}
    answers[statements[7]] = None  # one "don't know"
    return answers


def test_starting_a_self_scan_returns_its_link_once(api: Api, ims_version: ModelVersion) -> None:
    response = api.post("/self-scans", {"model_id": "ims-gov"}, headers={"Accept-Language": "en"})
    assert response.status_code == 201
    body = response.json()
    scan = Scan.objects.get()
    assert scan.kind == Scan.Kind.SELF and scan.language == "en" and scan.organisation is None
    assert body["respondent"]["scan"]["id"] == str(scan.public_id)
    assert body["respondent"]["scan"]["state"] == "open"
    assert body["respondent"]["answered"] == 0 and body["respondent"]["total"] == 60
    assert len(body["respondent"]["pages"]) == 5
    # The same scan in the browser, in its language.
    assert body["web_url"].endswith(f"/en/scan/{body['token']}/")
    assert Client().get(body["web_url"]).status_code == 200
    assert api.get("/respondent", token=body["token"]).json()["scan"]["id"] == str(scan.public_id)


def test_a_version_and_language_can_be_chosen(api: Api, ims_version: ModelVersion) -> None:
    body = api.post(
        "/self-scans", {"model_id": "ims-gov", "version": "1.0", "language": "nl"}
    ).json()
    assert body["respondent"]["scan"]["language"] == "nl"
    assert body["respondent"]["scan"]["model"] == {"id": "ims-gov", "version": "1.0"}


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"model_id": "no-such-model"}, 422),
        ({"model_id": "ims-gov", "version": "7.0"}, 422),
        ({"model_id": "ims-gov", "language": "fr"}, 422),
        ({"model_id": 42}, 422),
        ({}, 422),
        ({"model_id": "Not An Id"}, 422),
    ],
)
def test_a_bad_start_makes_no_scan(
    api: Api, ims_version: ModelVersion, body: dict[str, Any], status: int
) -> None:
    response = api.post("/self-scans", body)
    assert error_of(response) == (status, "validation_error")
    assert not Scan.objects.exists()


def test_answers_in_bulk_are_stored_and_saving_again_changes_nothing(
    api: Api, link: str, statements: list[str]
) -> None:
    answers = all_answers(statements)
    first = api.patch("/respondent/answers", {"answers": answers}, token=link)
    assert first.status_code == 200
    assert first.json()["answered"] == 60
    assert answers_of(link) == answers  # what the web pages see too
    again = api.patch("/respondent/answers", {"answers": answers}, token=link)
    assert again.json() == first.json()
    assert Answer.objects.count() == 60


def test_a_bulk_save_keeps_the_answers_it_does_not_name(
    api: Api, link: str, statements: list[str]
) -> None:
    api.patch("/respondent/answers", {"answers": {statements[0]: 2}}, token=link)
    api.patch("/respondent/answers", {"answers": {statements[1]: 5}}, token=link)
    assert answers_of(link) == {statements[0]: 2.0, statements[1]: 5.0}
    assert api.get("/respondent/answers", token=link).json()["answers"] == answers_of(link)


@pytest.mark.parametrize(
    ("value", "status", "code"),
    [
        (9, 422, "invalid_answer"),  # off the scale
        (2.5, 422, "invalid_answer"),
        ("4", 422, "validation_error"),  # a string is not a number
        (True, 422, "validation_error"),
        ([4], 422, "validation_error"),
    ],
)
def test_one_bad_answer_stores_none_of_the_request(
    api: Api, link: str, statements: list[str], value: Any, status: int, code: str
) -> None:
    api.patch("/respondent/answers", {"answers": {statements[0]: 3}}, token=link)
    answers = {statements[1]: 4, statements[2]: value, statements[3]: 5}
    response = api.patch("/respondent/answers", {"answers": answers}, token=link)
    assert error_of(response) == (status, code)
    assert answers_of(link) == {statements[0]: 3.0}


def test_an_unknown_statement_is_named_and_nothing_is_stored(api: Api, link: str) -> None:
    response = api.patch("/respondent/answers", {"answers": {"no-such-statement": 3}}, token=link)
    assert error_of(response) == (422, "invalid_answer")
    assert "no-such-statement" in response.json()["detail"]
    assert answers_of(link) == {}


def test_an_answer_of_its_own(api: Api, link: str, statements: list[str]) -> None:
    sid = statements[4]
    assert api.get(f"/respondent/answers/{sid}", token=link).json() == {
        "statement_id": sid,
        "answered": False,
        "value": None,
    }
    saved = api.put(f"/respondent/answers/{sid}", {"value": 4}, token=link)
    assert saved.json() == {"statement_id": sid, "answered": True, "value": 4.0}
    # null is "don't know": a real answer, without a value.
    api.put(f"/respondent/answers/{sid}", {"value": None}, token=link)
    assert api.get(f"/respondent/answers/{sid}", token=link).json() == {
        "statement_id": sid,
        "answered": True,
        "value": None,
    }
    assert answers_of(link) == {sid: None}


def test_a_single_answer_is_checked_too(api: Api, link: str, statements: list[str]) -> None:
    assert error_of(api.put("/respondent/answers/nope", {"value": 3}, token=link)) == (
        404,
        "not_found",
    )
    assert error_of(api.put(f"/respondent/answers/{statements[0]}", {"value": 0}, token=link)) == (
        422,
        "invalid_answer",
    )
    assert error_of(api.put(f"/respondent/answers/{statements[0]}", {}, token=link)) == (
        422,
        "validation_error",
    )
    assert answers_of(link) == {}


def test_finishing_freezes_the_answers_and_shows_the_result(
    api: Api, link: str, statements: list[str], tmp_path: Path
) -> None:
    answers = all_answers(statements)
    assert error_of(api.get("/respondent/result", token=link)) == (409, "not_finished")
    api.patch("/respondent/answers", {"answers": answers}, token=link)
    finished = api.post("/respondent/finish", token=link)
    assert finished.status_code == 200 and finished.json()["finished"] is True
    assert error_of(api.post("/respondent/finish", token=link)) == (409, "scan_finished")
    refused = api.put(f"/respondent/answers/{statements[0]}", {"value": 1}, token=link)
    assert error_of(refused) == (409, "scan_finished")
    assert answers_of(link) == answers

    # The result is exactly what `imscan score` prints for these answers.
    answers_file = tmp_path / "answers.json"
    answers_file.write_text(json.dumps({"answers": answers}), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert score_main(str(MODEL_FILE), str(answers_file), out, err) == 0, err.getvalue()
    result = api.get("/respondent/result", token=link)
    assert result.status_code == 200
    assert result.json() == json.loads(out.getvalue())
    assert api.get("/respondent/result", token=link).content == result.content  # cached


def test_a_closed_scan_takes_no_answers(
    api: Api, ims_version: ModelVersion, statements: list[str]
) -> None:
    world = build_world(ims_version)
    guided = world.links["guided"]
    world.open.closed_at = timezone.now()
    world.open.save(update_fields=["closed_at"])
    response = api.patch(
        "/respondent/answers",
        {"answers": {statements[0]: 3}},
        token=guided,
        headers={"Accept-Language": "en"},
    )
    assert error_of(response) == (409, "scan_not_open")
    assert "closed" in response.json()["detail"]
    assert error_of(api.post("/respondent/finish", token=guided)) == (409, "scan_not_open")
    assert api.get("/respondent", token=guided).json()["scan"]["state"] == "closed"


def finished_link(api: Api, statements: list[str]) -> str:
    token = str(api.post("/self-scans", {"model_id": "ims-gov", "language": "en"}).json()["token"])
    api.patch("/respondent/answers", {"answers": all_answers(statements)}, token=token)
    api.post("/respondent/finish", token=token)
    return token


def test_the_respondent_downloads_their_own_self_scan(
    api: Api, ims_version: ModelVersion, statements: list[str]
) -> None:
    link = finished_link(api, statements)
    scores = api.get("/respondent/exports/scores", token=link, format="json")
    assert scores.status_code == 200
    assert scores["Content-Type"] == "application/json"
    assert "attachment;" in scores["Content-Disposition"]
    rows = scores.json()["rows"]
    assert rows[0]["id"] == "" and rows[0]["level"] is not None
    assert set(rows[0]) == {"id", "title", "score", "level", "level_name"}
    answers = api.get("/respondent/exports/answers", token=link, lang="nl")
    assert answers["Content-Type"] == "text/csv; charset=utf-8"
    assert answers.content.decode("utf-8-sig").splitlines()[0].startswith("respondent,groep,")
    xlsx = api.get("/respondent/exports/answers", token=link, format="xlsx")
    assert xlsx.content[:2] == b"PK"
    whole = api.get("/respondent/exports/scan", token=link).json()
    assert whole["format"] == "imscan-scan"
    assert whole["payload"]["respondents"][0]["answers"] == {
        sid: value for sid, value in sorted(all_answers(statements).items())
    }


def test_exports_of_the_wrong_format_or_before_finishing_are_refused(api: Api, link: str) -> None:
    assert error_of(api.get("/respondent/exports/scores", token=link)) == (409, "not_finished")
    assert error_of(api.get("/respondent/exports/report", token=link, format="csv")) == (
        422,
        "validation_error",
    )
    assert error_of(api.get("/respondent/exports/answers", token=link, lang="de")) == (
        422,
        "validation_error",
    )


def test_a_guided_respondent_has_no_exports(api: Api, ims_version: ModelVersion) -> None:
    world = build_world(ims_version)
    response = api.get("/respondent/exports/answers", token=world.links["guided"])
    assert error_of(response) == (404, "not_found")
