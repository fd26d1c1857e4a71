"""Reading the published models: every version, and one in full in a language."""

from __future__ import annotations

from pathlib import Path

import pytest

from imscan.catalog.models import ModelVersion
from imscan.catalog.selectors import engine_model
from imscan.catalog.services import model_version_store
from imscan.engine import tr
from tests.api.helpers import Api, error_of

pytestmark = pytest.mark.django_db
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "imscan" / "content" / "models"


@pytest.fixture
def both_models(ims_version: ModelVersion) -> list[ModelVersion]:
    other = model_version_store(
        source=(SHIPPED / "project-status.yaml").read_text(encoding="utf-8"), source_path=""
    ).version
    return [ims_version, other]


def test_every_published_version_is_listed(api: Api, both_models: list[ModelVersion]) -> None:
    body = api.get("/models").json()
    assert body["count"] == 2
    assert {item["model_id"] for item in body["items"]} == {"ims-gov", "project-status"}
    ims = next(item for item in body["items"] if item["model_id"] == "ims-gov")
    assert ims["version"] == "1.0"
    assert ims["languages"] == ["nl", "en"]
    assert ims["statements"] == 60
    assert ims["method"] == "mean-bands"
    assert ims["latest"] is True
    assert ims["title"]["en"] == tr(engine_model(both_models[0]).title, "en")


def test_the_list_comes_in_pages(api: Api, both_models: list[ModelVersion]) -> None:
    first = api.get("/models", limit=1).json()
    second = api.get("/models", limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    assert (first["limit"], first["offset"], second["offset"]) == (1, 0, 1)
    assert first["items"][0]["model_id"] != second["items"][0]["model_id"]
    assert api.get("/models", offset=5).json()["items"] == []
    assert api.get("/models", model_id="project-status").json()["count"] == 1


@pytest.mark.parametrize(
    "query", [{"limit": 0}, {"limit": 101}, {"offset": -1}, {"limit": "ten"}, {"model_id": "A B"}]
)
def test_bad_paging_is_a_validation_error(
    api: Api, ims_version: ModelVersion, query: dict[str, object]
) -> None:
    response = api.get("/models", **query)
    assert error_of(response) == (422, "validation_error")
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_a_version_in_full_in_the_language_asked_for(api: Api, ims_version: ModelVersion) -> None:
    model = engine_model(ims_version)
    english = api.get("/models/ims-gov/versions/1.0", lang="en").json()
    dutch = api.get("/models/ims-gov/versions/1.0", lang="nl").json()
    assert (english["language"], dutch["language"]) == ("en", "nl")
    assert english["title"] == tr(model.title, "en") != dutch["title"]
    assert [level["level"] for level in english["levels"]] == [1, 2, 3, 4, 5]
    assert english["levels"][0]["lead_time_months"] == {"min": 3, "max": 9}
    assert english["levels"][-1]["lead_time_months"] is None
    assert english["scoring"]["method"] == "mean-bands"
    assert english["scoring"]["bands"][0] == {"level": 1, "from_score": 1.0}

    def statements(nodes: list[dict]) -> list[dict]:
        out = []
        for node in nodes:
            out += node["statements"] or []
            out += statements(node["children"] or [])
        return out

    found = statements(english["dimensions"])
    assert [s["id"] for s in found] == [s.id for s in model.statements()]
    first = model.statements()[0]
    assert found[0]["text"] == tr(first.text, "en")
    assert found[0]["info"] == tr(first.info, "en")
    assert statements(dutch["dimensions"])[0]["text"] == tr(first.text, "nl")
    part = english["dimensions"][0]["children"][0]
    assert [advice["level"] for advice in part["advice"]] == [1, 2, 3, 4]
    scale = english["scales"][0]
    assert [option["value"] for option in scale["options"]] == [1, 2, 3, 4, 5, None]
    assert scale["options"][-1]["not_applicable"] is True


def test_the_language_defaults_to_the_requests(api: Api, ims_version: ModelVersion) -> None:
    path = "/models/ims-gov/versions/1.0"
    assert api.get(path, headers={"Accept-Language": "en"}).json()["language"] == "en"
    assert api.get(path, headers={"Accept-Language": "nl"}).json()["language"] == "nl"
    assert api.get(path, headers={"Accept-Language": "fr"}).json()["language"] == "nl"


def test_a_language_the_model_lacks_is_refused(api: Api, ims_version: ModelVersion) -> None:
    response = api.get("/models/ims-gov/versions/1.0", lang="de")
    assert error_of(response) == (422, "validation_error")
    assert "nl, en" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/models/ims-gov/versions/9.9", "/models/nope/versions/1.0"])
def test_an_unknown_version_is_not_found(api: Api, ims_version: ModelVersion, path: str) -> None:
    assert error_of(api.get(path)) == (404, "not_found")
