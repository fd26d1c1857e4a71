"""The API's answer save and result read cost a fixed number of SQL queries, however many
answers they carry (the web pages keep the same rule)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from tests.api.helpers import Api

pytestmark = pytest.mark.django_db


def queries(api: Api, method: str, path: str, body: object, token: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = api.call(method, path, body, token=token)
    assert 200 <= response.status_code < 300, response.content
    return len(captured)


def test_a_bulk_save_costs_the_same_queries_for_one_answer_or_sixty(
    api: Api, ims_version: ModelVersion
) -> None:
    statements = [s.id for s in engine_model(ims_version).statements()]
    link = api.post("/self-scans", {"model_id": "ims-gov"}).json()["token"]
    api.get("/respondent", token=link)  # the parsed model is cached from here on
    one = queries(api, "PATCH", "/respondent/answers", {"answers": {statements[0]: 3}}, link)
    sixty = queries(
        api, "PATCH", "/respondent/answers", {"answers": dict.fromkeys(statements, 4)}, link
    )
    assert one == sixty
    assert sixty == 3  # the link, the one upsert, the answers read back


def test_a_result_is_read_from_the_cache_with_one_query(
    api: Api, ims_version: ModelVersion
) -> None:
    statements = [s.id for s in engine_model(ims_version).statements()]
    link = api.post("/self-scans", {"model_id": "ims-gov"}).json()["token"]
    api.patch("/respondent/answers", {"answers": dict.fromkeys(statements, 4)}, token=link)
    api.post("/respondent/finish", token=link)
    first = queries(api, "GET", "/respondent/result", None, link)
    again = queries(api, "GET", "/respondent/result", None, link)
    assert again == 1  # the link; the JSON is cached
    assert first == 2  # and the answers, once
