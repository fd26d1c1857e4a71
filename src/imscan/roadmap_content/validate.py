"""Load and validate a roadmap content directory: every file, then the files together.

A content directory holds:

    roadmap/roadmap.yaml            the phases, their gate questions and canvases
    canvases/<canvas-id>.yaml       one canvas per file
    handouts/phases/<phase-id>.yaml one handout per phase
    handouts/canvases/<canvas-id>.yaml  one handout per canvas
    handouts/resources/<id>.yaml    resource pages that advice and handouts link to
    models/*.yaml                   (optional) maturity models: their /roadmap/ links are checked

Every problem of every file is reported in one pass as `file:line:column: message`, with
the YAML positions of imscan.engine.yamlpos.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path as FilePath
from typing import Literal

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from imscan.engine.messages import common_message, describe_value, pydantic_message
from imscan.engine.problems import Path, Problem
from imscan.engine.schema import ID_PATTERN
from imscan.engine.yamlpos import YamlDocument, read_yaml

from . import schema
from .markdown import LinkTarget
from .rules import Data, FileRules, Finding, Kind

CONTENT_DIR = FilePath(__file__).resolve().parent.parent / "content"
ROADMAP_FILE = FilePath("roadmap") / "roadmap.yaml"
CANVAS_DIR = FilePath("canvases")
HANDOUT_DIR = FilePath("handouts")
Section = Literal["phases", "canvases", "resources"]
SECTIONS: tuple[Section, ...] = ("phases", "canvases", "resources")
DEFAULT_LANGUAGES = ("nl", "en")

_CLASSES: dict[str, tuple[type[BaseModel], ...]] = {
    "roadmap": (schema.Roadmap, schema.Principle, schema.Phase, schema.GateQuestion),
    "canvas": (schema.Canvas, schema.Duration, schema.Block, schema.Layout),
    "handout": (schema.Handout,),
}
# Every key of each kind of file, to suggest one for a misspelt key.
_KNOWN_KEYS = {
    kind: sorted({name for cls in classes for name in cls.model_fields})
    for kind, classes in _CLASSES.items()
}
_ALL_KEYS = frozenset(key for keys in _KNOWN_KEYS.values() for key in keys)
_LANGUAGE = re.compile(schema.LANGUAGE_PATTERN)
_WHAT: dict[Kind, str] = {"roadmap": "the roadmap", "canvas": "a canvas", "handout": "a handout"}
_SCHEMA: dict[Kind, type[BaseModel]] = {
    "roadmap": schema.Roadmap,
    "canvas": schema.Canvas,
    "handout": schema.Handout,
}


class ContentValidationError(Exception):
    """Roadmap content that cannot be loaded; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


# -- Messages ------------------------------------------------------------------------------


def _message(error: ErrorDetails, file_kind: Kind) -> str:
    common = common_message(error, _KNOWN_KEYS[file_kind])
    if common is not None:
        return common
    kind, value, context = error["type"], error["input"], error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        pattern = context.get("pattern")
        if pattern == ID_PATTERN:
            return (
                f"invalid id {value!r}: use lower-case letters and digits, with single dashes "
                "between words"
            )
        if pattern == schema.BLOCK_ID_PATTERN:
            return (
                f"invalid block id {value!r}: start with a letter, then lower-case letters "
                "and digits, with single dashes between words"
            )
        return f"invalid language code {value!r}: use a code such as nl or en"
    if kind == "greater_than_equal":
        return f"must be at least {context['ge']}"
    if kind == "less_than_equal":
        return f"must be at most {context['le']}"
    if kind == "too_long":
        return f"has {context.get('actual_length')} items, at most {context.get('max_length')}"
    return pydantic_message(error)


def _schema_findings(error: ValidationError, kind: Kind) -> Iterator[Finding]:
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        key = loc[-1] if loc else None
        if detail["type"] == "missing":
            yield Finding(loc[:-1], _message(detail, kind))
        elif (
            detail["type"] == "string_type"
            and detail["input"] is None
            and isinstance(key, str)
            and key not in _ALL_KEYS
            and not _LANGUAGE.match(key)
        ):
            continue  # `{nl: a, b}`: the text rules explain the stray comma
        elif key == "[key]":
            yield Finding(loc[:-1], _message(detail, kind), at_key=True)
        else:
            yield Finding(loc, _message(detail, kind), at_key=detail["type"] == "extra_forbidden")


# -- One file ------------------------------------------------------------------------------


@dataclass
class _File:
    path: FilePath
    kind: Kind
    file_id: str
    text: str = ""
    document: YamlDocument | None = None
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    parsed: BaseModel | None = None
    links: list[tuple[Path, LinkTarget]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return str(self.path)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def data(self) -> Data:
        document = self.document
        return document.data if document is not None and isinstance(document.data, dict) else {}

    def problem(self, message: str, line: int = 1, column: int = 1) -> None:
        self.problems.append(Problem(self.source, line, column, message))

    def add(self, path: Path, message: str, *, offset: tuple[int, int] | None = None) -> None:
        self.findings.append(Finding(path, message, offset=offset))

    def resolve(self) -> list[Problem]:
        """Every problem of this file, positioned and sorted."""
        problems = list(self.problems)
        document = self.document
        if document is not None:
            problems.extend(
                self.position(document, finding)
                for finding in self.findings
                if not document.is_unreadable(finding.path)
            )
        return sorted(set(problems), key=lambda p: (p.line, p.column, p.message))

    def position(self, document: YamlDocument, finding: Finding) -> Problem:
        if finding.at_key:
            where = document.key_position(finding.path)
        else:
            where = document.value_position(finding.path)
        line, column, message = where.line, where.column, finding.message
        if finding.offset is not None:
            origin = self.literal_origin(document, finding.path)
            text_line, text_column = finding.offset
            start = self.inline_start(document, finding.path)
            if origin is not None:
                line, column = origin[0] + text_line - 1, origin[1] + text_column
            elif start is not None:
                column = start + text_column
            elif text_line > 1:
                message += f" (line {text_line} of the text)"
        if finding.first is not None:
            first = document.value_position(finding.first)
            message += f" (first at line {first.line}, column {first.column})"
        return Problem(self.source, line, column, message)

    def inline_start(self, document: YamlDocument, path: Path) -> int | None:
        """For a text written out on one line (plain or quoted): the column before it."""
        text: object = document.data
        for key in path:
            if isinstance(text, dict):
                text = text.get(key)
            elif isinstance(text, list) and isinstance(key, int) and 0 <= key < len(text):
                text = text[key]
            else:
                return None
        if path not in document.values or not isinstance(text, str) or "\n" in text:
            return None
        where = document.values[path]
        line = self.lines[where.line - 1]
        start = where.column - 1
        if line[start : start + 1] in ("'", '"'):
            start += 1
        return start if line[start : start + len(text)] == text else None

    def literal_origin(self, document: YamlDocument, path: Path) -> tuple[int, int] | None:
        """For a literal block (`|`): the file line of the text's first line, and its indent."""
        if path not in document.values:
            return None
        where = document.values[path]
        if self.lines[where.line - 1][where.column - 1 : where.column] != "|":
            return None
        for line in self.lines[where.line :]:
            if line.strip():
                return where.line + 1, len(line) - len(line.lstrip(" "))
        return where.line + 1, 0  # an empty text: nothing inside to point at


def _read(file: _File) -> None:
    try:
        raw = file.path.read_bytes()
    except OSError as error:
        file.problem(f"cannot read the file: {error.strerror or error}")
        return
    try:
        file.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        file.problem(f"not UTF-8 text: byte 0x{raw[error.start]:02x}", line, column)
        return
    document, problems = read_yaml(file.text, file.source)
    for problem in problems:
        message = problem.message
        if message == "a model file holds one YAML document":
            message = "a content file holds one YAML document"
            document = None  # read up to the second document only: too little to check
        elif message.startswith("the file is empty"):
            message = f"the file is empty: expected {_WHAT[file.kind]}"
        file.problem(message, problem.line, problem.column)
    if document is None:
        return
    if document.data is None:
        file.problem(f"the file is empty: expected {_WHAT[file.kind]}")
        return
    if not isinstance(document.data, dict):
        where = document.value_position(())
        file.problem(
            f"the top level must be a mapping with keys such as id and title, "
            f"not {describe_value(document.data)}",
            where.line,
            where.column,
        )
        return
    file.document = document


def _check_file(file: _File, languages: Sequence[str]) -> None:
    """Check a file that has been read: its schema and the rules within it."""
    if file.document is None:
        return
    try:
        file.parsed = _SCHEMA[file.kind].model_validate(file.data)
    except ValidationError as error:
        file.findings.extend(_schema_findings(error, file.kind))
    rules = FileRules(file.kind, file.data, languages, file.file_id)
    file.findings.extend(rules.run())
    file.links = rules.links
    body = file.data.get("body")
    if file.kind == "handout" and isinstance(body, dict) and file.document is not None:
        for code, text in body.items():
            path = ("body", code)
            if isinstance(text, str) and file.literal_origin(file.document, path) is None:
                file.add(
                    path,
                    "write Markdown as a literal block (a | after the language code), so "
                    "that its line breaks are kept",
                )


# -- The directory -------------------------------------------------------------------------


def _is_hidden(path: FilePath) -> bool:
    return path.name.startswith(".")


@dataclass
class _Content:
    root: FilePath
    roadmap: _File
    canvases: dict[str, _File]
    handouts: dict[Section, dict[str, _File]]
    strays: list[Problem]

    def files(self) -> Iterator[_File]:
        yield self.roadmap
        yield from self.canvases.values()
        for section in SECTIONS:
            yield from self.handouts[section].values()


def _yaml_files(directory: FilePath, what: str, strays: list[Problem]) -> list[FilePath]:
    if not directory.is_dir():
        return []
    files = []
    for path in sorted(directory.iterdir()):
        if _is_hidden(path):
            continue
        if path.is_file() and path.suffix == ".yaml":
            files.append(path)
        else:
            strays.append(Problem(str(path), 1, 1, f"unexpected file: {what}"))
    return files


def _collect(root: FilePath) -> _Content:
    strays: list[Problem] = []
    roadmap = _File(root / ROADMAP_FILE, "roadmap", "")
    if (root / "roadmap").is_dir():
        for path in sorted((root / "roadmap").iterdir()):
            if path.name != ROADMAP_FILE.name and not _is_hidden(path):
                strays.append(
                    Problem(str(path), 1, 1, "unexpected file: the roadmap is roadmap.yaml")
                )
    canvases = {
        path.stem: _File(path, "canvas", path.stem)
        for path in _yaml_files(root / CANVAS_DIR, "a canvas is a .yaml file in canvases/", strays)
    }
    handouts: dict[Section, dict[str, _File]] = {section: {} for section in SECTIONS}
    handout_root = root / HANDOUT_DIR
    if handout_root.is_dir():
        for path in sorted(handout_root.iterdir()):
            if _is_hidden(path) or (path.is_dir() and path.name in SECTIONS):
                continue
            strays.append(
                Problem(
                    str(path),
                    1,
                    1,
                    "unexpected file: handouts go in handouts/phases, handouts/canvases or "
                    "handouts/resources",
                )
            )
    for section in SECTIONS:
        where = f"a handout is a .yaml file in handouts/{section}/"
        for path in _yaml_files(handout_root / section, where, strays):
            handouts[section][path.stem] = _File(path, "handout", path.stem)
    return _Content(root, roadmap, canvases, handouts, strays)


def _languages(roadmap: _File) -> list[str]:
    codes = roadmap.data.get("languages")
    if isinstance(codes, list):
        valid = [code for code in codes if isinstance(code, str) and _LANGUAGE.match(code)]
        if valid:
            return list(dict.fromkeys(valid))
    return list(DEFAULT_LANGUAGES)


def _ids(items: object) -> Iterator[tuple[int, str]]:
    if isinstance(items, list):
        for index, item in enumerate(items):
            if isinstance(item, str):
                yield index, item


def _phases(roadmap: _File) -> list[tuple[int, str, list[tuple[int, str]]]]:
    """The roadmap's phases as read: index, id and (index, canvas id) pairs."""
    phases = []
    raw = roadmap.data.get("phases")
    for index, phase in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(phase, dict) and isinstance(phase.get("id"), str):
            phases.append((index, str(phase["id"]), list(_ids(phase.get("canvases")))))
    return phases


def _check_references(content: _Content) -> None:
    roadmap, canvases = content.roadmap, content.canvases
    phases = _phases(roadmap)
    phase_ids = [phase_id for _, phase_id, _ in phases]
    known = ", ".join(phase_ids)
    users: dict[str, list[str]] = {}
    for index, phase_id, listed in phases:
        for position, canvas_id in listed:
            path = ("phases", index, "canvases", position)
            users.setdefault(canvas_id, []).append(phase_id)
            canvas = canvases.get(canvas_id)
            if canvas is None:
                roadmap.add(
                    path, f"unknown canvas {canvas_id!r}: there is no canvases/{canvas_id}.yaml"
                )
                continue
            named = canvas.data.get("phases")
            if isinstance(named, list) and named and phase_id not in named:
                roadmap.add(
                    path,
                    f"canvas {canvas_id!r} does not name phase {phase_id!r} in its phases",
                )
    for canvas_id, canvas in canvases.items():
        used_by = users.get(canvas_id, [])
        if roadmap.document is not None and not used_by:
            canvas.add(
                ("id",),
                f"canvas {canvas_id!r} is not used by any phase: add it to the canvases of "
                "a phase in roadmap/roadmap.yaml",
            )
        for position, phase_id in _ids(canvas.data.get("phases")):
            if roadmap.document is None:
                break
            if phase_id not in phase_ids:
                canvas.add(("phases", position), f"unknown phase {phase_id!r} (phases: {known})")
            elif used_by and phase_id not in used_by:
                canvas.add(
                    ("phases", position),
                    f"phase {phase_id!r} does not list this canvas: add it to that phase's "
                    "canvases in roadmap/roadmap.yaml, or remove the phase here",
                )


def _check_handouts(content: _Content) -> None:
    roadmap, handouts = content.roadmap, content.handouts
    phases = _phases(roadmap)
    if roadmap.document is not None:
        for index, phase_id, _ in phases:
            if phase_id not in handouts["phases"]:
                roadmap.add(
                    ("phases", index, "id"),
                    f"phase {phase_id!r} has no handout: add handouts/phases/{phase_id}.yaml",
                )
        phase_ids = {phase_id for _, phase_id, _ in phases}
        for handout_id, handout in handouts["phases"].items():
            if handout_id not in phase_ids:
                handout.add(
                    ("id",),
                    f"there is no phase {handout_id!r}: a handout in handouts/phases/ has "
                    "the name of its phase",
                )
    for canvas_id, canvas in content.canvases.items():
        if canvas_id not in handouts["canvases"]:
            canvas.add(
                ("id",),
                f"canvas {canvas_id!r} has no handout: add handouts/canvases/{canvas_id}.yaml",
            )
    for handout_id, handout in handouts["canvases"].items():
        if handout_id not in content.canvases:
            handout.add(
                ("id",),
                f"there is no canvas {handout_id!r}: a handout in handouts/canvases/ has the "
                "name of its canvas",
            )


def missing_target(
    url: str, phases: Sequence[str], canvases: Sequence[str], resources: Sequence[str]
) -> str | None:
    """Why a site path under /roadmap/ leads nowhere; None if it leads to a page."""
    if not url.startswith("/roadmap"):
        return None
    if url.split("#", 1)[0] in schema.link_targets(phases, canvases, resources):
        return None
    match = re.fullmatch(r"/roadmap/(phases|canvases|resources)/([^/#]+)/(#.*)?", url)
    if match:
        kind = {"phases": "phase", "canvases": "canvas", "resources": "resource page"}
        return f"link {url!r} leads nowhere: there is no {kind[match.group(1)]} {match.group(2)!r}"
    return (
        f"link {url!r} leads nowhere: roadmap pages are /roadmap/, /roadmap/phases/ID/, "
        "/roadmap/canvases/ID/ and /roadmap/resources/ID/"
    )


def _targets(content: _Content) -> tuple[list[str], list[str], list[str]]:
    phases = [phase_id for _, phase_id, _ in _phases(content.roadmap)]
    return phases, list(content.canvases), list(content.handouts["resources"])


def _check_links(content: _Content) -> None:
    phases, canvases, resources = _targets(content)
    for file in content.files():
        for path, link in file.links:
            reason = missing_target(link.url, phases, canvases, resources)
            if reason is not None:
                file.add(path, reason, offset=(link.line, link.column))


def _validate(root: FilePath) -> tuple[_Content, list[Problem]]:
    content = _collect(root)
    for file in content.files():
        _read(file)
    # Every text of the content must be in each of the roadmap's languages.
    languages = _languages(content.roadmap)
    for file in content.files():
        _check_file(file, languages)
    _check_references(content)
    _check_handouts(content)
    _check_links(content)
    problems = list(content.strays)
    for file in content.files():
        problems.extend(file.resolve())
    problems.extend(_model_link_problems(root / "models", *_targets(content)))
    return content, sorted(problems, key=lambda p: (p.source, p.line, p.column, p.message))


def validate_content(root: str | FilePath = CONTENT_DIR) -> list[Problem]:
    """Every problem of a content directory, sorted by file and position; [] when valid."""
    return _validate(FilePath(root))[1]


def load_content(root: str | FilePath = CONTENT_DIR) -> schema.RoadmapContent:
    """The content of a directory; ContentValidationError lists every problem if any."""
    content, problems = _validate(FilePath(root))
    if problems:
        raise ContentValidationError(problems)
    roadmap = content.roadmap.parsed
    assert isinstance(roadmap, schema.Roadmap)

    def parsed(file: _File) -> schema.Handout:
        assert isinstance(file.parsed, schema.Handout)
        return file.parsed

    order = list(dict.fromkeys(c for phase in roadmap.phases for c in phase.canvases))
    canvases: dict[str, schema.Canvas] = {}
    for canvas_id in order:
        canvas = content.canvases[canvas_id].parsed
        assert isinstance(canvas, schema.Canvas)
        canvases[canvas_id] = canvas
    handouts = content.handouts
    return schema.RoadmapContent(
        roadmap=roadmap,
        canvases=canvases,
        phase_handouts={p: parsed(handouts["phases"][p]) for p in roadmap.phase_ids},
        canvas_handouts={c: parsed(handouts["canvases"][c]) for c in order},
        resources={r: parsed(handouts["resources"][r]) for r in sorted(handouts["resources"])},
    )


# -- Links from maturity models -------------------------------------------------------------


def _advice_links(nodes: object, path: Path) -> Iterator[tuple[Path, str]]:
    if not isinstance(nodes, list):
        return
    for index, node in enumerate(nodes):
        if not isinstance(node, dict):
            continue
        node_path = (*path, index)
        advice = node.get("advice")
        for level, item in advice.items() if isinstance(advice, dict) else []:
            links = item.get("links") if isinstance(item, dict) else None
            for number, link in enumerate(links if isinstance(links, list) else []):
                url = link.get("url") if isinstance(link, dict) else None
                if isinstance(url, str):
                    yield (*node_path, "advice", level, "links", number, "url"), url
        yield from _advice_links(node.get("children"), (*node_path, "children"))


def _model_link_problems(
    directory: FilePath, phases: list[str], canvases: list[str], resources: list[str]
) -> list[Problem]:
    """Advice links in the maturity models of `directory` that lead to no roadmap page.

    A model that does not load is left to `imscan validate`.
    """
    problems: list[Problem] = []
    if not directory.is_dir():
        return problems
    for path in sorted(directory.glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        document, _ = read_yaml(text, str(path))
        if document is None or not isinstance(document.data, dict):
            continue
        data: dict[Hashable, object] = document.data
        for link_path, url in _advice_links(data.get("dimensions"), ("dimensions",)):
            reason = missing_target(url, phases, canvases, resources)
            if reason is not None:
                where = document.value_position(link_path)
                problems.append(Problem(str(path), where.line, where.column, reason))
    return problems
