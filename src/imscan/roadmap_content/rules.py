"""The rules of docs/roadmap-content.md within one file: texts, ids, layouts, durations.

Like the engine's rules they run on the raw data, so a file with a type error in one place
still gets every other problem reported in the same pass; each rule skips values of the
wrong type, which the schema has reported already. Rules that relate files to each other
(a phase naming a canvas, a handout per canvas) are in validate.py.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from imscan.engine.problems import Path

from .layout import check_layout
from .markdown import LinkTarget, markup_problems, parse
from .schema import LANGUAGE_PATTERN, MAX_BLOCK_TEXT

Data = dict[Hashable, object]
Kind = Literal["roadmap", "canvas", "handout"]

_LANGUAGE = re.compile(LANGUAGE_PATTERN)


@dataclass(frozen=True)
class Finding:
    """A problem before it has a position: where in the data, and what.

    `at_key` points at the key rather than at its value; `first` is the earlier place of a
    duplicate; `offset` is a 1-based (line, column) inside the text at `path`, for
    problems found inside a text.
    """

    path: Path
    message: str
    at_key: bool = False
    first: Path | None = None
    offset: tuple[int, int] | None = None


@dataclass(frozen=True)
class TextField:
    """A text in a file: its path, its name in messages, its length limit, and whether it
    is Markdown."""

    path: Path
    name: str
    limit: int
    markdown: bool = False


# Length limits, in characters per language. Texts on a canvas must fit on A3 paper.
LIMITS = {
    "roadmap.title": 100,
    "roadmap.description": 1200,
    "principle.title": 80,
    "principle.text": 500,
    "phase.title": 80,
    "phase.purpose": 800,
    "phase.outcome": 600,
    "gate.question": 250,
    "canvas.title": 80,
    "canvas.purpose": 800,
    "canvas.invite": 150,
    "block.title": 60,
    "block.question": 250,
    "block.placeholder": 300,
    "block.example": 2000,
    "handout.title": 100,
    "handout.summary": 400,
    "handout.body": MAX_BLOCK_TEXT,
}


def _dict(value: object) -> Data:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[object]:
    return value if isinstance(value, list) else []


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _items(data: Data, key: str) -> Iterator[tuple[Path, Data]]:
    for index, item in enumerate(_list(data.get(key))):
        if isinstance(item, dict):
            yield (key, index), item


def text_fields(kind: Kind, data: Data) -> Iterator[TextField]:
    """Every text of a file of this kind, with its path and limit."""

    def field(path: Path, name: str, key: str, *, markdown: bool = False) -> TextField:
        return TextField(path, name, LIMITS[key], markdown)

    if kind == "roadmap":
        yield field(("title",), "title", "roadmap.title")
        yield field(("description",), "description", "roadmap.description")
        for path, _ in _items(data, "principles"):
            yield field((*path, "title"), "title", "principle.title")
            yield field((*path, "text"), "text", "principle.text")
        for path, phase in _items(data, "phases"):
            for key in ("title", "purpose", "outcome"):
                yield field((*path, key), key, f"phase.{key}")
            for gate_path, _ in _items(phase, "gate"):
                yield field((*path, *gate_path, "question"), "question", "gate.question")
    elif kind == "canvas":
        yield field(("title",), "title", "canvas.title")
        yield field(("purpose",), "purpose", "canvas.purpose")
        for index, _ in enumerate(_list(data.get("invite"))):
            yield field(("invite", index), "invite", "canvas.invite")
        for path, block in _items(data, "blocks"):
            yield field((*path, "title"), "title", "block.title")
            for index, _ in enumerate(_list(block.get("questions"))):
                yield field((*path, "questions", index), "question", "block.question")
            for key in ("placeholder", "example"):
                yield field((*path, key), key, f"block.{key}")
    else:
        yield field(("title",), "title", "handout.title")
        yield field(("summary",), "summary", "handout.summary")
        yield field(("body",), "body", "handout.body", markdown=True)


def _value(data: Data, path: Path) -> object:
    value: object = data
    for key in path:
        if isinstance(value, dict):
            value = value.get(key)
        elif isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value):
            value = value[key]
        else:
            return None
    return value


class FileRules:
    """The rules for one file; `links` collects the Markdown links for validate.py."""

    def __init__(self, kind: Kind, data: Data, languages: Sequence[str], file_id: str) -> None:
        self.kind = kind
        self.data = data
        self.languages = languages
        self.file_id = file_id
        self.findings: list[Finding] = []
        self.links: list[tuple[Path, LinkTarget]] = []

    def add(
        self,
        path: Path,
        message: str,
        *,
        at_key: bool = False,
        first: Path | None = None,
        offset: tuple[int, int] | None = None,
    ) -> None:
        self.findings.append(Finding(path, message, at_key, first, offset))

    def run(self) -> list[Finding]:
        for text in text_fields(self.kind, self.data):
            self.check_text(text)
        self.check_id()
        if self.kind == "roadmap":
            self.check_roadmap()
        elif self.kind == "canvas":
            self.check_canvas()
        return self.findings

    def check_text(self, field: TextField) -> None:
        text = _value(self.data, field.path)
        if not isinstance(text, dict):
            return
        for code in self.languages:
            if code not in text:
                self.add(field.path, f"missing translation '{code}' in {field.name}")
        for code, value in text.items():
            path = (*field.path, code)
            if not isinstance(code, str):
                continue  # the schema reports a key that is not text
            if not _LANGUAGE.match(code):
                if value is None:
                    message = (
                        f"{code!r} is not a language but a piece of text: put text that holds "
                        "a comma in quotes, since a comma inside {...} starts a new key"
                    )
                else:
                    message = f"invalid language code {code!r}: use a code such as nl or en"
                self.add(path, message, at_key=True)
                continue
            if not isinstance(value, str):
                continue
            if not value.strip():
                self.add(path, f"{field.name} is empty for '{code}'")
                continue
            if len(value) > field.limit:
                self.add(
                    path,
                    f"{field.name} in '{code}' has {len(value)} characters, "
                    f"more than the {field.limit} allowed",
                )
            for problem in markup_problems(value):
                self.add(path, problem.message, offset=(problem.line, problem.column))
            if field.markdown:
                markdown = parse(value)
                for problem in markdown.problems:
                    self.add(path, problem.message, offset=(problem.line, problem.column))
                self.links.extend((path, link) for link in markdown.links)

    def check_id(self) -> None:
        value = self.data.get("id")
        if self.kind != "roadmap" and isinstance(value, str) and value != self.file_id:
            self.add(
                ("id",),
                f"the id {value!r} differs from the file name: name the file "
                f"{value}.yaml, or make the id {self.file_id!r}",
            )

    def unique(self, items: Iterator[tuple[Path, object]], what: str) -> None:
        seen: dict[str, Path] = {}
        for path, value in items:
            if not isinstance(value, str):
                continue
            if value in seen:
                self.add(path, f"duplicate {what} {value!r}", first=seen[value])
            else:
                seen[value] = path

    def check_roadmap(self) -> None:
        data = self.data
        self.unique(
            (
                (("languages", index), code)
                for index, code in enumerate(_list(data.get("languages")))
            ),
            "language",
        )
        self.unique(
            (((*path, "id"), item.get("id")) for path, item in _items(data, "principles")),
            "principle id",
        )
        self.unique(
            (((*path, "id"), item.get("id")) for path, item in _items(data, "phases")), "phase id"
        )
        self.unique(
            (
                ((*path, *gate_path, "id"), gate.get("id"))
                for path, phase in _items(data, "phases")
                for gate_path, gate in _items(phase, "gate")
            ),
            "gate question id",
        )
        for path, phase in _items(data, "phases"):
            canvases = _list(phase.get("canvases"))
            self.unique(
                (((*path, "canvases", index), value) for index, value in enumerate(canvases)),
                "canvas",
            )

    def check_canvas(self) -> None:
        data = self.data
        phases = _list(data.get("phases"))
        self.unique(((("phases", index), value) for index, value in enumerate(phases)), "phase")
        self.unique(
            (((*path, "id"), block.get("id")) for path, block in _items(data, "blocks")),
            "block id",
        )
        duration = _dict(data.get("duration_minutes"))
        low, high = _int(duration.get("min")), _int(duration.get("max"))
        if low is not None and high is not None and low > high:
            self.add(("duration_minutes",), f"min {low} is above max {high}")
        self.check_limits()
        self.check_layout()

    def check_limits(self) -> None:
        canvas_limit = _int(self.data.get("max_length"))
        canvas_limit = canvas_limit if canvas_limit is not None else MAX_BLOCK_TEXT
        for path, block in _items(self.data, "blocks"):
            limit = _int(block.get("max_length"))
            limit = limit if limit is not None else canvas_limit
            for key in ("placeholder", "example"):
                for code, value in _dict(block.get(key)).items():
                    if isinstance(value, str) and len(value) > limit:
                        self.add(
                            (*path, key, code),
                            f"{key} in '{code}' has {len(value)} characters, more than the "
                            f"block's max_length {limit}",
                        )

    def check_layout(self) -> None:
        layout = _dict(self.data.get("layout"))
        columns, rows = _int(layout.get("columns")), layout.get("rows")
        if columns is None or not isinstance(rows, list):
            return
        if not all(isinstance(row, list) for row in rows):
            return  # the schema reports the row that is not a list
        blocks: list[str] = []
        block_path: dict[str, Path] = {}
        for path, block in _items(self.data, "blocks"):
            block_id = block.get("id")
            if isinstance(block_id, str):
                blocks.append(block_id)
                block_path.setdefault(block_id, (*path, "id"))
        for issue in check_layout(columns, rows, blocks):
            if issue.where == "row":
                self.add(("layout", "rows", issue.row), issue.message)
            elif issue.where == "cell":
                self.add(("layout", "rows", issue.row, issue.column), issue.message)
            else:
                self.add(block_path[issue.block], issue.message)
