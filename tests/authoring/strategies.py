"""Hypothesis strategies for small, valid model files of every scoring method.

Shared by the spreadsheet round trip (tests/authoring) and the diff (tests/engine/test_diff.py).
Ids come from small pools (n1, n2, ... for nodes, s1, s2, ... for statements), so two
models drawn independently share ids, as two versions of one model do.
"""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import strategies as st

METHODS = ("mean-bands", "staircase", "cumulative")
# Printable text as YAML and XML allow it: no control characters except tab and newline.
CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufeff"
) | st.sampled_from(["\n", "\t", " ", "'", '"', ":", "#", "=", "-", "{", "&", "*", "!"])
PHRASES = st.sampled_from(
    ["yes", "No", "on", "1.0", "2024-01-31", "=SUM(A1)", "null", "~", "Soms wel, soms niet"]
)
WORDS = st.text(CHARACTERS, min_size=1, max_size=12).filter(lambda text: bool(text.strip()))


def dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


@st.composite
def texts(draw: st.DrawFn, languages: list[str], extra: str | None = None) -> dict[str, str]:
    """A text in every language, sometimes also in one more."""
    words = PHRASES | WORDS
    text = {language: draw(words) for language in languages}
    if extra is not None and draw(st.booleans()):
        text[extra] = draw(words)
    return text


@st.composite
def model_data(draw: st.DrawFn, method: str | None = None) -> dict[str, Any]:
    """The data of a valid model file (dump it with `dump`)."""
    languages = draw(st.sampled_from([["en"], ["nl", "en"], ["en", "nl", "de"], ["fy", "nl"]]))
    extra = draw(st.sampled_from([None, "fr", "en-GB"]))

    def text() -> dict[str, str]:
        return draw(texts(languages, extra))

    method = method or draw(st.sampled_from(METHODS))
    level_count = draw(st.integers(2, 5))
    scales, pass_from = draw_scales(draw, method, text)
    levels: list[dict[str, Any]] = []
    for number in range(1, level_count + 1):
        level: dict[str, Any] = {"level": number, "name": text(), "description": text()}
        if number < level_count:
            low = draw(st.integers(0, 24))
            level["lead_time_months"] = {"min": low, "max": low + draw(st.integers(0, 24))}
        elif draw(st.booleans()):
            level["lead_time_months"] = None
        levels.append(level)
    scoring: dict[str, Any] = {"method": method}
    if method == "mean-bands":
        low, high = scales["_range"]
        scoring["bands"] = [
            {"level": n + 1, "from": low + (high - low) * n / level_count}
            for n in range(level_count)
        ]
    if method == "staircase":
        scoring["pass_from"] = pass_from
    del scales["_range"]
    counter = {"node": 0, "statement": 0}
    scale_ids = sorted(scales)

    def statement() -> dict[str, Any]:
        counter["statement"] += 1
        item: dict[str, Any] = {"id": f"s{counter['statement']}"}
        item["scale"] = draw(st.sampled_from(scale_ids))
        if method != "mean-bands":
            item["level"] = draw(st.integers(2, level_count))
        if draw(st.booleans()):
            item["weight"] = draw(st.sampled_from([0.5, 1, 2, 3, 0.1 + 0.2]))
        item["text"], item["info"] = text(), text()
        return item

    def node(depth: int) -> dict[str, Any]:
        counter["node"] += 1
        item: dict[str, Any] = {"id": f"n{counter['node']}", "title": text()}
        if draw(st.booleans()):
            item["description"] = text()
        if draw(st.booleans()):
            item["weight"] = draw(st.sampled_from([0.5, 1, 2, 4]))
        if depth < 3 and draw(st.integers(0, 2)) == 0:
            item["children"] = [node(depth + 1) for _ in range(draw(st.integers(1, 3)))]
            return item
        advice_levels = draw(st.sets(st.integers(1, level_count - 1), max_size=3))
        if advice_levels:
            item["advice"] = {}
            for number in sorted(advice_levels):
                advice: dict[str, Any] = {"text": text()}
                links = draw(st.integers(0, 2))
                if links:
                    advice["links"] = [
                        {"title": text(), "url": draw(st.sampled_from(URLS))} for _ in range(links)
                    ]
                item["advice"][number] = advice
        item["statements"] = [statement() for _ in range(draw(st.integers(1, 3)))]
        return item

    data: dict[str, Any] = {
        "id": draw(st.sampled_from(["m", "model-a", "x1"])),
        "version": draw(st.sampled_from(["1.0", "2", "2024-01"])),
        "languages": languages,
        "title": text(),
    }
    if draw(st.booleans()):
        data["description"] = text()
    data["scales"] = scales
    data["levels"] = levels
    data["scoring"] = scoring
    data["dimensions"] = [node(1) for _ in range(draw(st.integers(1, 3)))]
    return data


URLS = ["https://example.org/a", "http://example.org/b?c=d&e=f", "/guides/x", "https://x.nl/#y"]


def draw_scales(draw: st.DrawFn, method: str, text: Any) -> tuple[dict[str, Any], float | None]:
    """1-2 scales that fit the method; "_range" holds (lowest, highest) for mean-bands."""
    low = draw(st.sampled_from([0, 1]))
    high = low + draw(st.integers(1, 6))
    pass_from = draw(st.sampled_from([0.5, 1, 2]))
    scales: dict[str, Any] = {"_range": (low, high)}
    for scale_id in draw(st.sampled_from([["a"], ["a", "b"], ["yes-no", "a"]])):
        if method == "mean-bands":
            middle = draw(st.sets(st.sampled_from([low + 0.5, low + 1, high - 0.25]), max_size=3))
            values = sorted({low, high} | {value for value in middle if low < value < high})
        elif method == "cumulative":
            values = sorted(draw(st.sets(st.sampled_from([0, 0.1, 0.25, 0.5, 1]), min_size=2)))
        else:
            values = sorted({pass_from} | draw(st.sets(st.sampled_from([0, 1.5, 3]), min_size=1)))
        if draw(st.booleans()):
            values.reverse()
        options: list[dict[str, Any]] = [{"value": value, "label": text()} for value in values]
        if draw(st.booleans()):
            position = draw(st.integers(0, len(options)))
            options.insert(position, {"not_applicable": True, "label": text()})
        scales[scale_id] = {"options": options}
    return scales, pass_from


def model_texts(method: str | None = None) -> st.SearchStrategy[str]:
    """Valid model files, as text."""
    return model_data(method).map(dump)
