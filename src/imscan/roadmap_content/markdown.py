"""The small Markdown subset of the handouts: parsed into a tree, rendered with escaping.

Supported (see docs/roadmap-content.md): headings `##` to `####`; paragraphs; bullet
lists (`-`, `*` or `+`) and numbered lists (`1.`), one level deep; links `[text](url)`;
emphasis `*text*` and strong emphasis `**text**`; a backslash before punctuation to write
it literally (`\\*`). Everything else (raw HTML, images, code, quotes, tables, rules,
reference links) is reported as a problem, so that what an author writes is what a reader
sees. `render_html` escapes every text and URL: even a text that was never validated
cannot inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from html import escape
from string import punctuation


@dataclass(frozen=True)
class Span:
    text: str


@dataclass(frozen=True)
class Emphasis:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Strong:
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = Span | Emphasis | Strong | Link


@dataclass(frozen=True)
class Heading:
    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class Paragraph:
    content: tuple[Inline, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Inline, ...], ...]


Block = Heading | Paragraph | ListBlock


@dataclass(frozen=True)
class MarkdownProblem:
    """A problem at a 1-based line and column of the Markdown text."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class LinkTarget:
    """A link's URL and where it starts in the text."""

    url: str
    line: int
    column: int


@dataclass(frozen=True)
class Markdown:
    blocks: tuple[Block, ...]
    problems: tuple[MarkdownProblem, ...]
    links: tuple[LinkTarget, ...]


# -- Checks that apply to every text, Markdown or not -------------------------------------

_HTML = re.compile(r"<(?:[/!?]|[A-Za-z])[^\s<>]{0,20}")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
# A site path must not start with `//`: that is another host, not a page of ours.
SAFE_URL = re.compile(r"^(https?://[^\s/]\S*|mailto:\S+@\S+|/(?!/)\S*)$")


def _line_column(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def markup_problems(text: str) -> list[MarkdownProblem]:
    """Raw HTML and HTML entities: not allowed in any text, since texts show as written."""
    problems = []
    for match in _HTML.finditer(text):
        line, column = _line_column(text, match.start())
        problems.append(
            MarkdownProblem(
                line,
                column,
                f"raw HTML ({match.group()!r}) is not allowed: texts are shown as written",
            )
        )
    for match in _ENTITY.finditer(text):
        line, column = _line_column(text, match.start())
        problems.append(
            MarkdownProblem(
                line,
                column,
                f"HTML entity {match.group()!r} is not allowed: write the character itself",
            )
        )
    return problems


# -- Parsing -------------------------------------------------------------------------------

_HEADING = re.compile(r"(#{1,6})(?:[ ]+(.*?))?[ ]*$")
_RULE = re.compile(r"(?:(?:-[ ]*){3,}|(?:\*[ ]*){3,}|(?:_[ ]*){3,})$")
_SETEXT = re.compile(r"=+[ ]*$")
_BULLET = re.compile(r"([-*+])(?:[ ]+(.*)|)$")
_ORDERED = re.compile(r"(\d{1,9})[.)](?:[ ]+(.*)|)$")
_REFERENCE_DEFINITION = re.compile(r"\[[^\]]+\]:")
_LINK = re.compile(r"\[([^\[\]]+)\]\(((?:[^()\s]|\([^()\s]*\))*)\)")
_REFERENCE_LINK = re.compile(r"\[[^\[\]]+\]\[[^\[\]]*\]")
_PUNCTUATION = frozenset(punctuation)


@dataclass
class _Segment:
    """One line of a paragraph or list item: its text and where that text starts."""

    line: int
    column: int
    text: str


@dataclass
class _Open:
    kind: str  # "*" or "**"
    index: int
    children: list[Inline] = field(default_factory=list)


class _Parser:
    def __init__(self, text: str) -> None:
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.blocks: list[Block] = []
        self.problems: list[MarkdownProblem] = []
        self.links: list[LinkTarget] = []
        self.paragraph: list[_Segment] = []
        self.ordered: bool | None = None  # the kind of the open list, None: no list open
        self.items: list[list[_Segment]] = []
        self.after_blank = False

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(MarkdownProblem(line, column, message))

    def run(self) -> Markdown:
        for number, raw in enumerate(self.lines, 1):
            self.line(number, raw)
        self.flush_paragraph()
        self.flush_list()
        problems = sorted(set(self.problems), key=lambda p: (p.line, p.column, p.message))
        return Markdown(tuple(self.blocks), tuple(problems), tuple(self.links))

    def line(self, number: int, raw: str) -> None:
        if not raw.strip():
            self.flush_paragraph()
            self.after_blank = True
            return
        margin = raw[: len(raw) - len(raw.lstrip(" \t"))]
        if "\t" in margin:
            self.problem(number, margin.index("\t") + 1, "indent with spaces, not tabs")
            raw = raw.replace("\t", "    ", margin.count("\t"))
        indent = len(raw) - len(raw.lstrip(" "))
        body = raw[indent:].rstrip()
        column = indent + 1
        after_blank, self.after_blank = self.after_blank, False
        if self.items and indent >= 2:
            if _BULLET.match(body) or _ORDERED.match(body):
                self.problem(number, column, "nested lists are not in the Markdown subset")
            self.items[-1].append(_Segment(number, column, body))
            return
        if indent >= 4:
            if not self.paragraph:
                self.problem(
                    number,
                    column,
                    "an indented line is a code block in Markdown, which is not in the "
                    "subset: remove the indentation",
                )
            self.paragraph.append(_Segment(number, column, body))
            return
        if self.block_start(number, column, body):
            return
        if self.items and not after_blank:
            self.items[-1].append(_Segment(number, column, body))  # a lazy continuation
            return
        self.flush_list()
        self.paragraph.append(_Segment(number, column, body))

    def block_start(self, number: int, column: int, body: str) -> bool:
        """Handle a line that starts a block (or is not allowed); False for plain text."""
        if _RULE.match(body):
            self.close()
            self.problem(number, column, "horizontal rules are not in the Markdown subset")
            return True
        if _SETEXT.match(body) and self.paragraph:
            self.problem(
                number,
                column,
                "underlined headings are not in the Markdown subset: start the heading "
                "line with ## instead",
            )
            return True
        heading = _HEADING.match(body)
        if heading:
            self.heading(number, column, heading)
            return True
        for pattern, ordered in ((_BULLET, False), (_ORDERED, True)):
            item = pattern.match(body)
            if item:
                text = item.group(2)
                if not (text or "").strip():
                    self.problem(number, column, "a list item needs text")
                if self.ordered is not None and self.ordered != ordered:
                    self.flush_list()
                self.flush_paragraph()
                self.ordered = ordered
                start = column + (item.start(2) if text is not None else len(body))
                self.items.append([_Segment(number, start, text or "")])
                return True
        for prefix, what in (
            (">", "quotes (>)"),
            ("```", "code blocks"),
            ("~~~", "code blocks"),
            ("|", "tables"),
        ):
            if body.startswith(prefix):
                self.problem(number, column, f"{what} are not in the Markdown subset")
                return True  # reported once; the line is left out
        if _REFERENCE_DEFINITION.match(body):
            self.problem(
                number,
                column,
                "reference links are not in the Markdown subset: write [text](url)",
            )
        return False

    def heading(self, number: int, column: int, match: re.Match[str]) -> None:
        self.close()
        level = len(match.group(1))
        content = (match.group(2) or "").rstrip("#").rstrip()
        if level == 1:
            self.problem(
                number,
                column,
                "a # heading is the page title, which comes from the title: start sections with ##",
            )
        elif level > 4:
            self.problem(number, column, "use headings ## to ####: deeper levels are not used")
        if not content:
            self.problem(number, column, "a heading needs text")
        start = column + (match.start(2) if match.group(2) is not None else 0)
        self.blocks.append(Heading(level, self.inline([_Segment(number, start, content)])))

    def close(self) -> None:
        self.flush_paragraph()
        self.flush_list()

    def flush_paragraph(self) -> None:
        if self.paragraph:
            self.blocks.append(Paragraph(self.inline(self.paragraph)))
            self.paragraph = []

    def flush_list(self) -> None:
        if self.items:
            assert self.ordered is not None
            items = tuple(self.inline(segments) for segments in self.items)
            self.blocks.append(ListBlock(self.ordered, items))
        self.items = []
        self.ordered = None

    def inline(self, segments: Sequence[_Segment]) -> tuple[Inline, ...]:
        chars: list[str] = []
        where: list[tuple[int, int]] = []
        for segment in segments:
            text = segment.text.rstrip()
            if chars and text:
                chars.append(" ")  # a line break inside a paragraph is a space
                where.append((segment.line, segment.column))
            chars.extend(text)
            where.extend((segment.line, segment.column + k) for k in range(len(text)))
        return _Inline(self, "".join(chars), where).run()


class _Inline:
    def __init__(self, parser: _Parser, text: str, where: list[tuple[int, int]]) -> None:
        self.parser = parser
        self.text = text
        self.where = where
        self.root: list[Inline] = []
        self.stack: list[_Open] = []
        self.buffer: list[str] = []

    @property
    def current(self) -> list[Inline]:
        return self.stack[-1].children if self.stack else self.root

    def problem(self, index: int, message: str) -> None:
        line, column = self.where[min(index, len(self.where) - 1)]
        self.parser.problem(line, column, message)

    def flush(self) -> None:
        if self.buffer:
            self.current.append(Span("".join(self.buffer)))
            self.buffer = []

    def run(self) -> tuple[Inline, ...]:
        text, i = self.text, 0
        while i < len(text):
            i = self.step(i)
        self.flush()
        while self.stack:
            opened = self.stack.pop()
            hint = "**text**" if opened.kind == "**" else "*text*, or write \\* for a star"
            self.problem(opened.index, f"{opened.kind!r} is not closed: write {hint}")
            self.current.append(Span(opened.kind))
            self.current.extend(opened.children)
        return _merge(self.root)

    def step(self, i: int) -> int:
        text, char = self.text, self.text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in _PUNCTUATION:
            self.buffer.append(text[i + 1])
            return i + 2
        if char == "`":
            self.problem(i, "code (`) is not in the Markdown subset")
            end = text.find("`", i + 1)
            stop = len(text) if end < 0 else end + 1
            self.buffer.append(text[i:stop])
            return stop
        if char == "!" and text.startswith("![", i):
            self.problem(i, "images are not in the Markdown subset")
        elif char == "[":
            return self.bracket(i)
        elif char == "*":
            return self.star(i)
        self.buffer.append(char)
        return i + 1

    def bracket(self, i: int) -> int:
        link = _LINK.match(self.text, i)
        if link is None:
            if _REFERENCE_LINK.match(self.text, i):
                self.problem(i, "reference links are not in the Markdown subset: write [text](url)")
            self.buffer.append("[")
            return i + 1
        label, url = link.group(1), link.group(2)
        url_index = link.start(2)
        if not SAFE_URL.match(url):
            self.problem(
                url_index,
                f"link target {url!r} must start with https://, http://, mailto: or /",
            )
        else:
            line, column = self.where[url_index]
            self.parser.links.append(LinkTarget(url, line, column))
        self.flush()
        self.current.append(Link(label.strip(), url))
        return link.end()

    def star(self, i: int) -> int:
        text = self.text
        kind = "**" if text.startswith("**", i) else "*"
        before = text[i - 1] if i > 0 else " "
        after = text[i + len(kind)] if i + len(kind) < len(text) else " "
        can_open, can_close = not after.isspace(), not before.isspace()
        if can_close and self.stack and self.stack[-1].kind == kind:
            self.flush()
            opened = self.stack.pop()
            node_type = Strong if kind == "**" else Emphasis
            self.current.append(node_type(_merge(opened.children)))
            return i + len(kind)
        if can_close and any(opened.kind == kind for opened in self.stack):
            self.problem(i, "emphasis marks overlap: close the inner * or ** first")
        elif can_open:
            self.flush()
            self.stack.append(_Open(kind, i))
            return i + len(kind)
        self.buffer.append(kind)
        return i + len(kind)


def _merge(nodes: Iterable[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring plain spans (an unclosed mark leaves them apart)."""
    merged: list[Inline] = []
    for node in nodes:
        if isinstance(node, Span) and merged and isinstance(merged[-1], Span):
            merged[-1] = Span(merged[-1].text + node.text)
        else:
            merged.append(node)
    return tuple(merged)


def parse(text: str) -> Markdown:
    """The blocks of a Markdown text, its problems (positions in the text) and its links."""
    return _Parser(text).run()


# -- Rendering -----------------------------------------------------------------------------


def _inline_html(nodes: Iterable[Inline]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, Span):
            parts.append(escape(node.text))
        elif isinstance(node, Emphasis):
            parts.append(f"<em>{_inline_html(node.children)}</em>")
        elif isinstance(node, Strong):
            parts.append(f"<strong>{_inline_html(node.children)}</strong>")
        elif SAFE_URL.match(node.url):
            parts.append(f'<a href="{escape(node.url)}">{escape(node.text)}</a>')
        else:
            parts.append(escape(node.text))
    return "".join(parts)


def render_html(markdown: Markdown | str) -> str:
    """The blocks as HTML; every text and URL escaped, unsafe link targets dropped."""
    blocks = parse(markdown).blocks if isinstance(markdown, str) else markdown.blocks
    html = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 2), 4)
            html.append(f"<h{level}>{_inline_html(block.content)}</h{level}>")
        elif isinstance(block, Paragraph):
            html.append(f"<p>{_inline_html(block.content)}</p>")
        else:
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{_inline_html(item)}</li>" for item in block.items)
            html.append(f"<{tag}>{items}</{tag}>")
    return "\n".join(html)
