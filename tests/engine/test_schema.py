"""The loaded model: its lookups, texts and ranges."""

from __future__ import annotations

import pickle

import pytest
from pydantic import BaseModel, ValidationError

from imscan.engine import (
    Advice,
    Level,
    Link,
    MaturityModel,
    Node,
    ScaleOption,
    Statement,
    score,
    tr,
)
from imscan.engine.rules import TEXT_FIELDS
from imscan.engine.schema import Text

from .conftest import MEAN_BANDS_STATEMENTS


def test_statements_and_nodes_in_model_order(mean_bands: MaturityModel) -> None:
    assert [s.id for s in mean_bands.statements()] == list(MEAN_BANDS_STATEMENTS)
    assert [n.id for n in mean_bands.nodes()] == [
        "leadership",
        "goals",
        "commitment",
        "culture",
        "people",
    ]
    assert [n.id for n in mean_bands.parts()] == ["goals", "commitment", "people"]
    assert [n.id for n in mean_bands.top_nodes()] == ["leadership", "culture"]


def test_lookups(mean_bands: MaturityModel) -> None:
    assert mean_bands.statement("goals-3").weight == 2
    assert mean_bands.node("culture").weight == 2
    assert mean_bands.node("goals").is_part
    assert not mean_bands.node("leadership").is_part
    parent = mean_bands.parent_of("goals-1")
    assert parent is not None and parent.id == "goals"
    grandparent = mean_bands.parent_of("goals")
    assert grandparent is not None and grandparent.id == "leadership"
    assert mean_bands.parent_of("leadership") is None
    assert mean_bands.level(3).name["en"] == "Embedding"
    assert mean_bands.level_count == 5
    assert mean_bands.scale_of("people-2").values == [1, 2, 3, 4, 5]
    assert mean_bands.statement_total == 7
    assert mean_bands.statement_count("leadership") == 5


@pytest.mark.parametrize("lookup", ["statement", "node", "parent_of", "scale_of"])
def test_unknown_ids_raise_key_error(mean_bands: MaturityModel, lookup: str) -> None:
    with pytest.raises(KeyError):
        getattr(mean_bands, lookup)("nope")


def test_scale(mean_bands: MaturityModel) -> None:
    scale = mean_bands.scales["agree5"]
    assert (scale.lowest, scale.highest) == (1, 5)
    assert scale.has_value(3) and scale.has_value(3.0) and not scale.has_value(3.5)
    option = scale.not_applicable_option
    assert option is not None and option.label["en"] == "Don't know"


def test_score_range(
    mean_bands: MaturityModel, staircase: MaturityModel, cumulative: MaturityModel
) -> None:
    assert mean_bands.score_range == (1, 5)
    assert staircase.score_range == (1, 4)
    assert cumulative.score_range == (1, 4)


def test_share_is_the_weight_in_the_overall_score(mean_bands: MaturityModel) -> None:
    # leadership 1 and culture 2: 1/3 and 2/3; goals and commitment split leadership.
    assert mean_bands.share("leadership") == pytest.approx(1 / 3)
    assert mean_bands.share("goals") == pytest.approx(1 / 6)
    assert mean_bands.share("people") == pytest.approx(2 / 3)
    assert sum(mean_bands.share(part.id) for part in mean_bands.parts()) == pytest.approx(1)


def test_advice_by_level(mean_bands: MaturityModel) -> None:
    advice = mean_bands.node("goals").advice[3]
    assert advice.text["en"] == "Link goals to the strategy."
    assert advice.links[0].url == "https://example.org/goals"


def test_model_is_immutable(mean_bands: MaturityModel) -> None:
    with pytest.raises(ValidationError):
        mean_bands.version = "2"  # type: ignore[misc]


def test_dump_uses_the_file_keys(mean_bands: MaturityModel) -> None:
    dumped = mean_bands.model_dump(exclude_defaults=True)
    assert dumped["scoring"]["bands"][1] == {"level": 2, "from": 1.8}
    assert MaturityModel.model_validate(mean_bands.model_dump()) == mean_bands


def test_tr_prefers_the_language_then_the_fallbacks() -> None:
    text = {"nl": "Doelen", "en": "Goals"}
    assert tr(text, "en") == "Goals"
    assert tr(text, "de") == "Doelen"
    assert tr(text, "de", fallback=("en", "nl")) == "Goals"
    assert tr({"fr": "Buts"}, "en") == "Buts"
    assert tr({"nl": "", "en": "Goals"}, "nl") == "Goals"
    assert tr({}, "nl") == ""


def test_the_rules_know_every_text_field_of_the_schema() -> None:
    kinds: dict[str, type[BaseModel]] = {
        "model": MaturityModel,
        "option": ScaleOption,
        "level": Level,
        "node": Node,
        "advice": Advice,
        "link": Link,
        "statement": Statement,
    }
    text_types = {Text, Text | None}
    for kind, cls in kinds.items():
        fields = {
            name for name, field in cls.model_fields.items() if field.annotation in text_types
        }
        assert set(TEXT_FIELDS[kind]) == fields, kind
    assert set(TEXT_FIELDS) == set(kinds)


def test_a_model_survives_pickling(mean_bands: MaturityModel) -> None:
    # The web app keeps loaded models in Django's cache, which pickles them.
    copy = pickle.loads(pickle.dumps(mean_bands))  # noqa: S301 - our own data
    assert copy == mean_bands
    assert copy.parent_of("goals-1") == mean_bands.parent_of("goals-1")
    assert score(copy, {"goals-1": 3}) == score(mean_bands, {"goals-1": 3})
