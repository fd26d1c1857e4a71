"""The shipped roadmap, canvases and handouts: valid, complete, and as issue 6 asks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from imscan.engine import yamlpos
from imscan.roadmap_content import CONTENT_DIR, load_content, parse, validate_content
from imscan.roadmap_content.markdown import Heading, Span

LOADERS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}
CONTENT = load_content()
REQUIRED_CANVASES = {
    "problem-definition",
    "stakeholder-map",
    "end-user-persona",
    "user-journey",
    "public-value",
    "assumptions-map",
    "experiment-plan",
    "experiment-report",
    "mvp-scope",
    "ethics-privacy-check",
    "societal-business-case",
    "sponsor-pitch",
    "team-charter",
    "ecosystem-map",
    "impact-measurement-plan",
    "risk-premortem",
    "implementation-plan",
    "scaling-plan",
    "handover-plan",
    "lessons-learned",
    "project-overview",
}


@pytest.mark.parametrize("loader", LOADERS.values(), ids=LOADERS.keys())
def test_the_shipped_content_is_valid(loader: type | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if loader is None:
        pytest.skip("PyYAML without libyaml")
    # The two parsers differ at the edges (a ? in {...}): the content must suit both.
    monkeypatch.setattr(yamlpos, "_Loader", loader)
    assert [str(problem) for problem in validate_content(CONTENT_DIR)] == []


def test_the_phases_run_from_explore_to_scale() -> None:
    roadmap = CONTENT.roadmap
    assert roadmap.phase_ids == ["explore", "experiment", "implement", "scale"]
    assert roadmap.languages == ["nl", "en"]
    for phase in roadmap.phases:
        assert len(phase.gate) >= 5, phase.id
        assert len(phase.canvases) >= 5, phase.id


def test_there_are_enough_canvases_spread_over_the_phases() -> None:
    assert len(CONTENT.canvases) >= 22
    assert set(CONTENT.canvases) >= REQUIRED_CANVASES
    overview = CONTENT.canvas("project-overview")
    assert overview.phases == CONTENT.roadmap.phase_ids
    for canvas in CONTENT.canvases.values():
        assert 4 <= len(canvas.blocks) <= 9, canvas.id
        for block in canvas.blocks:
            assert 2 <= len(block.questions) <= 4, (canvas.id, block.id)
        assert canvas.duration_minutes.min <= canvas.duration_minutes.max
        assert [phase.id for phase in CONTENT.roadmap.phases_of(canvas.id)] == canvas.phases


def test_every_phase_and_canvas_has_a_handout_and_there_are_resources() -> None:
    assert set(CONTENT.phase_handouts) == set(CONTENT.roadmap.phase_ids)
    assert set(CONTENT.canvas_handouts) == set(CONTENT.canvases)
    assert len(CONTENT.resources) >= 5
    for handout in [
        *CONTENT.phase_handouts.values(),
        *CONTENT.canvas_handouts.values(),
        *CONTENT.resources.values(),
    ]:
        for language in ("nl", "en"):
            markdown = parse(handout.body[language])
            assert markdown.problems == (), handout.id
            assert markdown.links, f"{handout.id} links nowhere in {language}"


def test_canvas_handouts_say_how_to_run_the_workshop() -> None:
    for canvas_id, handout in CONTENT.canvas_handouts.items():
        headings = {
            language: [
                block.content[0].text
                for block in parse(handout.body[language]).blocks
                if isinstance(block, Heading) and isinstance(block.content[0], Span)
            ]
            for language in ("nl", "en")
        }
        assert headings["nl"][0] == "Voorbereiding", canvas_id
        assert headings["en"][0] == "Preparation", canvas_id
        assert len(headings["nl"]) == len(headings["en"]) == 4, canvas_id


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def test_both_languages_carry_about_the_same_text() -> None:
    totals = {"nl": 0, "en": 0}
    for path in Path(CONTENT_DIR).glob("**/*.yaml"):
        if "models" in path.parts:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                for key, value in item.items():
                    if key in totals and isinstance(value, str):
                        totals[key] += words(value)
                    else:
                        stack.append(value)
            elif isinstance(item, list):
                stack.extend(item)
    assert totals["nl"] > 12_000
    assert 0.8 < totals["nl"] / totals["en"] < 1.25
