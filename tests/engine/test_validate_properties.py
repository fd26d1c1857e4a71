"""Broken model files of every kind give problems, never exceptions (hypothesis)."""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterator

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imscan.engine import Problem, validate_text

from .conftest import MODELS

TEXTS = {
    name: (MODELS / f"{name}.yaml").read_text(encoding="utf-8")
    for name in ("mean-bands", "staircase", "cumulative")
}
DATA = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
# Keys that may be left out of a valid file (lead_time_months only where it is null).
OPTIONAL = {"description", "weight", "advice", "links"}
FAST = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Path = tuple[Hashable, ...]


def walk(value: object, path: Path = ()) -> Iterator[tuple[Path, object]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, (*path, index))


def at(data: object, path: Path) -> object:
    for key in path:
        data = data[key]  # type: ignore[index]
    return data


def required_keys(data: object) -> list[Path]:
    return [
        path
        for path, value in walk(data)
        if path
        and isinstance(path[-1], str)
        and path[-1] not in OPTIONAL
        and not (path[-1] == "lead_time_months" and value is None)
    ]


def category(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


REPLACEMENTS: list[object] = ["x", 7, True, None, [], {}]


def assert_sane(problems: list[Problem], text: str) -> None:
    last_line = text.count("\n") + 2
    for problem in problems:
        assert isinstance(problem, Problem)
        assert 1 <= problem.line <= last_line and problem.column >= 1
        assert problem.message


def dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@FAST
@given(st.sampled_from(sorted(DATA)), st.data())
def test_dropping_a_required_key_is_a_problem(name: str, data: st.DataObject) -> None:
    model = copy.deepcopy(DATA[name])
    path = data.draw(st.sampled_from(required_keys(model)))
    del at(model, path[:-1])[path[-1]]  # type: ignore[attr-defined]
    text = dump(model)
    problems = validate_text(text)
    assert problems, path
    assert_sane(problems, text)


@FAST
@given(st.sampled_from(sorted(DATA)), st.data())
def test_a_value_of_the_wrong_type_is_a_problem(name: str, data: st.DataObject) -> None:
    model = copy.deepcopy(DATA[name])
    path, value = data.draw(st.sampled_from([item for item in walk(model) if item[0]]))
    replacement = data.draw(
        st.sampled_from(
            [
                new
                for new in REPLACEMENTS
                if category(new) != category(value)
                and not (new is None and path[-1] == "description")
            ]
        )
    )
    at(model, path[:-1])[path[-1]] = replacement  # type: ignore[index]
    text = dump(model)
    problems = validate_text(text)
    assert problems, (path, replacement)
    assert_sane(problems, text)


@FAST
@given(st.sampled_from(sorted(DATA)), st.data())
def test_a_duplicate_id_is_a_problem(name: str, data: st.DataObject) -> None:
    model = copy.deepcopy(DATA[name])
    ids = [path for path, _ in walk(model) if path[-1:] == ("id",) and len(path) > 1]
    first, second = data.draw(st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique=True))
    at(model, second[:-1])["id"] = at(model, first)  # type: ignore[index]
    problems = validate_text(dump(model))
    assert any("duplicate id" in problem.message for problem in problems)


@FAST
@given(st.sampled_from(sorted(TEXTS)), st.data())
def test_random_edits_of_the_text_never_raise(name: str, data: st.DataObject) -> None:
    text = TEXTS[name]
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, min(len(text), start + 40)))
    insert = data.draw(st.text(max_size=20))
    edited = text[:start] + insert + text[end:]
    assert_sane(validate_text(edited), edited)


@FAST
@given(st.text(max_size=300))
def test_random_text_never_raises(text: str) -> None:
    assert_sane(validate_text(text), text)


KNOWN_KEYS = [
    "id",
    "version",
    "languages",
    "title",
    "scales",
    "levels",
    "scoring",
    "dimensions",
    "options",
    "value",
    "label",
    "level",
    "from",
    "children",
    "statements",
    "advice",
    "text",
    "info",
    "weight",
    "method",
    "bands",
]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(KNOWN_KEYS) | st.text(max_size=5) | st.integers(), children, max_size=5
        )
    ),
    max_leaves=20,
)


@FAST
@given(st.dictionaries(st.sampled_from(KNOWN_KEYS), STRUCTURES, max_size=9))
def test_random_structures_give_problems(data: dict[str, object]) -> None:
    text = dump(data)
    problems = validate_text(text)
    assert problems
    assert_sane(problems, text)
