"""YAML -> XLSX -> YAML gives the same model: for the shipped models and generated ones."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from imscan.authoring import model_to_xlsx, xlsx_to_model
from imscan.authoring.xlsx import SHEETS
from imscan.engine import load_model_text

from ..conftest import SHIPPED_MODELS
from .strategies import dump, model_data

MODELS = Path(__file__).resolve().parents[1] / "engine" / "models"
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def round_trip(text: str) -> str:
    return xlsx_to_model(model_to_xlsx(text))


@pytest.mark.parametrize("name", ["ims-gov", "project-status", "impact-followup"])
def test_the_shipped_models_make_the_round_trip(name: str) -> None:
    text = (SHIPPED_MODELS / f"{name}.yaml").read_text(encoding="utf-8")
    back = round_trip(text)
    assert load_model_text(back) == load_model_text(text)
    # And again: the second trip changes nothing at all, not even the layout.
    assert round_trip(back) == back


@pytest.mark.parametrize("name", ["mean-bands", "staircase", "cumulative"])
def test_the_test_models_make_the_round_trip(name: str) -> None:
    text = (MODELS / f"{name}.yaml").read_text(encoding="utf-8")
    assert load_model_text(round_trip(text)) == load_model_text(text)


@FAST
@given(model_data())
def test_generated_models_make_the_round_trip(data: dict[str, object]) -> None:
    text = dump(data)
    back = round_trip(text)
    assert load_model_text(back) == load_model_text(text)


def test_the_workbook_layout() -> None:
    text = (SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8")
    workbook = load_workbook(io.BytesIO(model_to_xlsx(text)), read_only=True)
    assert workbook.sheetnames == list(SHEETS)

    def header(sheet: str) -> list[object]:
        return list(next(workbook[sheet].iter_rows(max_row=1, values_only=True)))

    def rows(sheet: str) -> list[tuple[object, ...]]:
        return list(workbook[sheet].iter_rows(min_row=2, values_only=True))

    assert header("model") == [
        "id",
        "version",
        "languages",
        "method",
        "pass_from",
        "title:nl",
        "title:en",
        "description:nl",
        "description:en",
    ]
    assert rows("model")[0][:5] == ("ims-gov", "1.0", "nl, en", "mean-bands", None)
    assert header("scales") == ["scale", "value", "not_applicable", "label:nl", "label:en"]
    assert rows("scales")[0] == (
        "agree5",
        1,
        None,
        "Helemaal niet van toepassing",
        "Not applicable at all",
    )
    assert rows("scales")[-1] == ("agree5", None, True, "Weet ik niet", "Don't know")
    assert header("levels")[-3:] == ["lead_time_min", "lead_time_max", "band_from"]
    assert [row[-1] for row in rows("levels")] == [1, 1.8, 2.6, 3.4, 4.2]
    assert header("dimensions") == [
        "id",
        "parent",
        "order",
        "weight",
        "title:nl",
        "title:en",
        "description:nl",
        "description:en",
    ]
    assert rows("dimensions")[:2] == [
        ("leadership", None, 1, 1, "Leiderschap", "Leadership", None, None),
        (
            "leadership-goals",
            "leadership",
            1,
            1,
            "Leiderschap - Doelen",
            "Leadership - Goals",
            rows("dimensions")[1][6],
            rows("dimensions")[1][7],
        ),
    ]
    assert header("statements") == [
        "id",
        "part",
        "order",
        "scale",
        "level",
        "weight",
        "text:nl",
        "text:en",
        "info:nl",
        "info:en",
    ]
    assert len(rows("statements")) == 60
    assert rows("statements")[0][:6] == (
        "leadership-goals-1",
        "leadership-goals",
        1,
        "agree5",
        None,
        1,
    )
    assert header("advice") == ["part", "level", "text:nl", "text:en"]
    assert len(rows("advice")) == 12 * 4
    assert header("links") == ["part", "level", "url", "title:nl", "title:en"]
    assert rows("links")[0][:3] == (
        "leadership-goals",
        1,
        "https://www.iso.org/standard/68221.html",
    )
    workbook.close()


def test_extra_languages_get_their_own_columns() -> None:
    text = (MODELS / "cumulative.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "title: {en: Partial credit, nl: Deelpunten}", "title: {en: P, nl: D, de: T}"
    )
    workbook = load_workbook(io.BytesIO(model_to_xlsx(text)), read_only=True)
    header = next(workbook["model"].iter_rows(max_row=1, values_only=True))
    assert [cell for cell in header if str(cell).startswith("title:")] == [
        "title:en",
        "title:nl",
        "title:de",
    ]
    workbook.close()
    assert load_model_text(round_trip(text)).title == {"en": "P", "nl": "D", "de": "T"}


def test_texts_that_look_like_something_else_stay_texts() -> None:
    text = (MODELS / "staircase.yaml").read_text(encoding="utf-8")
    tricky = {
        "Trap": "=1+1",
        "Staircase": "'1.0",
        "Er is een intake.": "yes",
        "There is an intake.": "2024-01-31",
        "Voor elk idee.": "  leading and trailing  ",
        "For every idea.": "two\nlines",
    }
    for old, new in tricky.items():
        text = text.replace(old, new.replace("\n", "\\n").join('""'), 1)
    model = load_model_text(text)
    assert model.title == {"nl": "=1+1", "en": "'1.0"}
    assert load_model_text(round_trip(text)) == model


def test_numbers_that_need_all_their_digits() -> None:
    text = (MODELS / "mean-bands.yaml").read_text(encoding="utf-8")
    text = text.replace("weight: 2\n", "weight: 0.30000000000000004\n", 1)
    model = load_model_text(text)
    assert load_model_text(round_trip(text)) == model
