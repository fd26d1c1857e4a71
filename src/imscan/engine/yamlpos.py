"""Read YAML into plain Python data, remembering where every key and value stands.

We build the data from PyYAML's event stream rather than its composer: the composer
recurses once per nesting level, silently keeps the last of duplicate keys and shares
aliased nodes (a few lines can expand to billions of values). Building it ourselves
keeps depth, duplicates, aliases and tags under control, each reported as a problem.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Protocol

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingStartEvent,
    ScalarEvent,
)
from yaml.nodes import ScalarNode

from imscan.engine.problems import Path, Problem

try:  # libyaml's parser is several times faster; PyYAML's own is the fallback.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

# Far deeper than any model needs (each tree level adds two), far below any stack limit.
MAX_DEPTH = 100

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
# The characters YAML forbids (PyYAML's Reader.NON_PRINTABLE): found before parsing,
# since the parsers report them with a byte or character offset instead of a line.
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


@dataclass(frozen=True)
class Position:
    line: int  # 1-based
    column: int  # 1-based


def _normalise(path: Path) -> Path:
    # pydantic reports keys that are neither str nor int (1.5, None) as their str().
    return tuple(key if isinstance(key, str | int) else str(key) for key in path)


@dataclass
class YamlDocument:
    """The data of a YAML file, with the position of each value and each mapping key."""

    data: object
    values: dict[Path, Position] = field(default_factory=dict)
    keys: dict[Path, Position] = field(default_factory=dict)
    # Values that could not be read (an alias, a forbidden tag): already reported, so any
    # other finding about them or inside them is noise.
    unreadable: set[Path] = field(default_factory=set)

    def value_position(self, path: Path) -> Position:
        """Where the value at `path` starts, or its nearest parent that exists."""
        path = _normalise(path)
        while path not in self.values:
            path = path[:-1]
        return self.values[path]

    def key_position(self, path: Path) -> Position:
        """Where the key of the value at `path` is; the value's position if it has no key."""
        return self.keys.get(_normalise(path)) or self.value_position(path)

    def is_unreadable(self, path: Path) -> bool:
        path = _normalise(path)
        return any(path[: len(bad)] == bad for bad in self.unreadable)


class _Mark(Protocol):
    """A parser mark: PyYAML's and libyaml's are different classes of one shape."""

    line: int  # 0-based
    column: int  # 0-based


def _position(mark: _Mark | None) -> Position:
    return Position(mark.line + 1, mark.column + 1) if mark is not None else Position(1, 1)


def _short_tag(tag: str | None) -> str:
    return str(tag).replace("tag:yaml.org,2002:", "!!")


def _describe_key(key: object) -> str:
    return repr(key) if isinstance(key, str) else str(key)


class _Drop:
    """Marks what cannot be kept: a key or scalar we refused, or the value of such a key."""


_DROP = _Drop()


@dataclass
class _Frame:
    container: dict[Hashable, object] | list[object] | None  # None: read, then dropped
    path: Path
    # A mapping alternates key, value. After a key, `key` holds it until its value comes.
    expect_key: bool = True
    key: Hashable | _Drop = _DROP
    key_positions: dict[Hashable, Position] = field(default_factory=dict)


class _Builder:
    def __init__(self, source: str, loader: _Loader) -> None:
        self.source = source
        # One object, both roles: PyYAML's loaders mix in the resolver and constructor.
        self.resolver: yaml.resolver.BaseResolver = loader
        self.constructor: yaml.constructor.SafeConstructor = loader
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.document: YamlDocument | None = None

    def problem(self, mark: _Mark | None, message: str) -> None:
        position = _position(mark)
        self.problems.append(Problem(self.source, position.line, position.column, message))

    def run(self, loader: _Loader) -> None:
        documents = 0
        try:
            while loader.check_event():
                event = loader.get_event()
                if isinstance(event, DocumentStartEvent):
                    documents += 1
                    if documents > 1:
                        self.problem(event.start_mark, "a model file holds one YAML document")
                        return
                elif isinstance(event, CollectionEndEvent):
                    self.stack.pop()
                elif isinstance(event, ScalarEvent | AliasEvent | CollectionStartEvent) and (
                    not self.value(event)
                ):
                    return
        except yaml.MarkedYAMLError as error:
            self.syntax_error(error)
        except yaml.YAMLError as error:  # pragma: no cover - unmarked errors are pre-empted
            self.problem(None, f"YAML error: {error}")
            self.document = None

    def syntax_error(self, error: yaml.MarkedYAMLError) -> None:
        message = f"YAML syntax error: {error.problem or error.context}"
        start, mark = error.context_mark, error.problem_mark
        if error.problem and error.context:
            where = ""
            if start is not None and mark is not None and _position(start) != _position(mark):
                where = f" that starts at line {start.line + 1}, column {start.column + 1}"
            message += f" ({error.context}{where})"
        self.problem(mark, message)
        self.document = None

    def value(self, event: ScalarEvent | AliasEvent | CollectionStartEvent) -> bool:
        """A scalar, an alias or the start of a collection, as a key or as a value."""
        parent = self.stack[-1] if self.stack else None
        if parent is not None and isinstance(parent.container, dict) and parent.expect_key:
            return self.key(parent, event)
        path = self.claim(parent)
        if isinstance(event, CollectionStartEvent):
            return self.open(event, parent, path)
        content: object
        if isinstance(event, AliasEvent):
            self.problem(
                event.start_mark,
                f"aliases like *{event.anchor} are not supported: write the value out in full",
            )
            content = _DROP
        else:
            content = self.scalar(event)
        readable = not isinstance(content, _Drop)
        self.attach(parent, path, content if readable else None, event.start_mark, readable)
        return True

    def claim(self, parent: _Frame | None) -> Path | None:
        """The path of the next value in `parent`; None if the value is to be dropped."""
        if parent is None:
            return ()
        if parent.container is None:
            return None
        if isinstance(parent.container, list):
            return (*parent.path, len(parent.container))
        parent.expect_key = True
        if isinstance(parent.key, _Drop):
            return None
        return (*parent.path, parent.key)

    def key(self, frame: _Frame, event: ScalarEvent | AliasEvent | CollectionStartEvent) -> bool:
        assert isinstance(frame.container, dict)
        frame.expect_key = False
        frame.key = _DROP  # until the key proves usable, its value is dropped
        if isinstance(event, CollectionStartEvent):
            self.problem(event.start_mark, "a key must be a word or number, not a list or mapping")
            return self.open(event, frame, None)
        if isinstance(event, AliasEvent):
            self.problem(event.start_mark, "a key cannot be an alias: write the key out")
            return True
        key = self.scalar(event)
        if isinstance(key, _Drop):
            return True
        assert isinstance(key, Hashable)  # a scalar is a str, int, float, bool or None
        first = frame.key_positions.get(key)
        if first is not None:
            self.problem(
                event.start_mark,
                f"duplicate key {_describe_key(key)} "
                f"(first at line {first.line}, column {first.column})",
            )
            return True
        position = _position(event.start_mark)
        frame.key_positions[key] = position
        frame.key = key
        assert self.document is not None  # a key lies inside the document's mapping
        self.document.keys[_normalise((*frame.path, key))] = position
        return True

    def open(self, event: CollectionStartEvent, parent: _Frame | None, path: Path | None) -> bool:
        if len(self.stack) >= MAX_DEPTH:
            self.problem(event.start_mark, f"the file nests more than {MAX_DEPTH} levels deep")
            self.document = None
            return False
        readable = event.tag in (None, "!", _MAP_TAG, _SEQ_TAG)
        if not readable:
            self.problem(event.start_mark, f"the YAML tag {_short_tag(event.tag)} is not allowed")
        container: dict[Hashable, object] | list[object] | None = None
        if path is not None:
            container = {} if isinstance(event, MappingStartEvent) else []
        self.attach(parent, path, container, event.start_mark, readable)
        self.stack.append(_Frame(container=container, path=path or ()))
        return True

    def attach(
        self,
        parent: _Frame | None,
        path: Path | None,
        content: object,
        mark: _Mark | None,
        readable: bool,
    ) -> None:
        if path is None:
            return
        if parent is None:
            self.document = YamlDocument(data=content)
        elif isinstance(parent.container, list):
            parent.container.append(content)
        elif isinstance(parent.container, dict):
            parent.container[path[-1]] = content
        assert self.document is not None
        self.document.values[_normalise(path)] = _position(mark)
        if not readable:
            self.document.unreadable.add(_normalise(path))

    def scalar(self, event: ScalarEvent) -> object:
        """The Python value of a scalar, or _DROP (after reporting) if it cannot be read."""
        tag = event.tag
        if tag in (None, "!"):
            # Untyped in the stubs; returns the tag a plain or quoted scalar resolves to.
            tag = self.resolver.resolve(ScalarNode, event.value, event.implicit)  # type: ignore[no-untyped-call]
            if tag not in _PLAIN_TAGS:
                # A date, a merge key `<<` or `=`: keep the text as written.
                return event.value
        elif tag not in _PLAIN_TAGS:
            self.problem(event.start_mark, f"the YAML tag {_short_tag(tag)} is not allowed")
            return _DROP
        node = ScalarNode(tag, event.value, style=event.style)
        try:
            return self.constructor.yaml_constructors[tag](self.constructor, node)
        except (ValueError, yaml.YAMLError):
            kind = tag.rsplit(":", 1)[-1]
            self.problem(event.start_mark, f"cannot read {event.value!r} as {kind}")
            return _DROP


def read_yaml(text: str, source: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML document. Returns the document (None if unusable) and the problems."""
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        index = bad.start()
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        message = f"character U+{ord(bad.group()):04X} is not allowed in a YAML file"
        return None, [Problem(source, line, column, message)]
    loader = _Loader(text)
    try:
        builder = _Builder(source, loader)
        builder.run(loader)
    finally:
        loader.dispose()
    if builder.document is None and not builder.problems:
        builder.problems.append(Problem(source, 1, 1, "the file is empty: expected a model"))
    return builder.document, builder.problems
