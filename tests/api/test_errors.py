"""Bad input gets a clear 4xx of one JSON shape, `{"detail": ..., "code": ...}`, and changes
nothing: invalid JSON, wrong types, an oversized body, unknown URLs and methods. And a bug
of ours would still answer JSON (500, server_error) rather than a page."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from imscan.api.errors import Code
from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.scans.models import Answer, Scan
from tests.api.helpers import Api, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(api: Api, ims_version: ModelVersion) -> str:
    return str(api.post("/self-scans", {"model_id": "ims-gov"}).json()["token"])


@pytest.mark.parametrize(
    "raw",
    [
        b"{not json",
        b'{"answers": {"a": 1}',  # cut off
        b"[1, 2, 3]",  # JSON, but not an object
        b'"answers"',
        b'{"answers": {"leadership-goals-1": NaN}}',  # Python reads it, JSON has no NaN
        b'{"answers": {"leadership-goals-1": Infinity}}',
        b"\xff\xfe{}",  # not UTF-8
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api: Api, link: str, raw: bytes) -> None:
    response = api.patch("/respondent/answers", raw=raw, token=link)
    assert error_of(response) == (400, "invalid_json")
    assert not Answer.objects.exists()


def test_invalid_json_says_where(api: Api, link: str) -> None:
    response = api.patch(
        "/respondent/answers", raw=b'{"answers": }', token=link, headers={"Accept-Language": "en"}
    )
    assert "line 1, column 13" in response.json()["detail"]


def test_a_validation_error_lists_every_problem(api: Api, link: str) -> None:
    response = api.patch(
        "/respondent/answers",
        {"answers": {"leadership-goals-1": "four", "Not An Id": 3}},
        token=link,
        headers={"Accept-Language": "en"},
    )
    status, code = error_of(response)
    assert (status, code) == (422, "validation_error")
    errors = response.json()["errors"]
    assert len(errors) >= 2
    assert ["body", "answers", "leadership-goals-1"] in [error["loc"] for error in errors]
    assert response.json()["detail"].startswith("The request is not valid at body.answers.")


def test_a_missing_body_is_a_validation_error(api: Api, link: str) -> None:
    assert error_of(api.patch("/respondent/answers", token=link)) == (422, "validation_error")


def test_too_many_answers_in_one_request(api: Api, link: str) -> None:
    answers = {f"statement-{n}": 3 for n in range(1001)}
    response = api.patch("/respondent/answers", {"answers": answers}, token=link)
    assert error_of(response) == (422, "validation_error")


@override_settings(IMSCAN_API_MAX_BODY_BYTES=1000)
def test_an_oversized_body_is_refused_before_anything_is_read(
    api: Api, ims_version: ModelVersion, link: str
) -> None:
    statements = [s.id for s in engine_model(ims_version).statements()]
    answers = {sid: 3 for sid in statements}
    assert len(json.dumps({"answers": answers})) > 1000
    response = api.patch("/respondent/answers", {"answers": answers}, token=link)
    assert error_of(response) == (413, "body_too_large")
    assert not Answer.objects.exists()
    small = api.patch("/respondent/answers", {"answers": {statements[0]: 3}}, token=link)
    assert small.status_code == 200


def test_an_invalid_content_length_is_a_bad_request(ims_version: ModelVersion) -> None:
    response = Client().generic(
        "POST",
        "/api/v1/self-scans",
        data=b"{}",
        content_type="application/json",
        CONTENT_LENGTH="lots",
    )
    assert error_of(response) == (400, "bad_request")
    assert not Scan.objects.exists()


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here", "/api/v1/models/", "/api/v1/", "/api/", "/api/v2/models"]
)
def test_an_unknown_url_is_a_json_404(path: str) -> None:
    response = Client().get(path)
    assert error_of(response) == (404, "not_found")
    assert response["Content-Type"] == "application/json"


def test_a_wrong_method_is_a_json_405_with_allow(ims_version: ModelVersion) -> None:
    response = Client().delete("/api/v1/models")
    assert error_of(response) == (405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_a_path_parameter_of_the_wrong_type(api: Api, ims_version: ModelVersion) -> None:
    from tests.api.helpers import token_for
    from tests.factories import UserFactory

    response = api.get("/scans/not-a-uuid", token=token_for(UserFactory()))
    assert error_of(response) == (422, "validation_error")
    assert response.json()["errors"][0]["loc"] == ["path", "scan_id"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/models/ims%00gov/versions/1.0", None),
        ("/models/ims-gov/versions/1%000", None),
        ("/models?model_id=ims%00gov", None),
        ("/self-scans", {"model_id": "ims-gov", "version": "1\u00000"}),
    ],
)
def test_a_nul_character_is_refused_before_the_database_sees_it(
    api: Api, ims_version: ModelVersion, path: str, body: object
) -> None:
    """PostgreSQL refuses text with a NUL in it; that must be our 422, not its error."""
    response = api.post(path, body) if body is not None else api.get(path)
    assert error_of(response) == (422, "validation_error")


def test_messages_follow_the_language_and_codes_do_not(api: Api) -> None:
    dutch = api.get("/me", headers={"Accept-Language": "nl"}).json()
    english = api.get("/me", headers={"Accept-Language": "en"}).json()
    assert dutch["code"] == english["code"] == Code.NOT_AUTHENTICATED
    assert dutch["detail"] != english["detail"]
    assert "personal API token" in english["detail"]


def test_a_bug_of_ours_still_answers_json(
    api: Api, ims_version: ModelVersion, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("imscan.api.presenters.model_version", broken)
    response = api.get("/models")
    assert error_of(response) == (500, "server_error")
    assert "a bug" not in response.json()["detail"]  # no internals in the answer
