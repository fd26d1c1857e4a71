"""Problems found in a model file, and the error that carries them."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

# A place in the parsed data: the keys and list indexes leading to a value.
Path = tuple[Hashable, ...]


@dataclass(frozen=True)
class Problem:
    """One problem, at a 1-based line and column of the file."""

    source: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """A problem before it has a position: where in the data, and what.

    `at_key` points at the key rather than at its value (an unknown or misplaced key);
    `first` is the earlier place of a duplicate, added to the message as a position.
    """

    path: Path
    message: str
    at_key: bool = False
    first: Path | None = None


class ModelValidationError(Exception):
    """A model file that cannot be loaded; `problems` lists everything wrong with it."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))
