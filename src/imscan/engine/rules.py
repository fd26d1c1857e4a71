"""The rules of docs/model-format.md that relate one place in a model file to another.

They run on the raw data, not on the validated model, so that a file with a type error
in one place still gets every other problem reported in the same pass. Each rule skips
values of the wrong type: the schema has reported those already.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterator

from imscan.engine.problems import Finding, Path
from imscan.engine.schema import LANGUAGE_PATTERN, METHODS

# A YAML mapping as read: keys are whatever scalars the author wrote.
Data = dict[Hashable, object]

# The fields of each kind of object that hold a text (a mapping language -> string).
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "model": ("title", "description"),
    "option": ("label",),
    "level": ("name", "description"),
    "node": ("title", "description"),
    "advice": ("text",),
    "link": ("title",),
    "statement": ("text", "info"),
}

LANGUAGE = re.compile(LANGUAGE_PATTERN)
# A site path must not start with `//`: that is another host, not a page of ours.
_URL = re.compile(r"^(https?://[^\s/]\S*|/(?!/)\S*)$")


def _dict(value: object) -> Data:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _fmt(number: float) -> str:
    """1.0 as 1, 0.25 as 0.25: numbers as the file's author wrote them."""
    return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)


def _band(level: int | None) -> str:
    return "band" if level is None else f"band for level {level}"


def _name(item: Data) -> str:
    item_id = item.get("id")
    return repr(item_id) if isinstance(item_id, str) else "without id"


def check_rules(data: Data) -> list[Finding]:
    """Every rule violation in a model file's data, top-level mapping given."""
    return _Rules(data).run()


class _Rules:
    def __init__(self, data: Data) -> None:
        self.data = data
        self.findings: list[Finding] = []
        # Only valid codes, once each: a bad code is reported once, not in every text.
        codes = _list(data.get("languages"))
        self.languages = list(
            dict.fromkeys(code for code in codes if isinstance(code, str) and LANGUAGE.match(code))
        )
        self.levels = _list(data.get("levels"))
        self.level_count = len(self.levels)
        scoring = _dict(data.get("scoring"))
        method = scoring.get("method")
        self.method = method if isinstance(method, str) and method in METHODS else None
        self.scales = _dict(data.get("scales"))
        # Nodes and statements in file order: each node, then its statements or children.
        self.tree: list[tuple[str, Path, Data]] = []
        self._collect(("dimensions",), data.get("dimensions"))

    def _collect(self, path: Path, nodes: object) -> None:
        for index, node in enumerate(_list(nodes)):
            if not isinstance(node, dict):
                continue
            node_path = (*path, index)
            self.tree.append(("node", node_path, node))
            for number, statement in enumerate(_list(node.get("statements"))):
                if isinstance(statement, dict):
                    self.tree.append(("statement", (*node_path, "statements", number), statement))
            self._collect((*node_path, "children"), node.get("children"))

    def add(
        self, path: Path, message: str, *, at_key: bool = False, first: Path | None = None
    ) -> None:
        self.findings.append(Finding(path, message, at_key, first))

    def run(self) -> list[Finding]:
        self.check_languages()
        self.check_texts()
        self.check_scales()
        self.check_levels()
        self.check_scoring()
        self.check_ids()
        for kind, path, item in self.tree:
            if kind == "node":
                self.check_node(path, item)
            else:
                self.check_statement(path, item)
        dimensions = self.data.get("dimensions")
        if isinstance(dimensions, list) and not dimensions:
            self.add(("dimensions",), "the model has no statements: dimensions is empty")
        return self.findings

    def objects(self) -> Iterator[tuple[str, Path, Data]]:
        """Every object that can hold texts, with its kind and path."""
        yield "model", (), self.data
        for scale_id, scale in self.scales.items():
            for index, option in enumerate(_list(_dict(scale).get("options"))):
                if isinstance(option, dict):
                    yield "option", ("scales", scale_id, "options", index), option
        for index, level in enumerate(self.levels):
            if isinstance(level, dict):
                yield "level", ("levels", index), level
        for kind, path, item in self.tree:
            yield kind, path, item
            for key, advice in _dict(item.get("advice")).items():
                if not isinstance(advice, dict):
                    continue
                yield "advice", (*path, "advice", key), advice
                for index, link in enumerate(_list(advice.get("links"))):
                    if isinstance(link, dict):
                        yield "link", (*path, "advice", key, "links", index), link

    def check_languages(self) -> None:
        seen: set[str] = set()
        for index, code in enumerate(_list(self.data.get("languages"))):
            if isinstance(code, str) and code in seen:
                self.add(("languages", index), f"language '{code}' is listed twice")
            elif isinstance(code, str):
                seen.add(code)

    def check_texts(self) -> None:
        for kind, path, item in self.objects():
            for field in TEXT_FIELDS[kind]:
                text = item.get(field)
                if not isinstance(text, dict):
                    continue
                for code in self.languages:
                    if code not in text:
                        self.add((*path, field), f"missing translation '{code}' in {field}")
                for code, value in text.items():
                    if isinstance(value, str) and not value.strip():
                        self.add((*path, field, code), f"{field} is empty for '{code}'")

    def check_scales(self) -> None:
        for scale_id, scale in self.scales.items():
            options = _dict(scale).get("options")
            if isinstance(options, list):
                self.check_scale(scale_id, options)

    def check_scale(self, scale_id: Hashable, options: list[object]) -> None:
        path: Path = ("scales", scale_id)
        values: dict[float, Path] = {}
        not_applicable: Path | None = None
        for index, option in enumerate(options):
            if not isinstance(option, dict):
                continue
            option_path = (*path, "options", index)
            value = option.get("value")
            if option.get("not_applicable") is True:
                if not_applicable is not None:
                    self.add(
                        option_path,
                        "a scale has at most one not_applicable option",
                        first=not_applicable,
                    )
                not_applicable = option_path
                if value is not None:
                    self.add((*option_path, "value"), "a not_applicable option takes no value")
                continue
            if value is None:
                self.add(option_path, "an option needs a value (or not_applicable: true)")
            number = _number(value)
            if number is None:
                continue
            if number in values:
                self.add(
                    (*option_path, "value"),
                    f"duplicate value {_fmt(number)} in scale '{scale_id}'",
                    first=(*values[number], "value"),
                )
            else:
                values[number] = option_path
            if self.method == "cumulative" and not 0 <= number <= 1:
                self.add(
                    (*option_path, "value"),
                    f"value {_fmt(number)} is outside 0..1: in a "
                    "cumulative model an answer is a fraction of its level's credit",
                )
        if len(values) < 2:
            self.add(
                path, f"scale '{scale_id}' needs at least two options with a value", at_key=True
            )

    def check_levels(self) -> None:
        if isinstance(self.data.get("levels"), list) and self.level_count < 2:
            self.add(("levels",), "a model needs at least two levels")
        for index, level in enumerate(self.levels):
            if not isinstance(level, dict):
                continue
            path: Path = ("levels", index)
            number = _int(level.get("level"))
            if number is not None and number != index + 1:
                self.add(
                    (*path, "level"),
                    f"level {number} should be {index + 1}: levels are "
                    "numbered 1, 2, 3, ... in order",
                )
            self.check_lead_time(path, level, index + 1)

    def check_lead_time(self, path: Path, level: Data, number: int) -> None:
        lead_time = level.get("lead_time_months")
        lead_path = (*path, "lead_time_months")
        if number == self.level_count:
            if lead_time is not None:
                self.add(
                    lead_path,
                    "the top level has no next level, so no lead_time_months",
                    at_key=True,
                )
        elif lead_time is None:
            self.add(
                lead_path if "lead_time_months" in level else path,
                f"level {number} needs lead_time_months: the time to reach the next level",
            )
        elif isinstance(lead_time, dict):
            low, high = _int(lead_time.get("min")), _int(lead_time.get("max"))
            if low is not None and high is not None and low > high:
                self.add(lead_path, f"lead time min {low} is above max {high}")

    def used_scales(self) -> list[tuple[str, list[float]]]:
        """The scales that statements use, in order of first use, with their values."""
        used: dict[str, list[float]] = {}
        for kind, _path, item in self.tree:
            scale_id = item.get("scale")
            if kind == "statement" and isinstance(scale_id, str) and scale_id not in used:
                options = _list(_dict(self.scales.get(scale_id)).get("options"))
                values = [_number(_dict(option).get("value")) for option in options]
                numbers = [value for value in values if value is not None]
                if numbers:
                    used[scale_id] = numbers
        return list(used.items())

    def check_scoring(self) -> None:
        scoring = self.data.get("scoring")
        if not isinstance(scoring, dict) or self.method is None:
            return
        path: Path = ("scoring",)
        pass_from, bands = scoring.get("pass_from"), scoring.get("bands")
        if self.method != "staircase" and pass_from is not None:
            self.add(
                (*path, "pass_from"), "pass_from is only used by the staircase method", at_key=True
            )
        if self.method != "mean-bands" and bands is not None:
            self.add((*path, "bands"), "bands are only used by the mean-bands method", at_key=True)
        if self.method == "staircase":
            if pass_from is None:
                self.add(
                    path,
                    "the staircase method needs pass_from: the lowest answer value "
                    "that meets a criterion",
                )
            self.check_pass_from(_number(pass_from))
        if self.method == "mean-bands":
            if bands is None:
                self.add(path, "the mean-bands method needs bands: one per level")
            elif isinstance(bands, list):
                self.check_bands(bands)

    def check_pass_from(self, pass_from: float | None) -> None:
        if pass_from is None:
            return
        for scale_id, values in self.used_scales():
            if max(values) < pass_from:
                self.add(
                    ("scales", scale_id),
                    f"no value of scale '{scale_id}' reaches "
                    f"pass_from {_fmt(pass_from)}, so no criterion can be met",
                    at_key=True,
                )

    def check_bands(self, bands: list[object]) -> None:
        path: Path = ("scoring", "bands")
        seen: dict[int, Path] = {}
        previous_level: int | None = None
        previous_from: float | None = None
        starts: list[tuple[Path, int | None, float]] = []
        for index, band in enumerate(bands):
            band_path = (*path, index)
            level, start = _int(_dict(band).get("level")), _number(_dict(band).get("from"))
            if level is not None and not 1 <= level <= self.level_count:
                self.add(
                    (*band_path, "level"),
                    f"band for level {level}, but the levels go from 1 to {self.level_count}",
                )
            elif level is not None and level in seen:
                self.add(
                    (*band_path, "level"),
                    f"duplicate band for level {level}",
                    first=(*seen[level], "level"),
                )
            elif level is not None:
                if previous_level is not None and level < previous_level:
                    self.add((*band_path, "level"), "bands must be listed in level order")
                seen[level] = band_path
                previous_level = level
            if start is None:
                continue
            if previous_from is not None and start <= previous_from:
                self.add(
                    (*band_path, "from"),
                    f"{_band(level)} starts at {_fmt(start)}, not above the band "
                    f"before it ({_fmt(previous_from)})",
                )
            previous_from = start
            starts.append(((*band_path, "from"), level, start))
        for level in range(1, self.level_count + 1):
            if level not in seen:
                self.add(path, f"no band for level {level}")
        self.check_band_range(starts)

    def check_band_range(self, starts: list[tuple[Path, int | None, float]]) -> None:
        used = self.used_scales()
        if not used:
            return
        first_id, first_values = used[0]
        low, high = min(first_values), max(first_values)
        for scale_id, values in used[1:]:
            if (min(values), max(values)) != (low, high):
                self.add(
                    ("scales", scale_id),
                    f"scale '{scale_id}' runs from {_fmt(min(values))} "
                    f"to {_fmt(max(values))}, but scale '{first_id}' from {_fmt(low)} to "
                    f"{_fmt(high)}: mean-bands needs one range for all scales",
                    at_key=True,
                )
        if starts and starts[0][2] > low:
            self.add(
                starts[0][0],
                f"bands leave a gap: the first band starts at "
                f"{_fmt(starts[0][2])}, the lowest scale value is {_fmt(low)}",
            )
        elif starts and starts[0][2] < low:
            self.add(
                starts[0][0],
                f"the first band starts at {_fmt(starts[0][2])}, below the "
                f"lowest scale value {_fmt(low)}",
            )
        for path, level, start in starts:
            if start > high:
                self.add(
                    path,
                    f"{_band(level)} starts at {_fmt(start)}, above the highest scale value "
                    f"{_fmt(high)}",
                )

    def check_ids(self) -> None:
        seen: dict[str, Path] = {}
        for _kind, path, item in self.tree:
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                self.add((*path, "id"), f"duplicate id '{item_id}'", first=(*seen[item_id], "id"))
            else:
                seen[item_id] = path

    def check_node(self, path: Path, node: Data) -> None:
        children, statements = node.get("children"), node.get("statements")
        if children is not None and statements is not None:
            self.add(
                path,
                f"node {_name(node)} has both children and statements: give it one or the other",
            )
        elif children is None and statements is None:
            self.add(path, f"node {_name(node)} needs children or statements")
        for key in ("children", "statements"):
            if node.get(key) == []:
                self.add((*path, key), f"node {_name(node)} has no statements beneath it")
        advice = node.get("advice")
        if not isinstance(advice, dict):
            return
        if advice and statements is None and children is not None:
            self.add(
                (*path, "advice"),
                "advice is only used on parts: the nodes with statements",
                at_key=True,
            )
        top = self.level_count - 1
        levels = "level 1" if top == 1 else f"levels 1 to {top}"
        for key, item in advice.items():
            level = _int(key)
            if level is not None and top >= 1 and not 1 <= level <= top:
                self.add(
                    (*path, "advice", key),
                    f"advice for level {level}, but advice is for {levels}: the levels with "
                    "a next level",
                    at_key=True,
                )
            for index, link in enumerate(_list(_dict(item).get("links"))):
                url = _dict(link).get("url")
                if isinstance(url, str) and not _URL.match(url):
                    self.add(
                        (*path, "advice", key, "links", index, "url"),
                        f"link url {url!r} must start with https://, http:// or /",
                    )

    def check_statement(self, path: Path, statement: Data) -> None:
        scale = statement.get("scale")
        scales_ok = isinstance(self.data.get("scales"), dict)
        if isinstance(scale, str) and scales_ok and scale not in self.scales:
            known = ", ".join(sorted(str(key) for key in self.scales))
            self.add((*path, "scale"), f"unknown scale '{scale}' (known: {known or 'none'})")
        if self.method is None:
            return
        level = statement.get("level")
        if self.method == "mean-bands":
            if level is not None:
                self.add(
                    (*path, "level"),
                    "a statement level is only used by the staircase and cumulative methods",
                    at_key=True,
                )
            return
        top, number = self.level_count, _int(level)
        if level is None:
            self.add(
                (*path, "level") if "level" in statement else path,
                f"statement {_name(statement)} needs a level: the level (2 to {top}) it is "
                "a criterion for",
            )
        elif number is not None and not 2 <= number <= top:
            self.add(
                (*path, "level"),
                f"level {level} is outside 2..{top}: a statement is a "
                "criterion for level 2 or higher",
            )
