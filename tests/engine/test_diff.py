"""`imscan diff`: what changed between two versions of a model, and what stays comparable."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imscan.engine import MaturityModel, ModelValidationError, load_model_text
from imscan.engine.cli import diff_main
from imscan.engine.diff import KINDS, Change, ModelDiff, diff_models, format_report

from ..authoring.strategies import dump, model_data
from ..conftest import SHIPPED_MODELS
from .conftest import BROKEN, MODELS

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATA = {
    name: yaml.safe_load((MODELS / f"{name}.yaml").read_text(encoding="utf-8"))
    for name in ("mean-bands", "staircase", "cumulative")
}
Data = dict[str, Any]


def load(data: Data) -> MaturityModel:
    return load_model_text(dump(data))


def variant(name: str, edit: Callable[[Data], object]) -> tuple[MaturityModel, MaturityModel]:
    """The test model `name`, and a copy changed by `edit`."""
    changed = copy.deepcopy(DATA[name])
    edit(changed)
    return load(DATA[name]), load(changed)


def changes(diff: ModelDiff) -> list[tuple[str, str, str, str, Any, Any]]:
    return [(c.kind, c.item, c.field, c.language, c.old, c.new) for c in diff.changes]


def part(data: Data, *path: int) -> Data:
    """A node by its position: part(data, 0, 1) is the second child of the first top node."""
    node: Data = data["dimensions"][path[0]]
    for index in path[1:]:
        node = node["children"][index]
    return node


# The mean-bands test model: leadership (goals, commitment), culture (people).
GOALS, COMMITMENT, PEOPLE = (0, 0), (0, 1), (1, 0)


def test_a_model_against_itself_is_identical() -> None:
    model = load(DATA["mean-bands"])
    diff = diff_models(model, model)
    assert diff.identical and diff.changes == ()
    assert [v.part for v in diff.parts] == ["goals", "commitment", "people"]
    assert all(v.comparable and not v.reasons and not v.notes for v in diff.parts)
    assert diff.overall_comparable
    assert format_report(diff) == (
        "test-mean-bands 1.0 and test-mean-bands 1.0 are identical: every score is comparable.\n"
    )


def test_a_statement_added() -> None:
    new = {"id": "goals-4", "scale": "agree5", "text": {"nl": "N", "en": "N"}}
    new["info"] = {"nl": "I", "en": "I"}
    old, changed = variant("mean-bands", lambda d: part(d, *GOALS)["statements"].append(new))
    diff = diff_models(old, changed)
    assert changes(diff) == [("statement-added", "goals-4", "part", "", None, "goals")]
    assert diff.added == {("statement", "goals-4")} and diff.removed == set()
    goals = diff.verdict("goals")
    assert goals is not None and not goals.comparable
    assert goals.reasons == ("statement goals-4 was added",)
    assert [v.part for v in diff.parts if v.comparable] == ["commitment", "people"]
    assert diff.overall_reasons == ("parts not comparable: goals",)


def test_a_statement_removed() -> None:
    old, new = variant("mean-bands", lambda d: part(d, *PEOPLE)["statements"].pop())
    diff = diff_models(old, new)
    assert changes(diff) == [("statement-removed", "people-2", "part", "", "people", None)]
    assert diff.removed == {("statement", "people-2")}
    people = diff.verdict("people")
    assert people is not None and people.reasons == ("statement people-2 was removed",)


def test_a_statement_reworded_per_language_stays_comparable() -> None:
    def edit(data: Data) -> None:
        part(data, *GOALS)["statements"][0]["text"]["en"] = "We have goals for innovation."
        part(data, *GOALS)["statements"][1]["info"]["nl"] = "Iedereen kent ze goed."

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [
        (
            "statement-reworded",
            "goals-1",
            "text",
            "en",
            "We have innovation goals.",
            "We have goals for innovation.",
        ),
        (
            "statement-reworded",
            "goals-2",
            "info",
            "nl",
            "Iedereen kent ze.",
            "Iedereen kent ze goed.",
        ),
    ]
    goals = diff.verdict("goals")
    assert goals is not None and goals.comparable
    assert goals.notes == ("statement goals-1 was reworded (en)",)
    assert diff.overall_comparable


def test_a_translation_added() -> None:
    diff = diff_models(*variant("mean-bands", lambda d: d["title"].update({"de": "Testscan"})))
    assert changes(diff) == [("model-changed", "", "title", "de", None, "Testscan")]


def test_a_statement_moved_to_another_part() -> None:
    def edit(data: Data) -> None:
        moved = part(data, *GOALS)["statements"].pop(0)
        part(data, *PEOPLE)["statements"].append(moved)

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [("statement-moved", "goals-1", "part", "", "goals", "people")]
    assert diff.added == diff.removed == set()
    verdicts = {v.part: v for v in diff.parts}
    assert verdicts["goals"].reasons == ("statement goals-1 moved to people",)
    assert verdicts["people"].reasons == ("statement goals-1 moved here from goals",)
    assert verdicts["commitment"].comparable


def test_a_statement_on_another_scale() -> None:
    def edit(data: Data, values: list[int]) -> None:
        data["scales"]["other"] = {
            "options": [{"value": v, "label": {"nl": str(v), "en": str(v)}} for v in values]
        }
        part(data, *PEOPLE)["statements"][0]["scale"] = "other"

    # The same answer values: comparable, with a note on the labels.
    diff = diff_models(*variant("mean-bands", lambda d: edit(d, [1, 2, 3, 4, 5])))
    assert ("statement-scale-changed", "people-1", "scale", "", "agree5", "other") in changes(diff)
    assert ("scale-added", "other", "", "", None, [1, 2, 3, 4, 5]) in changes(diff)
    people = diff.verdict("people")
    assert people is not None and people.comparable
    assert people.notes == ("the answer labels of statement people-1 changed",)
    # Other values: not comparable.
    diff = diff_models(*variant("mean-bands", lambda d: edit(d, [1, 3, 5])))
    people = diff.verdict("people")
    assert people is not None and people.reasons == (
        "the answer values of statement people-1 changed",
    )


def test_a_scale_changed() -> None:
    def edit(data: Data) -> None:
        options = data["scales"]["agree5"]["options"]
        options[2]["label"]["en"] = "Now and then"
        options.pop()  # no "don't know" any more

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [
        ("scale-changed", "agree5", "not_applicable", "", True, False),
        (
            "scale-changed",
            "agree5",
            "label[3]",
            "en",
            "Sometimes yes sometimes not",
            "Now and then",
        ),
        (
            "scale-changed",
            "agree5",
            "label[n/a]",
            "",
            {"nl": "Weet ik niet", "en": "Don't know"},
            None,
        ),
    ]
    # Labels are not values: every part stays comparable, with a note.
    assert all(v.comparable for v in diff.parts)
    assert diff.parts[0].notes[0] == "the answer labels of statement goals-1 changed"


def test_scale_values_changed() -> None:
    def edit(data: Data) -> None:
        data["scales"]["yesno"]["options"][1]["value"] = 0.5

    diff = diff_models(*variant("staircase", edit))
    # Labels belong to values: the option 0 is gone, the option 0.5 is new.
    no = {"nl": "Nee", "en": "No"}
    assert changes(diff) == [
        ("scale-changed", "yesno", "values", "", [1, 0], [1, 0.5]),
        ("scale-changed", "yesno", "label[0.5]", "", None, no),
        ("scale-changed", "yesno", "label[0]", "", no, None),
    ]
    assert not any(v.comparable for v in diff.parts)
    assert "the answer values of statement intake-2 changed" in diff.parts[0].reasons


def test_weights_and_levels_of_statements() -> None:
    def edit(data: Data) -> None:
        data["dimensions"][0]["statements"][0]["weight"] = 2
        data["dimensions"][1]["statements"][1]["level"] = 3

    diff = diff_models(*variant("staircase", edit))
    assert changes(diff) == [
        ("statement-changed", "intake-2", "weight", "", 1, 2),
        ("statement-changed", "review-2b", "level", "", 2, 3),
    ]
    intake, review = diff.parts
    assert intake.reasons == ("the weight of statement intake-2 changed from 1 to 2",)
    assert review.reasons == ("statement review-2b is a criterion for level 3, was 2",)


def test_parts_and_groups_added_removed_renamed_moved() -> None:
    def edit(data: Data) -> None:
        leadership = data["dimensions"][0]
        leadership["title"]["en"] = "Leading"
        commitment = leadership["children"].pop(1)
        data["dimensions"][1]["children"].append(commitment)
        data["dimensions"][1]["children"].remove(part(data, *PEOPLE))
        data["dimensions"].append(
            {
                "id": "results",
                "title": {"nl": "Resultaat", "en": "Results"},
                "children": [
                    {
                        "id": "impact",
                        "title": {"nl": "Effect", "en": "Impact"},
                        "statements": [
                            {
                                "id": "impact-1",
                                "scale": "agree5",
                                "text": {"nl": "E", "en": "E"},
                                "info": {"nl": "I", "en": "I"},
                            }
                        ],
                    }
                ],
            }
        )

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [
        ("node-added", "results", "group", "", None, None),
        ("node-added", "impact", "part", "", None, "results"),
        ("node-removed", "people", "part", "", "culture", None),
        ("node-renamed", "leadership", "title", "en", "Leadership", "Leading"),
        ("node-moved", "commitment", "parent", "", "leadership", "culture"),
        ("statement-added", "impact-1", "part", "", None, "impact"),
        ("statement-removed", "people-1", "part", "", "people", None),
        ("statement-removed", "people-2", "part", "", "people", None),
    ]
    assert diff.added == {("node", "results"), ("node", "impact"), ("statement", "impact-1")}
    verdicts = {v.part: v for v in diff.parts}
    assert list(verdicts) == ["goals", "commitment", "impact", "people"]
    # Moving a part keeps its own score comparable, not the overall one.
    assert verdicts["goals"].comparable and verdicts["commitment"].comparable
    assert verdicts["impact"].reasons == ("only in the new version",)
    assert verdicts["people"].reasons == ("only in the old version",)
    assert not diff.overall_comparable
    assert diff.overall_reasons == (
        "parts not comparable: impact, people",
        "part commitment moved",
        "group results was added",
    )


def test_node_details() -> None:
    def edit(data: Data) -> None:
        goals = part(data, *GOALS)
        goals["description"] = {"nl": "Over doelen.", "en": "About goals."}
        goals["weight"] = 3
        goals["advice"][1]["text"]["nl"] = "Stel doelen."
        goals["advice"][3]["links"][0]["url"] = "https://example.org/aims"
        del goals["advice"][4]
        goals["advice"][2]["links"] = [{"title": {"nl": "G", "en": "G"}, "url": "/g"}]

    diff = diff_models(*variant("mean-bands", edit))
    kinds = [(c.kind, c.item, c.field, c.language) for c in diff.changes]
    assert kinds == [
        ("node-changed", "goals", "description", "nl"),
        ("node-changed", "goals", "description", "en"),
        ("node-changed", "goals", "weight", ""),
        ("node-changed", "goals", "advice[1].text", "nl"),
        ("node-changed", "goals", "advice[2].links", ""),
        ("node-changed", "goals", "advice[3].links", ""),
        ("node-changed", "goals", "advice[4]", ""),
    ]
    assert diff.changes[-1].new is None
    # A part's own weight changes how it counts overall, not its own score.
    assert all(v.comparable for v in diff.parts)
    assert diff.overall_reasons == ("the weight of part goals changed from 1 to 3",)


def test_levels_and_bands() -> None:
    def edit(data: Data) -> None:
        data["levels"][0]["name"]["en"] = "At the start"
        data["levels"][1]["lead_time_months"] = {"min": 6, "max": 18}
        data["scoring"]["bands"][1]["from"] = 2.0

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [
        ("level-changed", "1", "name", "en", "On the eve", "At the start"),
        (
            "level-changed",
            "2",
            "lead_time_months",
            "",
            {"min": 6, "max": 12},
            {"min": 6, "max": 18},
        ),
        ("scoring-changed", "2", "band", "", 1.8, 2),
    ]
    assert not any(v.comparable for v in diff.parts)
    assert diff.parts[0].reasons == ("the scoring changed (bands or pass_from)",)
    assert diff.overall_reasons == ("the scoring changed (bands or pass_from)",)


def test_a_level_removed() -> None:
    def edit(data: Data) -> None:
        data["levels"].pop()
        data["levels"][-1]["lead_time_months"] = None
        data["dimensions"][0]["statements"].pop()
        data["dimensions"][1]["statements"].pop()

    diff = diff_models(*variant("staircase", edit))
    assert ("level-removed", "4") in {(c.kind, c.item) for c in diff.changes}
    assert ("level", "4") in diff.removed
    assert diff.parts[0].reasons[0] == "the number of levels changed from 4 to 3"


def test_the_scoring_method_changed() -> None:
    def edit(data: Data) -> None:
        data["scoring"] = {"method": "cumulative"}

    diff = diff_models(*variant("staircase", edit))
    assert changes(diff) == [
        ("scoring-changed", "", "method", "", "staircase", "cumulative"),
        ("scoring-changed", "", "pass_from", "", 1, None),
    ]
    assert diff.overall_reasons == ("the scoring method changed from staircase to cumulative",)


def test_reordered() -> None:
    def edit(data: Data) -> None:
        part(data, *GOALS)["statements"].reverse()
        data["dimensions"].reverse()

    diff = diff_models(*variant("mean-bands", edit))
    assert changes(diff) == [
        ("reordered", "", "children", "", ["leadership", "culture"], ["culture", "leadership"]),
        (
            "reordered",
            "goals",
            "children",
            "",
            ["goals-1", "goals-2", "goals-3"],
            [
                "goals-3",
                "goals-2",
                "goals-1",
            ],
        ),
    ]
    assert diff.overall_comparable


def test_the_shipped_models_differ_in_everything() -> None:
    ims = load_model_text((SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8"))
    status = load_model_text((SHIPPED_MODELS / "project-status.yaml").read_text(encoding="utf-8"))
    diff = diff_models(ims, status)
    assert not any(v.comparable for v in diff.parts)
    assert len(diff.parts) == 12 + 10
    assert ("scale", "status") in diff.added and ("scale", "agree5") in diff.removed
    report = format_report(diff)
    assert report.startswith("ims-gov 1.0 -> project-status 1.0: ")
    assert "not comparable (22 of 22 parts)" in report


def test_the_report_reads_well() -> None:
    def edit(data: Data) -> None:
        data["version"] = "1.1"
        part(data, *GOALS)["statements"][0]["text"]["en"] = "We have innovation goals, " + (
            "written down and known to everyone in the organisation."
        )
        part(data, *PEOPLE)["statements"].pop()

    report = format_report(diff_models(*variant("mean-bands", edit)))
    assert report == (
        "test-mean-bands 1.0 -> test-mean-bands 1.1: 3 changes\n"
        "\n"
        "Model\n"
        '  version: "1.0" -> "1.1"\n'
        "\n"
        "Statements\n"
        "  removed   people-2 (from people)\n"
        "  reworded  goals-1 text [en]:\n"
        '      - "We have innovation goals."\n'
        '      + "We have innovation goals, written down and known to everyone in the '
        'organisation."\n'
        "\n"
        "Comparability\n"
        "  comparable (2 of 3 parts): goals, commitment\n"
        "  not comparable (1 of 3 parts):\n"
        "    people: statement people-2 was removed\n"
        "  notes:\n"
        "    goals: statement goals-1 was reworded (en)\n"
        "  overall score: not comparable: parts not comparable: people\n"
    )


# The command-line function.


def write(tmp_path: Path, name: str, data: Data) -> str:
    path = tmp_path / name
    path.write_text(dump(data), encoding="utf-8")
    return str(path)


def run(old: str, new: str, *, as_json: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = diff_main(old, new, out, err, as_json=as_json)
    return code, out.getvalue(), err.getvalue()


def test_cli_exit_codes(tmp_path: Path) -> None:
    same = str(MODELS / "mean-bands.yaml")
    assert run(same, same)[0] == 0
    changed = copy.deepcopy(DATA["mean-bands"])
    changed["version"] = "2.0"
    code, out, err = run(same, write(tmp_path, "new.yaml", changed))
    assert (code, err) == (1, "")
    assert out.startswith("test-mean-bands 1.0 -> test-mean-bands 2.0: 1 change\n")


def test_cli_bad_files_give_their_problems(tmp_path: Path) -> None:
    broken = str(BROKEN / "unknown-scale.yaml")
    missing = str(tmp_path / "missing.yaml")
    code, out, err = run(broken, missing)
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert lines[0] == f"{broken}:24:29: unknown scale 'agree7' (known: agree)"
    assert lines[1].startswith(f"{missing}:1:1: cannot read the file: ")


def test_cli_json(tmp_path: Path) -> None:
    changed = copy.deepcopy(DATA["cumulative"])
    changed["dimensions"][0]["children"][1]["statements"].pop()
    old, new = str(MODELS / "cumulative.yaml"), write(tmp_path, "new.yaml", changed)
    code, out, _ = run(old, new, as_json=True)
    assert code == 1
    data = json.loads(out)
    assert data["old"] == {"id": "test-cumulative", "version": "2.1", "path": old}
    assert data["identical"] is False
    assert data["changes"] == [
        {
            "kind": "statement-removed",
            "item": "tools-4",
            "field": "part",
            "language": "",
            "old": "tools",
            "new": None,
        }
    ]
    assert data["parts"][1] == {
        "part": "tools",
        "comparable": False,
        "reasons": ["statement tools-4 was removed"],
        "notes": [],
    }
    assert data["overall"] == {"comparable": False, "reasons": ["parts not comparable: tools"]}
    code, out, _ = run(old, old, as_json=True)
    assert code == 0 and json.loads(out)["changes"] == []


# Properties.


def all_kinds_known(diff: ModelDiff) -> bool:
    return all(change.kind in KINDS for change in diff.changes)


@FAST
@given(model_data())
def test_a_model_never_differs_from_itself(data: Data) -> None:
    model = load(data)
    diff = diff_models(model, load(copy.deepcopy(data)))
    assert diff.identical
    assert all(verdict.comparable for verdict in diff.parts) and diff.overall_comparable
    assert len(diff.parts) == len(model.parts())


@FAST
@given(model_data(), model_data())
def test_what_one_adds_the_other_removes(first: Data, second: Data) -> None:
    a, b = load(first), load(second)
    forward, backward = diff_models(a, b), diff_models(b, a)
    assert forward.added == backward.removed
    assert forward.removed == backward.added
    # Empty exactly when the models are equal; and a report and JSON for any pair.
    assert forward.identical == (a == b) == backward.identical
    assert all_kinds_known(forward)
    assert format_report(forward)
    json.dumps(forward.to_json())
    # Comparability is symmetric, part by part.
    assert {(v.part, v.comparable) for v in forward.parts} == {
        (v.part, v.comparable) for v in backward.parts
    }
    assert forward.overall_comparable == backward.overall_comparable


EDITS = ("drop-statement", "move-statement", "reword", "weight", "retitle", "drop-advice")


def edited(data: Data, edit: str, pick: int) -> Data:
    """A copy of the model data with one small edit, as an author would make."""
    changed = copy.deepcopy(data)
    parts: list[Data] = []

    def walk(nodes: list[Data]) -> None:
        for node in nodes:
            if "statements" in node:
                parts.append(node)
            walk(node.get("children", []))

    walk(changed["dimensions"])
    target = parts[pick % len(parts)]
    other = parts[(pick + 1) % len(parts)]
    statements = target["statements"]
    if edit == "drop-statement" and len(statements) > 1:
        statements.pop(pick % len(statements))
    elif edit == "move-statement" and len(statements) > 1 and other is not target:
        other["statements"].append(statements.pop(0))
    elif edit == "reword":
        text = statements[0]["text"]
        text[next(iter(text))] = "Reworded."
    elif edit == "weight":
        statements[-1]["weight"] = 7
    elif edit == "retitle":
        target["title"] = {language: "New title" for language in target["title"]}
    elif edit == "drop-advice":
        target.pop("advice", None)
    return changed


@FAST
@given(model_data(), st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 20)), max_size=3))
def test_small_edits_are_found(data: Data, edits: list[tuple[str, int]]) -> None:
    changed = data
    for edit, pick in edits:
        changed = edited(changed, edit, pick)
    a, b = load(data), load(changed)
    diff = diff_models(a, b)
    assert diff.identical == (a == b)
    assert diff.added == diff_models(b, a).removed
    moved = diff.of_kind("statement-moved")
    for change in moved:
        assert isinstance(change, Change) and change.old != change.new
    # A part with the same statements, values, weights and levels stays comparable.
    for verdict in diff.parts:
        if verdict.part in {p.id for p in a.parts()} & {p.id for p in b.parts()}:
            same = [s.model_dump() for s in a.node(verdict.part).statements or []]
            now = [s.model_dump() for s in b.node(verdict.part).statements or []]
            strip = [{k: v for k, v in s.items() if k not in ("text", "info")} for s in same]
            stripped = [{k: v for k, v in s.items() if k not in ("text", "info")} for s in now]
            assert verdict.comparable == (sorted(map(repr, strip)) == sorted(map(repr, stripped)))


def leaves(value: object, path: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], object]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in leaves(item, (*path, key))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in leaves(item, (*path, index))]
    return [(path, value)]


def other(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 1
    return f"{value}x"


@pytest.mark.parametrize("name", sorted(DATA))
def test_every_change_of_a_value_is_reported(name: str) -> None:
    # Change each value of the file in turn: whenever the result still loads, the diff
    # has at least one change.
    original = load(DATA[name])
    checked = 0
    for path, value in leaves(DATA[name]):
        changed = copy.deepcopy(DATA[name])
        container: Any = changed
        for key in path[:-1]:
            container = container[key]
        container[path[-1]] = other(value)
        try:
            model = load(changed)
        except ModelValidationError:
            continue
        checked += 1
        diff = diff_models(original, model)
        assert model != original and not diff.identical, path
    assert checked > 50


def test_the_documented_report_is_what_the_diff_prints() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "model-format.md").read_text("utf-8")
    start = doc.index("```\nims-gov 1.0 -> ims-gov 1.1") + len("```\n")
    documented = doc[start : doc.index("```", start)]
    text = (SHIPPED_MODELS / "ims-gov.yaml").read_text(encoding="utf-8")
    edited_text = (
        text.replace('version: "1.0"', 'version: "1.1"', 1)
        .replace(
            "Our organisation's mission is explicitly linked", "Our mission is clearly linked", 1
        )
        .replace("id: culture-5\n", "id: culture-9\n", 1)
    )
    diff = diff_models(load_model_text(text), load_model_text(edited_text))
    assert format_report(diff) == documented
