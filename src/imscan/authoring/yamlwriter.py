"""Write a model file's YAML line by line, remembering where each line came from.

The spreadsheet import builds the model file with this writer, so that a problem the
validator finds at a line of the produced YAML can be reported at the sheet, row and
column it came from. Scalars are written by PyYAML's safe dumper, one key per call: it
quotes whatever YAML would otherwise read as something else (`yes`, `1.0`, a date, a
leading `=` or `#`), and never writes tags or aliases.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import yaml

try:  # libyaml's emitter is several times faster; PyYAML's own is the fallback.
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

_WIDTH = 88  # where PyYAML folds long texts; indentation comes on top


@dataclass(frozen=True)
class Origin:
    """Where a value came from: a sheet, and a row (1-based) and column header in it."""

    sheet: str
    row: int | None = None
    column: str | None = None


def plain_number(value: float) -> int | float:
    """A whole float as an int (`1` rather than `1.0`), as an author would write it."""
    finite = isinstance(value, float) and math.isfinite(value)
    if finite and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def _pair(key: str | int, value: object) -> list[str]:
    dumped = yaml.dump(
        {key: value},
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=_WIDTH,
    )
    return dumped.rstrip("\n").split("\n")


def _key(key: str | int) -> str:
    """A mapping key as YAML text on one line, quoted where needed (a scale called `yes`)."""
    dumped = yaml.dump(
        [key], Dumper=_Dumper, allow_unicode=True, default_flow_style=True, width=1_000_000
    )
    return dumped.strip().removeprefix("[").removesuffix("]")


class YamlWriter:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.origins: list[Origin | None] = []

    def _add(self, lines: list[str], indent: int, dash: bool, origin: Origin | None) -> None:
        first = " " * indent + ("- " if dash else "")
        rest = " " * (indent + (2 if dash else 0))
        for number, line in enumerate(lines):
            self.lines.append((first if number == 0 else rest) + line)
            self.origins.append(origin)

    def comment(self, text: str) -> None:
        self._add([f"# {text}"], 0, False, None)

    def block(
        self, indent: int, key: str | int, origin: Origin | None, *, dash: bool = False
    ) -> None:
        """`key:`, opening a mapping or list written by the next calls."""
        self._add([f"{_key(key)}:"], indent, dash, origin)

    def value(
        self, indent: int, key: str, value: object, origin: Origin | None, *, dash: bool = False
    ) -> None:
        """`key: value` for a scalar (or a short list of scalars)."""
        if isinstance(value, float):
            value = plain_number(value)
        self._add(_pair(key, value), indent, dash, origin)

    def text(
        self,
        indent: int,
        key: str,
        text: Mapping[str, str],
        origin: Origin,
        *,
        dash: bool = False,
    ) -> None:
        """A text: `key:`, then one line (or folded lines) per language."""
        self.block(indent, key, origin, dash=dash)
        inner = indent + (4 if dash else 2)
        for language, value in text.items():
            self.value(
                inner, language, value, Origin(origin.sheet, origin.row, f"{key}:{language}")
            )

    def origin(self, line: int) -> Origin | None:
        """Where the 1-based `line` came from; None for a line of the writer's own."""
        if 1 <= line <= len(self.origins):
            return self.origins[line - 1]
        return None

    def result(self) -> str:
        return "\n".join(self.lines) + "\n"
