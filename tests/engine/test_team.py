"""Team results in the engine: answers per statement, the discussion agenda, group gaps and
the anonymity threshold; unit tests, properties (hypothesis) and the worked example of
docs/scoring.md ("Team results"), recomputed so the doc cannot drift from the code."""

from __future__ import annotations

import math
import re
from itertools import pairwise
from pathlib import Path
from random import Random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imscan.engine import (
    AGENDA_MIN_ANSWERS,
    AnswerError,
    Distribution,
    MaturityModel,
    RespondentAnswers,
    agenda,
    group_gaps,
    load_model_path,
    load_model_text,
    node_distributions,
    score_many,
    statement_distributions,
    team_report,
    visible_groups,
)

from .builders import ims_like_model
from .conftest import MODELS

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"
MODELS_BY_NAME = {
    name: load_model_path(MODELS / f"{name}.yaml")
    for name in ("mean-bands", "staircase", "cumulative")
} | {"ims-like": load_model_text(ims_like_model())}
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MISSING = object()


def team(*rows: tuple[str, dict[str, float | None]]) -> list[RespondentAnswers]:
    return [RespondentAnswers(group, answers) for group, answers in rows]


def same(model: MaturityModel, value: float | None) -> dict[str, float | None]:
    return {statement.id: value for statement in model.statements()}


# ---- answers per statement ----


def test_a_statement_counts_each_answer_dont_know_and_open(mean_bands: MaturityModel) -> None:
    respondents = team(
        ("a", {"goals-1": 1}),
        ("a", {"goals-1": 5}),
        ("b", {"goals-1": 5}),
        ("b", {"goals-1": None}),
        ("b", {}),
    )
    item = statement_distributions(mean_bands, respondents)["goals-1"]
    assert item.values == (1, 2, 3, 4, 5)
    assert item.counts == (1, 0, 0, 0, 2)
    assert (item.answered, item.dont_know, item.unanswered, item.total) == (3, 1, 1, 5)
    assert item.mean == pytest.approx(11 / 3)
    assert item.sd == pytest.approx(math.sqrt(((1 - 11 / 3) ** 2 + 2 * (5 - 11 / 3) ** 2) / 3))


def test_disagreement_is_one_for_two_camps_at_the_ends_and_zero_for_one_voice(
    mean_bands: MaturityModel,
) -> None:
    split = team(("a", {"goals-1": 1, "goals-2": 3}), ("a", {"goals-1": 5, "goals-2": 3}))
    items = statement_distributions(mean_bands, split)
    assert items["goals-1"].sd == 2.0 and items["goals-1"].disagreement == 1.0
    assert items["goals-2"].sd == 0.0 and items["goals-2"].disagreement == 0.0
    assert items["goals-3"].mean is None and items["goals-3"].disagreement is None


def test_a_node_adds_up_the_answers_of_its_statements(mean_bands: MaturityModel) -> None:
    respondents = team(
        ("a", {"goals-1": 1, "goals-2": 2, "goals-3": None, "people-1": 4}),
        ("a", {"goals-1": 1, "commitment-1": 5}),
    )
    nodes = node_distributions(mean_bands, statement_distributions(mean_bands, respondents))
    goals = nodes["goals"]
    assert goals is not None
    assert goals.counts == (2, 1, 0, 0, 0)
    assert (goals.dont_know, goals.unanswered) == (1, 2)
    leadership = nodes["leadership"]
    assert leadership is not None and leadership.counts == (2, 1, 0, 0, 1)
    assert leadership.total == 2 * 5  # two respondents, five statements
    assert list(nodes) == [node.id for node in mean_bands.nodes()]


def test_a_node_whose_statements_use_different_scales_has_no_distribution() -> None:
    text = ims_like_model(clusters=1, parts=2, statements=2).replace(
        "scales:\n",
        "scales:\n  agree3:\n    options:\n"
        + "".join(f"      - {{value: {v}, label: {{en: v{v}}}}}\n" for v in (1, 3, 5)),
    )
    text = text.replace("{id: p1-s0, scale: agree5", "{id: p1-s0, scale: agree3")
    model = load_model_text(text)
    nodes = node_distributions(
        model, statement_distributions(model, team(("a", {"p1-s0": 3, "p0-s0": 4})))
    )
    assert nodes["p0"] is not None and nodes["p1"] is None and nodes["c0"] is None


def test_an_answer_off_the_scale_is_refused(mean_bands: MaturityModel) -> None:
    with pytest.raises(AnswerError):
        statement_distributions(mean_bands, team(("a", {"goals-1": 7})))
    with pytest.raises(AnswerError):
        team_report(
            mean_bands,
            team(
                ("a", {"nope": 1}),
            )
            * 3,
        )


# ---- the agenda ----


def distribution(item_id: str, counts: tuple[int, ...], dont_know: int = 0) -> Distribution:
    values = (1.0, 2.0, 3.0, 4.0, 5.0)
    n = sum(counts)
    mean = sum(v * c for v, c in zip(values, counts, strict=True)) / n if n else None
    sd = (
        math.sqrt(sum(c * (v - mean) ** 2 for v, c in zip(values, counts, strict=True)) / n)
        if mean is not None
        else None
    )
    return Distribution(
        item_id, values, counts, dont_know, 0, mean, sd, None if sd is None else sd / 2
    )


def test_the_agenda_puts_the_largest_disagreement_first() -> None:
    items = {
        "calm": distribution("calm", (0, 0, 3, 1, 0)),
        "split": distribution("split", (3, 0, 0, 0, 3)),
        "mixed": distribution("mixed", (1, 1, 1, 1, 1)),
    }
    assert [item.item_id for item in agenda(items)] == ["split", "mixed", "calm"]


def test_equal_disagreement_goes_to_more_answers_then_model_order() -> None:
    items = {
        "first": distribution("first", (1, 0, 0, 0, 1)),
        "second": distribution("second", (1, 0, 0, 0, 1)),
        "more": distribution("more", (2, 0, 0, 0, 2)),
    }
    ranked = agenda(items, min_answers=2)
    assert [item.item_id for item in ranked] == ["more", "first", "second"]


def test_the_agenda_leaves_out_few_answers_and_full_agreement() -> None:
    items = {
        "two": distribution("two", (1, 0, 0, 0, 1), dont_know=5),
        "same": distribution("same", (0, 0, 6, 0, 0)),
        "ok": distribution("ok", (1, 1, 1, 0, 0)),
        "nothing": distribution("nothing", (0, 0, 0, 0, 0), dont_know=3),
    }
    assert AGENDA_MIN_ANSWERS == 3
    assert [item.item_id for item in agenda(items)] == ["ok"]
    assert agenda(items, min_answers=4) == []


def test_the_agenda_holds_at_most_its_size() -> None:
    items = {f"s{n}": distribution(f"s{n}", (1, n % 3, 1, 0, 1)) for n in range(15)}
    assert len(agenda(items)) == 10
    assert len(agenda(items, size=4)) == 4


def test_the_report_agenda_needs_the_threshold_in_answers(mean_bands: MaturityModel) -> None:
    answers = [{"goals-1": v, "goals-2": None} for v in (1, 5, 1, 5)]
    answers.append({"goals-1": None, "goals-2": None})
    respondents = team(*(("a", a) for a in answers))
    assert [i.item_id for i in team_report(mean_bands, respondents, threshold=3).agenda] == [
        "goals-1"
    ]
    assert team_report(mean_bands, respondents, threshold=5).agenda == []


# ---- groups compared ----


def test_group_gaps_come_largest_first_with_each_groups_mean(mean_bands: MaturityModel) -> None:
    high = same(mean_bands, 5) | {"people-1": 3, "people-2": 3}
    low = same(mean_bands, 2) | {"people-1": 3, "people-2": 3}
    groups = {
        "board": score_many(mean_bands, team(("board", high))),
        "staff": score_many(mean_bands, team(("staff", low))),
    }
    gaps, overall = group_gaps(mean_bands, groups)
    assert [gap.node_id for gap in gaps] == [
        "leadership",
        "goals",
        "commitment",
        "culture",
        "people",
    ]
    assert gaps[0].gap == 3.0 and gaps[0].highest == "board" and gaps[0].lowest == "staff"
    assert gaps[0].means == {"board": 5.0, "staff": 2.0}
    assert gaps[-1].gap == 0.0
    assert overall.node_id == "" and overall.gap == pytest.approx((5 + 6) / 3 - (2 + 6) / 3)


def test_a_node_only_one_group_scored_has_no_gap_and_comes_last(
    mean_bands: MaturityModel,
) -> None:
    groups = {
        "a": score_many(mean_bands, team(("a", {"goals-1": 5, "people-1": 1}))),
        "b": score_many(mean_bands, team(("b", {"goals-1": 4}))),
    }
    gaps, _ = group_gaps(mean_bands, groups)
    assert [gap.node_id for gap in gaps][:2] == ["leadership", "goals"]  # equal: model order
    assert gaps[-1].node_id in {"commitment", "culture", "people"}
    people = next(gap for gap in gaps if gap.node_id == "people")
    assert people.gap is None and people.means == {"a": 1.0, "b": None}


# ---- the anonymity threshold ----


@pytest.mark.parametrize(
    ("sizes", "shown", "too_small", "protecting"),
    [
        ({"a": 3, "b": 3}, ["a", "b"], [], []),
        ({"a": 10, "b": 2}, [], ["b"], ["a"]),
        ({"a": 10, "b": 5, "c": 2}, ["a"], ["c"], ["b"]),
        ({"a": 3, "b": 3, "c": 1}, ["a"], ["c"], ["b"]),  # a tie: the last in order goes
        ({"a": 4, "b": 6, "c": 1, "d": 2}, ["a", "b"], ["c", "d"], []),
        ({"a": 12}, ["a"], [], []),
        ({"a": 2, "b": 1}, [], ["a", "b"], []),
    ],
)
def test_visible_groups(
    sizes: dict[str, int], shown: list[str], too_small: list[str], protecting: list[str]
) -> None:
    assert visible_groups(sizes, 3, list(sizes)) == (shown, too_small, protecting)


def test_below_the_threshold_the_report_holds_only_counts(mean_bands: MaturityModel) -> None:
    report = team_report(
        mean_bands, team(("a", same(mean_bands, 4)), ("b", same(mean_bands, 2))), threshold=3
    )
    assert report.respondents == 2 and report.group_sizes == {"a": 1, "b": 1}
    assert report.team is None and not report.team_shown
    assert report.groups == {} and report.statements == {} and report.nodes == {}
    assert report.agenda == [] and report.gaps == [] and report.overall_gap is None
    assert report.too_small == ("a", "b")


def test_a_small_group_only_counts_in_the_whole_team(mean_bands: MaturityModel) -> None:
    respondents = team(
        *[("staff", same(mean_bands, 3))] * 4,
        *[("board", same(mean_bands, 5))] * 3,
        ("interns", same(mean_bands, 1)),
        ("interns", same(mean_bands, 1)),
    )
    report = team_report(mean_bands, respondents, threshold=3, group_order=["board", "staff"])
    assert list(report.group_sizes) == ["board", "staff", "interns"]
    assert report.too_small == ("interns",)
    assert report.protecting == ("board",)  # 2 interns + 3 board members: no longer singled out
    assert report.shown == ("staff",)
    assert set(report.groups) == {"staff"} and report.gaps == []
    assert report.team is not None and report.team.respondents == 9


def test_a_threshold_below_one_counts_as_one(mean_bands: MaturityModel) -> None:
    report = team_report(mean_bands, team(("a", same(mean_bands, 4))), threshold=0)
    assert report.threshold == 1 and report.team is not None


def test_groups_follow_the_given_order_then_their_names(mean_bands: MaturityModel) -> None:
    respondents = team(*[(g, same(mean_bands, 3)) for g in ("z", "b", "y", "a") for _ in "123"])
    report = team_report(mean_bands, respondents, group_order=["y", "gone", "z"])
    assert list(report.group_sizes) == ["y", "z", "a", "b"]
    assert list(report.groups) == ["y", "z", "a", "b"]


# ---- properties ----


@st.composite
def teams(draw: st.DrawFn) -> tuple[MaturityModel, list[RespondentAnswers], int]:
    model = MODELS_BY_NAME[draw(st.sampled_from(sorted(MODELS_BY_NAME)))]
    respondents = []
    for _ in range(draw(st.integers(0, 12))):
        answers: dict[str, float | None] = {}
        for statement in model.statements():
            choices: list[object] = [*model.scale_of(statement.id).values, None, MISSING]
            value = draw(st.sampled_from(choices))
            if value is not MISSING:
                answers[statement.id] = value  # type: ignore[assignment]
        respondents.append(RespondentAnswers(draw(st.sampled_from(["a", "b", "c"])), answers))
    return model, respondents, draw(st.integers(1, 5))


@FAST
@given(teams(), st.randoms(use_true_random=False))
def test_the_order_of_the_respondents_does_not_matter(
    case: tuple[MaturityModel, list[RespondentAnswers], int], random: Random
) -> None:
    model, respondents, threshold = case
    shuffled = list(respondents)
    random.shuffle(shuffled)
    assert team_report(model, shuffled, threshold=threshold) == team_report(
        model, respondents, threshold=threshold
    )


@FAST
@given(teams())
def test_distributions_account_for_every_respondent(
    case: tuple[MaturityModel, list[RespondentAnswers], int],
) -> None:
    model, respondents, _ = case
    items = statement_distributions(model, respondents)
    assert list(items) == [statement.id for statement in model.statements()]
    for statement_id, item in items.items():
        assert item.total == len(respondents)
        assert sum(item.counts) + item.dont_know + item.unanswered == len(respondents)
        scale = model.scale_of(statement_id)
        if item.answered:
            assert item.mean is not None and item.sd is not None
            assert scale.lowest - 1e-9 <= item.mean <= scale.highest + 1e-9
            assert item.sd >= 0
            assert item.disagreement is not None and 0 <= item.disagreement <= 1 + 1e-9
        else:
            assert item.mean is item.sd is item.disagreement is None
    for node_id, node in node_distributions(model, items).items():
        assert node is not None  # every test model uses one scale
        assert node.total == len(respondents) * model.statement_count(node_id)


@FAST
@given(teams())
def test_gaps_are_never_negative_and_span_the_group_means(
    case: tuple[MaturityModel, list[RespondentAnswers], int],
) -> None:
    model, respondents, threshold = case
    report = team_report(model, respondents, threshold=threshold)
    for gap in [*report.gaps, *([report.overall_gap] if report.overall_gap else [])]:
        means = [mean for mean in gap.means.values() if mean is not None]
        if gap.gap is None:
            assert len(means) < 2
        else:
            assert gap.gap >= 0
            assert gap.gap == max(means) - min(means)
            assert gap.highest is not None and gap.lowest is not None
            assert gap.means[gap.highest] == max(means) and gap.means[gap.lowest] == min(means)
    present = [gap.gap for gap in report.gaps if gap.gap is not None]
    assert all(a >= b - 1e-9 for a, b in pairwise(present))
    assert [gap.gap is None for gap in report.gaps] == sorted(
        gap.gap is None for gap in report.gaps
    )  # nodes without a gap come last


@FAST
@given(teams())
def test_the_agenda_is_ranked_and_has_enough_answers(
    case: tuple[MaturityModel, list[RespondentAnswers], int],
) -> None:
    model, respondents, threshold = case
    report = team_report(model, respondents, threshold=threshold)
    assert len(report.agenda) <= 10
    shares = [item.disagreement or 0.0 for item in report.agenda]
    assert all(share > 0 for share in shares)
    assert all(a >= b - 1e-9 for a, b in pairwise(shares))
    assert all(item.answered >= max(3, threshold) for item in report.agenda)


@FAST
@given(teams())
def test_nobody_below_the_threshold_can_be_singled_out(
    case: tuple[MaturityModel, list[RespondentAnswers], int],
) -> None:
    model, respondents, threshold = case
    report = team_report(model, respondents, threshold=threshold)
    if len(respondents) < threshold:
        assert report.team is None and not report.groups and not report.statements
        return
    sizes = report.group_sizes
    assert all(sizes[group] >= threshold for group in report.shown)
    assert set(report.groups) == set(report.shown)
    assert len(report.gaps) == 0 or len(report.shown) >= 2
    hidden = len(respondents) - sum(sizes[group] for group in report.shown)
    assert hidden == 0 or hidden >= threshold  # the difference with the team is no one's
    # A group that is not shown can answer anything: no group's figure changes.
    changed = [
        r if r.group in report.shown else RespondentAnswers(r.group, {}) for r in respondents
    ]
    again = team_report(model, changed, threshold=threshold)
    assert again.groups == report.groups and again.shown == report.shown


# ---- the worked example of docs/scoring.md ----

MARKER = re.compile(r"<!-- ([a-z-]+)(?:: (.+?))? -->")


def doc_tables() -> dict[str, tuple[str | None, list[dict[str, str]]]]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    found: dict[str, tuple[str | None, list[dict[str, str]]]] = {}
    for number, line in enumerate(lines):
        match = MARKER.fullmatch(line.strip())
        if match is None or not match.group(1).startswith("team-"):
            continue
        index = number + 1
        while not lines[index].startswith("|"):
            index += 1
        rows = []
        while index < len(lines) and lines[index].startswith("|"):
            rows.append([cell.strip() for cell in lines[index].strip().strip("|").split("|")])
            index += 1
        header, _rule, *body = rows
        found[match.group(1)] = (
            match.group(2),
            [dict(zip(header, row, strict=True)) for row in body],
        )
    return found


TABLES = doc_tables()
DESCRIPTIVE = {"Statement", "Part", "Weight"}


def shown(cell: str, value: float | None) -> None:
    if cell == "–":
        assert value is None
        return
    assert value is not None
    decimals = len(cell.partition(".")[2])
    assert round(value, decimals) == float(cell), (cell, value)


def doc_example() -> tuple[MaturityModel, list[RespondentAnswers], list[str]]:
    model_file, answers = TABLES["team-example"]
    assert model_file is not None
    model = load_model_path(MODELS / model_file)
    group_of = {row["Respondent"]: row["Group"] for row in TABLES["team-groups"][1]}
    names = [column for column in answers[0] if column not in DESCRIPTIVE]
    assert names == list(group_of)
    respondents = []
    for name in names:
        given: dict[str, float | None] = {}
        for row in answers:
            cell = row[name]
            given[row["Statement"]] = None if cell == "don't know" else float(cell)
        respondents.append(RespondentAnswers(group_of[name], given))
    order = list(dict.fromkeys(group_of.values()))
    return model, respondents, order


def test_the_doc_has_the_team_example() -> None:
    assert set(TABLES) >= {
        "team-groups",
        "team-example",
        "team-statements",
        "team-gaps",
        "team-threshold",
    }


def test_the_doc_statement_table_matches_the_engine() -> None:
    model, respondents, order = doc_example()
    report = team_report(model, respondents, threshold=3, group_order=order)
    rows = TABLES["team-statements"][1]
    assert [row["Statement"] for row in rows] == list(report.statements)
    places = {item.item_id: place for place, item in enumerate(report.agenda, start=1)}
    for row in rows:
        item = report.statements[row["Statement"]]
        assert [int(row[f"{v:g}"]) for v in item.values] == list(item.counts)
        assert int(row["Don't know"]) == item.dont_know
        shown(row["Mean"], item.mean)
        shown(row["Sd"], item.sd)
        shown(row["Disagreement"], item.disagreement)
        assert row["Agenda"] == str(places.get(item.item_id, "–"))


def test_the_doc_gap_table_matches_the_engine() -> None:
    model, respondents, order = doc_example()
    report = team_report(model, respondents, threshold=3, group_order=order)
    assert report.shown == tuple(order)
    rows = TABLES["team-gaps"][1]
    *nodes, overall = rows
    assert overall["Node"] == "Overall"
    assert [row["Node"] for row in nodes] == [
        model.node(gap.node_id).title["en"] for gap in report.gaps
    ]
    assert report.overall_gap is not None
    for row, gap in [*zip(nodes, report.gaps, strict=True), (overall, report.overall_gap)]:
        shown(row["Gap"], gap.gap)
        for group in order:
            shown(row[group], gap.means[group])


def test_the_doc_threshold_table_matches_the_engine() -> None:
    for row in TABLES["team-threshold"][1]:
        sizes = {
            name: int(count)
            for name, count in (part.split() for part in row["Groups (respondents)"].split(", "))
        }

        def names(cell: str) -> list[str]:
            return [name for name in cell.split(", ") if name]

        threshold = int(row["N"])
        if sum(sizes.values()) < threshold:
            assert names(row["Shown"]) == names(row["Hidden as well"]) == []
            assert names(row["Too few"]) == [g for g in sizes if sizes[g] < threshold]
            continue
        assert visible_groups(sizes, threshold, list(sizes)) == (
            names(row["Shown"]),
            names(row["Too few"]),
            names(row["Hidden as well"]),
        )
